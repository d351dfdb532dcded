import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Issue 19 item 2: no Docker engine runs here, so the Dockerfile's shape is checked, and
 * test/e2e/production-install.test.ts runs the same install (npm ci --omit=dev over `files` + the lockfile) and start.
 */
const ROOT = path.resolve(__dirname, '../..');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; files: string[]; engines: { node: string }; scripts: Record<string, string> };
/** Instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.reduce<string[][]>((all, line) => (line.startsWith('FROM ') ? [...all, [line]] : (all[all.length - 1].push(line), all)), []);
const runtime = stages[stages.length - 1];

test('multi-stage, both on Node 22 LTS slim; engines names Node 20 and 22', () => {
  expect(stages.length).toBeGreaterThanOrEqual(2);
  for (const stage of stages) expect(stage[0]).toMatch(/^FROM node:22-slim\b/);
  expect(pkg.engines.node).toMatch(/>=20 <21/);
  expect(pkg.engines.node).toMatch(/>=22/);
});

test('the runtime stage installs production modules from the lockfile and copies exactly what `files` lists', () => {
  expect(runtime).toContain('COPY package.json package-lock.json ./');
  expect(runtime.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
  const copied = runtime
    .filter((l) => l.startsWith('COPY ') && !l.includes('package.json'))
    .map((l) => l.replace(/^COPY (--from=\S+ )?/, '').split(/\s+/)[0].replace(/^\/app\//, ''));
  expect(copied.sort()).toEqual([...pkg.files].sort());
});

test('runs as a non-root user, checks its health, and starts the build with node as PID 1 (exec form)', () => {
  const user = runtime.find((l) => l.startsWith('USER '));
  expect(user).toBeDefined();
  expect(user).not.toMatch(/^USER (root|0)(:|$)/);
  expect(runtime.indexOf(user!)).toBeLessThan(runtime.findIndex((l) => l.startsWith('CMD ')));
  expect(runtime.find((l) => l.startsWith('HEALTHCHECK '))).toContain('/healthz');
  const cmd = JSON.parse(runtime.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
  expect(cmd[0]).toBe('node');
  expect(cmd[cmd.length - 1]).toBe(pkg.main);
});

test('the image, App Service and `npm run start:prod` start the build with the same Node flags (the memory settings the bench measures)', () => {
  const cmd = (JSON.parse(runtime.find((l) => l.startsWith('CMD '))!.slice(4)) as string[]).join(' ');
  const appService = /appCommandLine: '([^']+)'/.exec(readFileSync(path.join(ROOT, 'infra/azure.bicep'), 'utf8'))?.[1];
  expect(pkg.scripts['start:prod']).toContain('--max-semi-space-size=');
  expect(cmd).toBe(pkg.scripts['start:prod']);
  expect(appService).toBe(pkg.scripts['start:prod']);
});

test('.dockerignore keeps everything out but what the Dockerfile copies', () => {
  const ignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  expect(ignore[0]).toBe('**');
  const sources = stages.flatMap((s) => s.filter((l) => l.startsWith('COPY ') && !l.includes('--from=')).flatMap((l) => l.slice(5).split(/\s+/).slice(0, -1)));
  for (const source of sources) expect([source, ignore.some((l) => l === `!${source}` || l === `!${source}/**`)]).toEqual([source, true]);
  for (const never of ['node_modules', '.git', '.firebreak', '.env', 'dist']) expect(ignore).not.toContain(`!${never}`);
});
