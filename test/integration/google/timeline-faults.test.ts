import { createIncidents } from '../../../src/app/incidents';
import { createDocTimeline } from '../../../src/google/timeline-sync';
import { createLogger } from '../../../src/log';
import { startBotChannel, type BotChannel } from '../../../src/sandbox/botframework';
import { openStore } from '../../../src/store/open';
import type { ClaimedEffect, Store } from '../../../src/store/store';
import { failureKind } from '../../../src/outside-error';
import { timelineSync } from '../../../src/workers/effects/timeline-sync';
import { reportGiveUp } from '../../../src/workers/give-up';
import { createRunner } from '../../../src/workers/runner';
import { createDocPace } from '../../../src/workers/timeline/pace';
import { createWatcher } from '../../../src/workers/timeline/watcher';
import { declareCommand, jo, sam } from '../../domain/fixtures';
import { unauthenticatedOutbox } from '../../harness/outbox';
import { FAST, googleWorld, incident, tableRows, type GoogleWorld } from './setup';

/** Chat -> doc at its pace, while people type, and when the doc's timeline cannot be written at all. */
let world: GoogleWorld;
let store: Store;
let team: BotChannel;
beforeAll(async () => {
  world = await googleWorld();
  store = await openStore('pglite:memory');
  team = await startBotChannel({ requireAuth: false });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await team?.close();
  await world?.close();
});
beforeEach(() => world.sandbox.fault(undefined));

const row = (key: string, entry: string) => ({ key, time: '00:02', who: 'Alice Adams', entry, struck: false, fromDoc: false, rewrite: false });
const entries = (id: string) => {
  const d = world.sandbox.document(id);
  return tableRows(d, d.namedRanges['firebreak.timeline']?.namedRanges[0].ranges[0].startIndex).slice(1).map((r) => r[2]);
};
/** A keystroke of a person typing elsewhere in the doc (a new revision). */
const keystroke = (id: string) => world.sandbox.edit(id, [{ insertText: { location: { index: 1 }, text: 'x' } }], 'bob@example.com');

test('a keystroke while the write waits for the quota does not make it lose its race: the budget is taken before the read', async () => {
  const { id } = await world.docs.create(incident(80));
  const typing = { ...world.clients, writes: { take: async () => keystroke(id), refund: () => undefined } };
  const before = world.sandbox.calls.filter((c) => c.status === 400).length;
  const result = await createDocTimeline(typing, FAST).sync(id, [row('e1', 'Declared'), row('e2', 'Failover started')]);
  expect(result.written).toEqual(['e1', 'e2']);
  expect(world.sandbox.calls.filter((c) => c.status === 400).length).toBe(before);
  expect(entries(id)).toEqual(['Declared', 'Failover started']);
});

test('a write that loses every race to people typing is a conflict for the runner to retry, not a permanent failure', async () => {
  const { id } = await world.docs.create(incident(81));
  world.sandbox.fault({ match: 'docs.documents.batchUpdate', times: 3, before: () => keystroke(id) });
  const timeline = createDocTimeline(world.clients, FAST);
  const err = await timeline.sync(id, [row('e1', 'Declared')]).catch((e) => e);
  expect(failureKind(err)).toBe('conflict');
  expect((await timeline.sync(id, [row('e1', 'Declared')])).written).toEqual(['e1']);
});

