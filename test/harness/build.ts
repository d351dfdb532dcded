import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

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
 * The server processes the tests and the bench start run the build (`dist/main.js`), as production does: compiled
 * once rather than by tsx in every process (about 3 s of CPU each, and the suite starts some eighty). Built again only
 * when a source is newer than the build. Sets FIREBREAK_TEST_DIST, which test/harness/firebreak.ts reads at each
 * start (jest workers and the bench inherit it); answers the path of the build.
 */
export function buildOnce(): string {
  const main = path.join(ROOT, 'dist/main.js');
  const fresh = existsSync(main) && statSync(main).mtimeMs >= Math.max(newestSource(path.join(ROOT, 'src')), statSync(path.join(ROOT, 'package.json')).mtimeMs);
  // stdout stays the caller's: the bench's last stdout line is its JSON summary, so the build talks on stderr.
  if (!fresh) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', process.stderr, 'inherit'] });
  process.env.FIREBREAK_TEST_DIST = main;
  return main;
}
