import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { EXAMPLE_ORG_FILE, loadOrgFile } from '../../src/org/load';
import { serveStatus } from '../../src/status/http';
import { createPublisher } from '../../src/status/publish';
import { createStatusSnapshot } from '../../src/status/snapshot';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { ALICE } from '../harness/activities';

/**
 * Item 9: the page keeps serving the last good state while the store is unreachable. The real store (PGlite) is
 * closed under a running snapshot and HTTP server: the published incident is still served, and a later refresh
 * says it failed instead of emptying the page.
 */
let store: Store;
let server: Server;
let url: string;
const warnings: string[] = [];

beforeEach(async () => {
  store = await openStore('pglite:memory');
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await store.close().catch(() => undefined);
});

test('a closed store leaves the page serving what was last published', async () => {
  const org = loadOrgFile(EXAMPLE_ORG_FILE);
  const log = { ...createLogger('error'), warn: (msg: string) => void warnings.push(msg) };
  const now = () => new Date();
  const snapshot = createStatusSnapshot({ org, store: store.statusPage, url: 'https://status.example.test', now, log });
  const incidents = createIncidents(store, () => undefined);
  const publish = createPublisher({ org, store: store.statusPage, incidents, snapshot, statusUrl: 'https://status.example.test' });
  server = createServer((req, res) => serveStatus(snapshot, new URL(req.url!, 'http://x').pathname, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const declared = await incidents.declare({ type: 'DeclareIncident', incidentId: randomUUID(), title: 'internal', severity: 1, origin: { id: 'c1', serviceUrl: 'http://127.0.0.1:9' }, at: now().toISOString(), by: ALICE });
  if (declared.kind !== 'changed') throw new Error(declared.kind);
  expect(await publish({ incident: declared.incident, text: 'payments: Card payments fail.', by: ALICE, at: now().toISOString() })).toMatchObject({ published: true });
  const before = await (await fetch(`${url}/api/v2/summary.json`)).json() as any;
  expect(before.status.indicator).toBe('critical');
  expect(before.incidents[0].incident_updates[0].body).toMatch(/^Card payments fail\./);

  await store.close();
  expect(await snapshot.refresh()).toBe(false);
  expect(warnings).toContain('status page: the store could not be read; serving the last good state');
  const after = await fetch(`${url}/api/v2/summary.json`);
  expect(after.status).toBe(200);
  expect(await after.json()).toEqual(before);
  expect(await (await fetch(`${url}/`)).text()).toContain('Card payments fail.');
});
