import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the test run: `initdb` + `pg_ctl` on a private port and socket dir.
 * Used when no TEST_DATABASE_URL is given and PostgreSQL's binaries are installed; otherwise the
 * PostgreSQL half of the suites is skipped with a line that says so.
 */
export interface Cluster {
  url: string;
  stop(): void;
}

export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

export function startCluster(bin: string): Cluster {
  const dir = mkdtempSync(path.join(tmpdir(), 'firebreak-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  // Below Linux's ephemeral range (32768-60999), where an outbound connection can hold the port (a bench run lost its
  // cluster to a pick at 33022).
  const port = 25000 + Math.floor(Math.random() * 7000);
  // initdb refuses to run as root: run the cluster as the `postgres` user when we are root.
  const asPostgres = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asPostgres
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
