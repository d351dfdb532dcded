// `npm run build`, after tsc: the files beside the sources that the code reads at run time (pages' CSS and JS, the
// Playground's config) are copied into dist/ at the same relative paths, so `__dirname`-relative reads find them.
// Notes for people (*.md) are not.
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..', 'src');
const DIST = path.join(SRC, '..', 'dist');

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else if (!/\.(ts|md)$/.test(name)) cpSync(file, path.join(DIST, path.relative(SRC, file)));
  }
}
walk(SRC);
