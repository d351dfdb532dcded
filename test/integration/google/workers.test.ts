import { randomUUID } from 'node:crypto';
import { createIncidents, type Incidents } from '../../../src/app/incidents';
import { createDocTimeline } from '../../../src/google/timeline-sync';
import { createLogger } from '../../../src/log';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { docCreate } from '../../../src/workers/effects/doc-create';
import { docFill } from '../../../src/workers/effects/doc-fill';
import { SYSTEM } from '../../../src/workers/effects/system';
import { timelineSync } from '../../../src/workers/effects/timeline-sync';
import { reportGiveUp } from '../../../src/workers/give-up';
import { createRunner, type Runner } from '../../../src/workers/runner';
import { createDocPace, type DocPace } from '../../../src/workers/timeline/pace';
import { eventually } from '../../harness/firebreak';
import { isFill } from '../../harness/google-deployment';
import { ALICE, FAST, googleWorld, plainText, tableRows, type GoogleWorld } from './setup';

/** The doc.create, doc.fill and timeline.sync effects through the real outbox runner and store, against the sandbox. */
let world: GoogleWorld;
let store: Store;
let incidents: Incidents;
let runner: Runner;
const now = () => new Date();
const pace = createDocPace(0); // the doc's turn, shared by its writers as in main.ts
/** The timeline sync's turns on the doc, as it asks for them: asked, then entered (the doc is its alone), then done. */
const syncTurns: { entered: boolean; done: boolean }[] = [];
const syncPace: DocPace = {
  ...pace,
  exclusive(key, fn) {
    const turn = { entered: false, done: false };
    syncTurns.push(turn);
    return pace.exclusive(key, async () => {
      turn.entered = true;
      try {
        return await fn();
      } finally {
        turn.done = true;
      }
    });
  },
};

beforeAll(async () => {
  world = await googleWorld();
  store = await openStore('pglite:memory');
  incidents = createIncidents(store, () => runner.wake());
  runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    pollMs: 20,
    backoffMs: () => 20,
    onGiveUp: reportGiveUp(incidents, now),
    handlers: {
      'doc.create': docCreate({ store, incidents, docs: world.docs, pace, now }),
      'doc.fill': docFill({ store, incidents, docs: world.docs, pace, now }),
      'timeline.sync': timelineSync({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace: syncPace, maxChars: 200, now }),
      // The bridge is Graph's: here it stays "being set up" until the test records it ready.
      'bridge.create': async () => undefined,
      'card.post': async () => undefined,
      'card.refresh': async () => undefined,
      'message.post': async () => undefined,
    },
  });
  runner.start();
});
afterAll(async () => {
  await runner?.stop();
  await store?.close();
  await world?.close();
});
beforeEach(() => world.sandbox.fault(undefined));

async function declare(title: string): Promise<string> {
  const incidentId = randomUUID();
  await incidents.declare({ type: 'DeclareIncident', incidentId, title, origin: { id: '19:ops@thread.tacv2', serviceUrl: 'http://localhost/' }, provisioning: ['doc', 'bridge'], at: now().toISOString(), by: ALICE });
  return incidentId;
}
const resource = async (id: string, kind: 'doc' | 'bridge') => (await store.load(id))!.resources[kind];

test('the doc is created and recorded ready; the bridge link arriving later fills its placeholder', async () => {
  const id = await declare('Login page blank');
  const doc = await eventually(async () => ((await resource(id, 'doc'))?.status === 'ready' ? resource(id, 'doc') : undefined), 'the doc ready');
  const incident = (await store.load(id))!;
  expect(doc).toMatchObject({ label: `INC-${incident.number} Login page blank`, url: expect.stringContaining('/sandbox/docs/') });
  const docId = doc!.url!.split('/').pop()!;
  expect(plainText(world.sandbox.document(docId))).toContain('Meeting bridge: (being set up…)\n');

  const bridge = 'https://teams.microsoft.com/l/meetup-join/abc';
  await incidents.run(id, { type: 'RecordResourceReady', resource: 'bridge', url: bridge, label: 'Bridge', at: now().toISOString(), by: SYSTEM });
  await eventually(() => (plainText(world.sandbox.document(docId)).includes(`Meeting bridge: ${bridge}\n`) ? true : undefined), 'the bridge link in the doc');
  await eventually(async () => ((await store.effects({ incidentId: id, pending: true })).every((e) => ['reminder.update', 'reminder.handoff', 'escalate.overdue'].includes(e.kind)) ? true : undefined), 'every effect settled (reminders wait for the cadence)');
  expect((await store.effects({ incidentId: id })).filter((e) => e.kind.startsWith('doc.')).map((e) => [e.key.split(':')[0], e.outcome])).toEqual([
    ['doc.create', 'done'],
    ['doc.fill', 'done'], // the bridge's; the doc was filled as it was made, not once more when recorded
  ]);
});

