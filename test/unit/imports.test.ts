import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The source reads top-down: no module imports (even types from) a module that imports it back, and the outside
 * systems' folders share their error vocabulary through a neutral module, not through the workers that use them.
 */
const SRC = path.resolve(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

/** Every relative module a file names in `import ... from`, `export ... from` or `import('...')`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => resolve(file, s)).filter((f): f is string => Boolean(f));
}

const graph = new Map(files(SRC).map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(SRC, f);

test('no import cycles in src/', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'visiting');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next].map(rel).join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});

test('graph/, google/ and teams/ do not import from workers/', () => {
  const offending = [...graph.entries()]
    .filter(([f]) => /^(graph|google|teams)\//.test(rel(f)))
    .flatMap(([f, deps]) => deps.filter((d) => rel(d).startsWith('workers/')).map((d) => `${rel(f)} -> ${rel(d)}`));
  expect(offending).toEqual([]);
});
