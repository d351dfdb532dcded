import { randomUUID } from 'node:crypto';
import { createIncidents, type Incidents } from '../../../src/app/incidents';
import { createLogger } from '../../../src/log';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { docCreate } from '../../../src/workers/effects/doc-create';
import { docFill } from '../../../src/workers/effects/doc-fill';
import { SYSTEM } from '../../../src/workers/effects/system';
import { reportGiveUp } from '../../../src/workers/give-up';
import { createRunner, type Runner } from '../../../src/workers/runner';
import { createDocPace } from '../../../src/workers/timeline/pace';
import { eventually } from '../../harness/firebreak';
import { ALICE, googleWorld, plainText, type GoogleWorld } from './setup';

/** The doc.create and doc.fill effects through the real outbox runner and store, against the sandbox. */
let world: GoogleWorld;
let store: Store;
let incidents: Incidents;
let runner: Runner;
const now = () => new Date();
const pace = createDocPace(0); // the doc's turn, shared by its writers as in main.ts

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
