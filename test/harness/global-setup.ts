import { findPgBin, startCluster } from './postgres';

/** Starts one throwaway PostgreSQL for the whole run (workers inherit TEST_DATABASE_URL). */
export default async function globalSetup(): Promise<void> {
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
