import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { findPgBin, startCluster } from './postgres';

const ROOT = path.resolve(__dirname, '../..');

/** The newest modification time of the sources the build compiles or copies. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * The server processes the tests start run the build (`dist/main.js`), as production does: compiled once here rather
 * than by tsx in every process (about 3 s of CPU each, and the suite starts some eighty). Built again only when a
 * source is newer than the build. Workers inherit FIREBREAK_TEST_DIST (test/harness/firebreak.ts).
 */
function build(): void {
  const main = path.join(ROOT, 'dist/main.js');
  const fresh = existsSync(main) && statSync(main).mtimeMs >= Math.max(newestSource(path.join(ROOT, 'src')), statSync(path.join(ROOT, 'package.json')).mtimeMs);
  if (!fresh) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  process.env.FIREBREAK_TEST_DIST = main;
}

/** Builds what the server processes run, and starts one throwaway PostgreSQL for the whole run (workers inherit TEST_DATABASE_URL). */
export default async function globalSetup(): Promise<void> {
  build();
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
