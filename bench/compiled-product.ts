import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const HARNESS = path.resolve(ROOT, 'test/harness/firebreak.ts');

function newest(dir: string): number {
  let at = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    at = Math.max(at, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
  }
  return at;
}

/**
 * test/harness/firebreak.ts, made to start the build (`dist/main.js`, what production runs) rather than the sources
 * through tsx. The harness reads FIREBREAK_TEST_DIST once, when it is first loaded: unset, this builds when a source
 * is newer than the build (the rule of test/harness/global-setup.ts) and sets it before loading the harness. If the
 * harness was loaded before without it (another bench imported it), the server would run from the sources: that is
 * refused, a throughput of the uncompiled product is no figure for issue 15.
 */
export async function compiledHarness(): Promise<typeof import('../test/harness/firebreak')> {
  if (!process.env.FIREBREAK_TEST_DIST) {
    if (require.cache[HARNESS]) throw new Error('the server harness was loaded without FIREBREAK_TEST_DIST and would run the sources through tsx: set it (npm run build; FIREBREAK_TEST_DIST=dist/main.js) before the benches load');
    const main = path.join(ROOT, 'dist/main.js');
    const fresh = existsSync(main) && statSync(main).mtimeMs >= Math.max(newest(path.join(ROOT, 'src')), statSync(path.join(ROOT, 'package.json')).mtimeMs);
    if (!fresh) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    process.env.FIREBREAK_TEST_DIST = main;
  }
  return import('../test/harness/firebreak');
}
