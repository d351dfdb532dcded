import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase } from '../test/harness/databases';
import { findPgBin, startCluster, type Cluster } from '../test/harness/postgres';

export type StoreName = 'postgres' | 'embedded';

/**
 * The stores a bench runs the product on: PostgreSQL in a throwaway cluster started the way the tests start theirs
 * (test/harness/postgres.ts), only once a bench asks for it, and the embedded store (PGlite in a directory, as a
 * single-node install keeps it). Each run gets a database of its own, so no run sees another's incidents.
 */
export interface BenchStores {
  /** Why `store` cannot run here, or undefined when it can. */
  missing(store: StoreName): string | undefined;
  /** The store production would use here: PostgreSQL when it can run, else the embedded one. */
  primary(): StoreName;
  /** A DATABASE_URL for a new, empty database on `store`. */
  fresh(store: StoreName, label: string): Promise<string>;
  /** Stops the cluster and removes the embedded stores' files. Synchronous: it runs from signal and exit handlers. */
  close(): void;
}

/** A cluster, tried three times: its port, picked at random, can be taken by another process meanwhile. */
function startClusterRetrying(bin: string): Cluster {
  for (let attempt = 1; ; attempt++) {
    try {
      return startCluster(bin);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

export function benchStores(): BenchStores {
  const bin = findPgBin();
  let cluster: Cluster | undefined;
  let dir: string | undefined;
  return {
    missing: (store) => (store === 'postgres' && !bin ? 'no PostgreSQL binaries in /usr/lib/postgresql on this machine' : undefined),
    primary: () => (bin ? 'postgres' : 'embedded'),
    async fresh(store, label) {
      const name = `bench_${label.replace(/\W/g, '_')}_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
      if (store === 'embedded') {
        dir ??= mkdtempSync(path.join(tmpdir(), 'firebreak-bench-'));
        return `pglite:${path.join(dir, name)}`;
      }
      if (!bin) throw new Error('no PostgreSQL binaries');
      cluster ??= startClusterRetrying(bin);
      return createDatabase(cluster.url, name);
    },
    close() {
      const c = cluster;
      cluster = undefined;
      try {
        c?.stop();
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
        dir = undefined;
      }
    },
  };
}