test('a doc whose timeline cannot be written (no timeline table) is said in the incident conversation; the chat keeps the timeline', async () => {
  const plain = (await world.clients.docs.documents.create({ requestBody: { title: 'No table here' } })).data.documentId!;
  const now = () => new Date();
  const incidents = createIncidents(store);
  const teams = unauthenticatedOutbox(now);
  const runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    handlers: {
      'timeline.sync': timelineSync({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace: createDocPace(0), maxChars: 200, now }),
      'card.post': async () => undefined,
      'card.refresh': async () => undefined,
      'message.post': async () => undefined,
    },
    onGiveUp: reportGiveUp(incidents, now, { store, teams }),
  });
  const origin = { id: '19:ops@thread.tacv2;messageid=1', serviceUrl: team.serviceUrl };
  const { number, ...declare } = declareCommand({ incidentId: 'tl-gu-1', origin, at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await incidents.run('tl-gu-1', { type: 'RecordResourceReady', resource: 'doc', url: `https://docs.google.com/document/d/${plain}/edit`, label: 'INC doc', at: now().toISOString(), by: sam });
  await runner.drain();
  await incidents.run('tl-gu-1', { type: 'AddNote', kind: 'note', text: 'Rolled back', at: now().toISOString(), by: sam });
  await runner.drain();

  const told = team.recorded.map((r) => r.activity.text ?? '').filter((t) => t.includes('could not update the timeline'));
  expect(told).toHaveLength(1);
  expect(told[0]).toContain('no timeline table');
  expect(told[0]).toContain('The chat keeps the full timeline');
});

test("tracking a doc when the store fails is logged, never a rejection (it is called without a wait)", async () => {
  const broken = await openStore('pglite:memory');
  await broken.close();
  const warnings: string[] = [];
  const log = createLogger('warn', (line) => void warnings.push(line));
  const watcher = createWatcher({ store: broken, incidents: createIncidents(broken), timeline: createDocTimeline(world.clients, FAST), pace: createDocPace(0), log, now: () => new Date(), pollMs: 60_000, settleMs: 10, push: { address: () => 'http://127.0.0.1:9/api/google/notify', watchMs: 60_000 } });
  watcher.start();
  const tracked = await watcher.track('some-incident').then(() => 'resolved', () => 'rejected');
  await watcher.stop();
  expect(tracked).toBe('resolved');
  expect(warnings.join('\n')).toContain('watching the incident doc failed');
});

