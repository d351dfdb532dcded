import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/log';
import { start, type Firebreak } from '../../../src/main';

/**
 * Local mode wired by main.ts, in-process: what the sandbox doc view will use. `localAddon.call` signs a sidebar
 * request with the issuer the server trusts and checks the answer as Google's renderer would.
 */
let app: Firebreak;
const dataDir = mkdtempSync(path.join(tmpdir(), 'firebreak-addon-local-'));

beforeAll(async () => {
  app = await start(loadConfig({ PORT: '0', FIREBREAK_DATA_DIR: dataDir }), createLogger('error'));
}, 60_000);
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a sidebar request signed by the local issuer is answered with a card that renders', async () => {
  expect(app.localAddon).toBeDefined();
  const target = `${app.url}/api/addon`;
  const res = await app.localAddon!.call({ target, user: { email: 'ana@firebreak.test' }, doc: { id: 'a-doc-no-incident-owns' } });
  expect(res.status).toBe(200);
  expect(res.problems).toEqual([]);
  expect(res.body.action.navigations[0].pushCard.header.subtitle).toBe('This is not an incident doc');
  const { url, init } = app.localAddon!.request({ target, user: { email: 'ana@firebreak.test' }, doc: { id: 'x', hasFileScope: false } });
  expect(url).toBe(target);
  const body = (await (await fetch(url, init)).json()) as any;
  expect(body.action.navigations[0].pushCard.header.subtitle).toBe('Is this an incident doc?');
});
