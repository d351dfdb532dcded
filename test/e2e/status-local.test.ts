import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLE_ORG_FILE } from '../../src/org/load';
import { startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { statuspageErrors } from '../harness/statuspage';

/**
 * Local mode: the example organisation file is read when ./firebreak.org.yml is absent, and the status page has an
 * origin of its own (STATUS_PORT), where Statuspage clients find `/` and `/api/v2/…` at the root. A bad organisation
 * file stops the start naming the line.
 */
let firebreak: RunningFirebreak;
const port = 20000 + Math.floor(Math.random() * 20000);
const statusPort = port + 2;

beforeAll(async () => {
  firebreak = await startFirebreak({ PORT: String(port) });
}, 60_000);
afterAll(async () => {
  await firebreak?.stop();
});

test('the status origin is on its own port (PORT+2 by default), printed at start', async () => {
  const line = firebreak.logs.find((l) => l.includes('"msg":"status page"'));
  expect(line).toBeDefined();
  expect(JSON.parse(line!)).toMatchObject({ url: `http://localhost:${statusPort}`, org: EXAMPLE_ORG_FILE });
  const summary = await fetch(`http://127.0.0.1:${statusPort}/api/v2/summary.json`);
  expect(summary.status).toBe(200);
  const body = (await summary.json()) as any;
  expect(statuspageErrors('summary.json', body)).toEqual([]);
  expect(body.components.map((c: any) => c.name)).toEqual(['Checkout', 'Payments', 'Search']);
  const page = await fetch(`http://127.0.0.1:${statusPort}/`);
  expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
  expect(await page.text()).toContain('<h1>Acme status</h1>');
  expect((await fetch(`http://127.0.0.1:${statusPort}/embed.js`)).status).toBe(200);
  expect((await fetch(`${firebreak.url}/status/api/v2/status.json`)).status).toBe(200);
});

test('a bad organisation file stops the start with the file, line, column and reason', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'firebreak-org-'));
  const file = path.join(dir, 'firebreak.org.yml');
  const source = readFileSync(EXAMPLE_ORG_FILE, 'utf8').replace('update: "{{components}}: {{summary}}"', 'update: "{{components}}: {{summry}}"');
  writeFileSync(file, source);
  const line = source.split('\n').findIndex((l) => l.includes('{{summry}}')) + 1;
  await expect(startFirebreak({ FIREBREAK_ORG_FILE: file })).rejects.toThrow(new RegExp(`exited with 2:[\\s\\S]*${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+ unknown template variable \\{\\{summry\\}\\}`));
});