test('a doc lost and then restored (Firebreak may edit it again) is taken up again, and the timeline catches up', async () => {
  const doc = await world.docs.create(incident(82));
  const now = () => new Date();
  const incidents = createIncidents(store);
  const log = createLogger('error', () => undefined);
  const { number, ...declare } = declareCommand({ incidentId: 'tl-lost-1', provisioning: ['doc'], at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await incidents.run('tl-lost-1', { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'INC-1 doc', at: now().toISOString(), by: sam });
  // Lost while it was unshared a moment, say; it is reachable again now.
  await incidents.run('tl-lost-1', { type: 'RecordDocLost', detail: 'The incident doc is no longer shared with Firebreak.', at: now().toISOString(), by: sam });
  expect((await store.load('tl-lost-1'))!.resources.doc!.status).toBe('failed');

  const watcher = createWatcher({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace: createDocPace(0), log, now, pollMs: 60_000, settleMs: 10 });
  await watcher.tick();
  expect((await store.load('tl-lost-1'))!.resources.doc).toMatchObject({ status: 'ready', url: doc.url, label: 'INC-1 doc' });
  expect((await store.effects({ incidentId: 'tl-lost-1', pending: true })).map((e) => e.kind)).toContain('timeline.sync');

  // A doc still gone stays lost.
  await world.clients.drive.files.delete({ fileId: doc.id, supportsAllDrives: true });
  await incidents.run('tl-lost-1', { type: 'RecordDocLost', detail: 'The incident doc was deleted.', at: now().toISOString(), by: sam });
  await watcher.tick();
  expect((await store.load('tl-lost-1'))!.resources.doc!.status).toBe('failed');
});

test('the doc is watched by one push channel, however many syncs ask for it at once', async () => {
  const doc = await world.docs.create(incident(83));
  const now = () => new Date();
  const incidents = createIncidents(store);
  const { number, ...declare } = declareCommand({ incidentId: 'tl-watch-1', provisioning: ['doc'], at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await incidents.run('tl-watch-1', { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'INC-1 doc', at: now().toISOString(), by: sam });
  const log = createLogger('error', () => undefined);
  const watcher = createWatcher({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace: createDocPace(0), log, now, pollMs: 60_000, settleMs: 10, push: { address: () => `${team.serviceUrl}/notify`, watchMs: 60 * 60_000 } });
  watcher.start();
  try {
    await Promise.all([watcher.track('tl-watch-1'), watcher.track('tl-watch-1'), watcher.track('tl-watch-1')]);
  } finally {
    await watcher.stop();
  }
  expect(world.sandbox.channels().filter((c) => c.fileId === doc.id)).toHaveLength(1);
  expect(await store.timeline.channels('tl-watch-1')).toHaveLength(1);
});

test("notes that arrive while a doc waits for its pace go in one write, started an interval after the previous write's start", async () => {
  const doc = await world.docs.create(incident(84));
  const now = () => new Date();
  const incidents = createIncidents(store);
  const id = 'tl-pace-1';
  const { number, ...declare } = declareCommand({ incidentId: id, provisioning: ['doc'], at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await incidents.run(id, { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'INC-1 doc', at: now().toISOString(), by: sam });
  // The pace's clock is the test's: each write "takes" 600 ms, and notes arrive while the next one waits its turn.
  let t = 0;
  const waits: number[] = [];
  let meanwhile = async () => undefined as void;
  const pace = createDocPace(1000, () => t, async (ms) => {
    waits.push(ms);
    t += ms;
    await meanwhile();
  });
  const sync = timelineSync({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace, maxChars: 200, now });
  const effect = { incidentId: id } as ClaimedEffect;
  const signal = new AbortController().signal;
  await sync(effect, signal); // the declaration, written at once
  t += 600;
  const note = (text: string) => incidents.run(id, { type: 'AddNote', kind: 'note', text, at: now().toISOString(), by: jo });
  await note('Failover started');
  meanwhile = async () => {
    await note('Replica lag 40 s');
    await note('Failover done');
  };
  const since = world.sandbox.calls.length;
  await sync(effect, signal);
  expect(waits).toEqual([400]);
  expect(world.sandbox.calls.slice(since).filter((c) => c.method === 'docs.documents.batchUpdate').map((c) => c.status)).toEqual([200]);
  expect(entries(doc.id).slice(-3)).toEqual(['Failover started', 'Replica lag 40 s', 'Failover done']);
});

test('a note sent while the write waits for the Docs budget goes in that write, not a pace interval later in the next', async () => {
  const doc = await world.docs.create(incident(85));
  const now = () => new Date();
  const incidents = createIncidents(store);
  const id = 'tl-budget-1';
  const { number, ...declare } = declareCommand({ incidentId: id, provisioning: ['doc'], at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await incidents.run(id, { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'INC-1 doc', at: now().toISOString(), by: sam });
  const note = (text: string) => incidents.run(id, { type: 'AddNote', kind: 'note', text, at: now().toISOString(), by: jo });
  await note('Failover started');
  // The service's Docs budget is spent: the write waits for its token, and the chat goes on meanwhile.
  let waiting = async () => undefined as void;
  const budgeted = { ...world.clients, writes: { take: () => waiting(), refund: () => undefined } };
  waiting = async () => {
    waiting = async () => undefined;
    await note('Replica lag 40 s');
  };
  const since = world.sandbox.calls.length;
  await timelineSync({ store, incidents, timeline: createDocTimeline(budgeted, FAST), pace: createDocPace(1000), maxChars: 200, now })({ incidentId: id } as ClaimedEffect, new AbortController().signal);
  expect(world.sandbox.calls.slice(since).filter((c) => c.method === 'docs.documents.batchUpdate').map((c) => c.status)).toEqual([200]);
  expect(entries(doc.id).slice(-2)).toEqual(['Failover started', 'Replica lag 40 s']);
  // Both are recorded as written: the next sync has nothing to write.
  const texts = [...(await store.timeline.rows(id)).values()].map((r) => [r.text, r.pending]);
  expect(texts).toEqual(expect.arrayContaining([['Failover started', null], ['Replica lag 40 s', null]]));
});
