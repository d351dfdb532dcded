import { execFile, spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../harness/firebreak';

/**
 * Issue 19 item 1: production runs `node dist/main.js` from a copy holding exactly what package.json `files` lists
 * (what `npm pack` would publish) plus the lockfile, installed with `npm ci --omit=dev`: no tsx, no TypeScript, no
 * test tools. npm's cache from the install that ran the tests is reused (--prefer-offline), so this reaches no
 * registry unless the cache lacks a package.
 */
const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main?: string;
  files?: string[];
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });

let copy: string;

beforeAll(async () => {
  // The global setup built it (and other suites' servers run it now: building again here would rewrite it under them).
  if (!process.env.FIREBREAK_TEST_DIST) await npm(['run', 'build'], ROOT);
  copy = mkdtempSync(path.join(tmpdir(), 'firebreak-prod-'));
  // Exactly what `files` selects (plus what npm always adds: package.json, README), as npm itself lists it.
  const { stdout } = await npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
  const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
  for (const f of packed.files) cpSync(path.join(ROOT, f.path), path.join(copy, f.path));
  cpSync(path.join(ROOT, 'package-lock.json'), path.join(copy, 'package-lock.json'));
  await npm(['ci', '--omit=dev', '--prefer-offline', '--ignore-scripts'], copy);
}, 300_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test('the copy holds no sources, tests or dev tools: only the build, its data files and production modules', () => {
  expect(existsSync(path.join(copy, 'dist/main.js'))).toBe(true);
  expect(existsSync(path.join(copy, 'dist/main.js.map'))).toBe(true);
  for (const absent of ['src', 'test', 'node_modules/tsx', 'node_modules/typescript', 'node_modules/jest', 'node_modules/ajv-draft-04']) {
    expect([absent, existsSync(path.join(copy, absent))]).toEqual([absent, false]);
  }
  // Files the build reads beside itself at run time.
  for (const present of ['schemas/bot-connector-api.swagger.json', 'templates/incident-doc.md', 'firebreak.org.example.yml', 'dist/web/assets/sandbox.css']) {
    expect([present, existsSync(path.join(copy, present))]).toEqual([present, true]);
  }
});

test('runtime dependencies are exactly the packages the built code requires', () => {
  const required = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.js')) {
        // tsc's CommonJS output: require("x") for imports (type-only ones are gone), require.resolve('x') as written.
        for (const m of readFileSync(file, 'utf8').matchAll(/require(?:\.resolve)?\(\s*["']([^"'.][^"']*)["']\s*\)/g)) {
          const spec = m[1];
          if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
          required.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      }
    }
  };
  walk(path.join(copy, 'dist'));
  expect([...required].sort()).toEqual(Object.keys(pkg.dependencies).sort());
});

test('a production start needs only the bot id, secret, tenant and DATABASE_URL, answers /healthz and /readyz, and stops on SIGTERM', async () => {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const child = spawn(process.execPath, ['--no-deprecation', pkg.main ?? 'index.js'], {
    cwd: copy,
    env: {
      PATH: process.env.PATH,
      PORT: port,
      MICROSOFT_APP_ID: '0a2f4e1c-7b1d-4c55-9e0e-3f1b2c3d4e5f',
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      DATABASE_URL: `pglite:${path.join(copy, 'db')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stdout.on('data', (c: Buffer) => logs.push(...c.toString('utf8').split('\n').filter(Boolean)));
  child.stderr.on('data', (c: Buffer) => logs.push(...c.toString('utf8').split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const url = `http://127.0.0.1:${port}`;
    const ready = await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${logs.join('\n')}`);
        return fetch(`${url}/readyz`).then((r) => (r.ok ? r : undefined), () => undefined);
      },
      'the production build to be ready',
      60_000,
    );
    expect(ready.status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const lines = logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.some((l) => l.msg === 'firebreak listening')).toBe(true);
    // Every part that is off until configured says so once, as a warning.
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.msg);
    for (const part of [/^Microsoft Graph is off/, /^Google Docs is off/, /^the Google Docs add-on is off/, /^metrics are off/, /^the alert webhooks are off/]) {
      expect([String(part), warnings.filter((w) => part.test(w)).length]).toEqual([String(part), 1]);
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}, 120_000);
