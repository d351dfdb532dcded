import { createIncidents } from '../../../src/app/incidents';
import { createActionTable, findActions } from '../../../src/google/action-table';
import { planTableRows } from '../../../src/google/timeline';
import { createPostmortemDocs } from '../../../src/google/postmortem-docs';
import { createDocTimeline } from '../../../src/google/timeline-sync';
import { createLogger } from '../../../src/log';
import { postmortemBlocks } from '../../../src/postmortem/content';
import { POSTMORTEM_TEMPLATE } from '../../../src/postmortem/template-text';
import { createActionSync } from '../../../src/workers/actions/reconcile';
import { createDocPace } from '../../../src/workers/timeline/pace';
import { createWatcher } from '../../../src/workers/timeline/watcher';
import { declareCommand, sam } from '../../domain/fixtures';
import { eventually } from '../../harness/firebreak';
import { FAST, incident, SHARE, worldAndStore } from '../../integration/google/setup';

/**
 * The doc watcher's second kind of doc: once the incident is resolved its incident doc's push channel stops and its
 * postmortem doc is polled (asked for by the action table's sync, as its effect does); reopened, the postmortem doc
 * is no longer watched and the incident doc is again. In process, one embedded store.
 */
const opened = worldAndStore();

test('resolved with a postmortem doc: it is polled and a typed row is read; reopened: back to the incident doc', async () => {
  const { world, store } = opened();
  const incidents = createIncidents(store);
  const at = () => new Date().toISOString();
  const { number, ...declare } = declareCommand({ incidentId: 'pm-watch-1', provisioning: ['doc'] });
  void number;
  await incidents.declare(declare);
  const doc = await world.docs.create(incident(601));
  await incidents.run('pm-watch-1', { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'doc', at: at(), by: sam });
  const log = createLogger('error', () => undefined);
  const pace = createDocPace(0);
  const timeline = createDocTimeline(world.clients, FAST);
  const policy = () => ({ windowDays: 5, timeZone: 'UTC', hour: 9 });
  const postmortems = createActionSync({ store, incidents, actions: createActionTable(world.clients, FAST), timeline, pace, log, now: () => new Date(), policy });
  const watcher = createWatcher({ store, incidents, timeline, pace, log, now: () => new Date(), pollMs: 60_000, settleMs: 0, push: { address: () => 'https://firebreak.example.com/api/google/notify', watchMs: 3_600_000 }, onChange: { postmortem: postmortems.changed } });
  const live = (fileId: string) => world.sandbox.channels().filter((c) => c.fileId === fileId);

  await watcher.tick();
  expect(live(doc.id)).toHaveLength(1);

  await incidents.run('pm-watch-1', { type: 'ResolveIncident', at: at(), by: sam });
  const resolved = (await store.load('pm-watch-1'))!;
  const pm = await createPostmortemDocs({ clients: world.clients, folderId: world.driveId, share: SHARE, retry: FAST }).create(resolved, postmortemBlocks(POSTMORTEM_TEMPLATE, { incident: resolved, events: [] }));
  await incidents.run('pm-watch-1', { type: 'RecordResourceReady', resource: 'postmortem', url: pm.url, label: 'Postmortem', at: at(), by: sam });
  // What the postmortem.actions effect does once the doc is ready: one round, then the watcher is asked to poll it.
  const withDoc = (await store.load('pm-watch-1'))!;
  await pace.exclusive('pm-watch-1', async () => postmortems.watch(withDoc, await postmortems.reconcile(withDoc, pm.id)));
  // A person types a row in its Action items table.
  await world.clients.docs.documents.batchUpdate({
    documentId: pm.id,
    requestBody: { requests: planTableRows(findActions((await world.clients.docs.documents.get({ documentId: pm.id })).data)!, 'x', [{ name: 'x', cells: ['Add a lag alert', '', '', ''] }]).filter((r) => !r.createNamedRange) },
  });
  await watcher.tick();
  expect(live(doc.id)).toEqual([]); // resolved: the incident doc needs no more notifications
  expect(live(pm.id)).toEqual([]); // the postmortem doc is polled, not pushed
  // The revision moved: the poll hands it to the action sync, and the row is an item.
  const items = await eventually(async () => (await store.load('pm-watch-1'))!.followUps, 'the typed row as an item');
  expect(items).toEqual([expect.objectContaining({ n: 1, text: 'Add a lag alert', docKey: expect.any(String) })]);
  expect(await store.docPolls.revision('pm-watch-1', 'postmortem')).toBeDefined();

  await incidents.run('pm-watch-1', { type: 'ReopenIncident', at: at(), by: sam });
  const reopened = (await store.load('pm-watch-1'))!;
  await postmortems.watch(reopened, undefined); // the effect after IncidentReopened
  expect((await store.docPolls.docs(at())).map((d) => d.kind)).toEqual(['timeline']);
  await watcher.stop(); // (the incident doc's channel opens again at its next poll, within the poll interval)
  expect(live(pm.id)).toEqual([]);
});
