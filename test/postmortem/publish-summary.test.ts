import { randomUUID } from 'node:crypto';
import { createIncidents } from '../../src/app/incidents';
import { EXAMPLE_ORG_FILE, loadOrgFile } from '../../src/org/load';
import { createPublisher } from '../../src/status/publish';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { ALICE } from '../harness/activities';

/** Issue 18 item 7: the stakeholder summary goes onto the status page through the one publishing module. */
let store: Store;
beforeEach(async () => {
  store = await openStore('pglite:memory');
});
afterEach(async () => {
  await store.close();
});

test('after the public resolution, "publish resolved <summary>" adds the postmortem summary as written', async () => {
  const org = loadOrgFile(EXAMPLE_ORG_FILE);
  const incidents = createIncidents(store, () => undefined);
  const publish = createPublisher({ org, store: store.statusPage, incidents, statusUrl: 'https://status.example.test' });
  const at = () => new Date().toISOString();
  const declared = await incidents.declare({ type: 'DeclareIncident', incidentId: randomUUID(), title: 'internal', severity: 2, origin: { id: 'c1', serviceUrl: 'http://127.0.0.1:9' }, at: at(), by: ALICE });
  if (declared.kind !== 'changed') throw new Error(declared.kind);
  const id = declared.incident.id;
  expect(await publish({ incident: declared.incident, text: 'payments: Card payments fail.', by: ALICE, at: at() })).toMatchObject({ published: true });
  expect(await publish({ incident: (await store.load(id))!, text: 'resolved Card payments work again.', by: ALICE, at: at() })).toMatchObject({ published: true });
  await incidents.run(id, { type: 'ResolveIncident', summary: 'Rolled back.', at: at(), by: ALICE });

  const summary = 'On Monday card payments failed for 40 minutes. We are sorry. A configuration change reached production without a canary; we rolled it back and now stage every change. We apologise again.';
  const answer = await publish({ incident: (await store.load(id))!, text: `resolved ${summary}`, by: ALICE, at: at() });
  expect(answer).toMatchObject({ published: true });
  // In the postmortem_summary words (the example's customers have none: as written), not the resolution's or an update's.
  expect('reply' in answer && answer.reply).toContain(`(resolved): ${summary}\nIt is at https://status.example.test`);
});
