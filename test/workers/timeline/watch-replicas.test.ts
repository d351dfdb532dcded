import { createIncidents } from '../../../src/app/incidents';
import { createDocTimeline } from '../../../src/google/timeline-sync';
import { createLogger } from '../../../src/log';
import type { Store } from '../../../src/store/store';
import { createDocPace } from '../../../src/workers/timeline/pace';
import { createWatcher, type Watcher } from '../../../src/workers/timeline/watcher';
import { declareCommand, sam } from '../../domain/fixtures';
import { onTwoReplicas } from '../../harness/replicas';
import { FAST, googleWorld, incident, type GoogleWorld } from '../../integration/google/setup';

/**
 * Two replicas on one database watch the same docs: each doc gets one Drive push channel, whichever replica opens it,
 * and a failed open holds off both. The claim lives in the store, not in either process.
 */
let world: GoogleWorld;
beforeAll(async () => {
  world = await googleWorld();
}, 60_000);
afterAll(() => world?.close());

onTwoReplicas('one watch channel per doc', (replicaStores, name) => {
  let n = 0;
  async function incidentWithDoc(): Promise<{ id: string; docId: string }> {
    const id = `${name}-watch-${++n}`;
    const doc = await world.docs.create(incident(500 + n));
    const incidents = createIncidents(replicaStores()[0]);
    const { number, ...declare } = declareCommand({ incidentId: id, provisioning: ['doc'] });
    void number;
    await incidents.declare(declare);
    await incidents.run(id, { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'doc', at: new Date().toISOString(), by: sam });
    return { id, docId: doc.id };
  }
  function replica(store: Store): Watcher {
    return createWatcher({
      store,
      incidents: createIncidents(store),
      timeline: createDocTimeline(world.clients, FAST),
      pace: createDocPace(0),
      log: createLogger('error', () => undefined),
      now: () => new Date(),
      pollMs: 60_000,
      settleMs: 10,
      push: { address: () => 'https://firebreak.example.com/api/google/notify', watchMs: 3_600_000 },
    });
  }
  const watchCalls = () => world.sandbox.calls.filter((c) => c.method === 'drive.files.watch');

  test('both replicas tracking a doc at once open one push channel', async () => {
    const { id, docId } = await incidentWithDoc();
    const [a, b] = [replica(replicaStores()[0]), replica(replicaStores()[1])];
    a.start();
    b.start();
    await Promise.all([a.track(id), b.track(id), a.track(id), b.track(id)]);
    await Promise.all([a.stop(), b.stop()]);
    expect(world.sandbox.channels().filter((c) => c.fileId === docId)).toHaveLength(1);
    expect(await replicaStores()[0].timeline.channels(id)).toHaveLength(1);
  });

  test('a push channel Drive refused is not asked for again, by the refused replica or the other, until the back-off is over', async () => {
    const { id } = await incidentWithDoc();
    const [a, b] = [replica(replicaStores()[0]), replica(replicaStores()[1])];
    a.start();
    b.start();
    const before = watchCalls().length;
    world.sandbox.fault({ match: 'drive.files.watch', status: 400 });
    await a.track(id);
    await a.track(id);
    await b.track(id);
    await a.tick();
    world.sandbox.fault(undefined);
    await Promise.all([a.stop(), b.stop()]);
    expect(watchCalls().length - before).toBe(1);
    expect(await replicaStores()[0].timeline.channels(id)).toEqual([]);
  });
});
