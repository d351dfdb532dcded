import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Which database drivers a fresh process has loaded after `script` (run with the sources, through tsx). */
function driversLoaded(script: string): { pglite: boolean; pg: boolean } {
  const code = `(async () => {
    const { openStore } = require('./src/store/open.ts');
    ${script}
    const loaded = Object.keys(require.cache);
    process.stdout.write(JSON.stringify({ pglite: loaded.some((f) => f.includes('@electric-sql/pglite')), pg: loaded.some((f) => /node_modules\\/pg\\//.test(f)) }));
    process.exit(0);
  })();`;
  return JSON.parse(execFileSync(process.execPath, ['--no-deprecation', '--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8' }));
}

/** Issue 15 item 6: a process loads the driver of the store it runs on, not the other one (PGlite's is several MB). */
test('opening the store loads only its own driver', () => {
  expect(driversLoaded('')).toEqual({ pglite: false, pg: false });
  expect(driversLoaded(`const s = await openStore('pglite:memory'); await s.close();`)).toEqual({ pglite: true, pg: false });
}, 120_000);