test('while Google fails the doc shows as retrying; then it is made once', async () => {
  world.sandbox.fault({ match: 'drive.files.copy', status: 503, times: 6 });
  const id = await declare('Search is slow');
  const retrying = await eventually(async () => ((await resource(id, 'doc'))?.status === 'retrying' ? resource(id, 'doc') : undefined), 'the doc retrying');
  expect(retrying!.detail).toMatch(/^creating the incident doc: Google answered 503/);
  await eventually(async () => ((await resource(id, 'doc'))?.status === 'ready' ? true : undefined), 'the doc ready', 15_000);
  expect(world.sandbox.files().filter((f) => f.appProperties.firebreakIncident === id)).toHaveLength(1);
});

test('a permanent failure gives up at once and says why', async () => {
  world.sandbox.fault({ match: 'drive.files.copy', status: 403, reason: 'insufficientFilePermissions' });
  const id = await declare('Billing export stuck');
  const failed = await eventually(async () => ((await resource(id, 'doc'))?.status === 'failed' ? resource(id, 'doc') : undefined), 'the doc failed');
  expect(failed!.detail).toMatch(/^creating the incident doc: Google answered 403/);
});

test('a note arriving while the doc is being filled waits for the fill: it lands after it, with no revision race', async () => {
  const id = await declare('Cache stampede');
  const doc = await eventually(async () => ((await resource(id, 'doc'))?.status === 'ready' ? resource(id, 'doc') : undefined), 'the doc ready');
  const docId = doc!.url!.split('/').pop()!;
  const entries = () => {
    const d = world.sandbox.document(docId);
    return tableRows(d, d.namedRanges['firebreak.timeline']?.namedRanges[0].ranges[0].startIndex).slice(1).map((r) => r[2]);
  };
  await eventually(() => (entries().some((e) => e.startsWith('Declared')) ? true : undefined), 'the declaration row');

  // The severity changes: the fill reads the doc, and its write is held there, between its read and its write.
  let release!: () => void;
  let holding = false;
  const since = world.sandbox.calls.length;
  world.sandbox.fault({ match: 'docs.documents.batchUpdate', bodyIncludes: 'firebreak.field.', times: 1, before: () => (holding = true), hold: new Promise<void>((r) => (release = r)) });
  await incidents.run(id, { type: 'ChangeSeverity', severity: 1, at: now().toISOString(), by: ALICE });
  await eventually(() => (holding ? true : undefined), 'the fill between its read and its write');
  const asked = syncTurns.length;
  await incidents.run(id, { type: 'AddNote', kind: 'note', text: 'Warmed the cache by hand', at: now().toISOString(), by: ALICE });
  // Let go of the fill once no sync is writing and one waits for the doc's turn (the fill holds it), or, were the
  // fill not holding it, once the syncs wrote: they would have read the revision the fill read, and written first.
  await eventually(() => {
    const writing = syncTurns.some((t) => t.entered && !t.done);
    const waiting = syncTurns.some((t) => !t.entered);
    const wrote = syncTurns.length > asked && syncTurns.every((t) => t.done);
    return !writing && (waiting || wrote) ? true : undefined;
  }, "the note's sync under way");
  release();

  await eventually(() => (entries().includes('Warmed the cache by hand') ? true : undefined), 'the note in the doc');
  await eventually(() => (plainText(world.sandbox.document(docId)).includes('Severity: 1 (') ? true : undefined), 'the severity filled');
  const writes = world.sandbox.calls.slice(since).filter((c) => c.documentId === docId && c.method === 'docs.documents.batchUpdate');
  expect(writes.filter((c) => c.status !== 200)).toEqual([]); // no write lost a revision race (400) and was made again
  const fill = writes.findIndex(isFill);
  expect(fill).toBeGreaterThanOrEqual(0);
  expect(writes.slice(fill + 1).some((c) => !isFill(c))).toBe(true); // the note's row came after the fill
});
