import { buildOnce } from './build';
import { findPgBin, startCluster } from './postgres';

/** Builds what the server processes run, and starts one throwaway PostgreSQL for the whole run (workers inherit TEST_DATABASE_URL). */
export default async function globalSetup(): Promise<void> {
  buildOnce();
  if (process.env.TEST_DATABASE_URL) return;
  const bin = findPgBin();
  if (!bin) {
    process.stdout.write('\n[firebreak] PostgreSQL binaries not found: the PostgreSQL half of the store suites is SKIPPED.\n');
    return;
  }
  const cluster = startCluster(bin);
  process.env.TEST_DATABASE_URL = cluster.url;
  (globalThis as { __pgCluster?: { stop(): void } }).__pgCluster = cluster;
}
