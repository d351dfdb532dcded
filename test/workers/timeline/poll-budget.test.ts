import { createIncidents } from '../../../src/app/incidents';
import { googleClients } from '../../../src/google/clients';
import { withRetry } from '../../../src/google/retry';
import { createDocTimeline } from '../../../src/google/timeline-sync';
import { createDocsBudget } from '../../../src/google/write-budget';
import { createLogger } from '../../../src/log';
import { createMetrics } from '../../../src/metrics/registry';
import type { Store } from '../../../src/store/store';
import { createDocPace } from '../../../src/workers/timeline/pace';
import { createWatcher, type Watcher } from '../../../src/workers/timeline/watcher';
import { declareCommand, sam } from '../../domain/fixtures';
import { onTwoReplicas } from '../../harness/replicas';
import { FAST, googleWorld, SERVICE_ACCOUNT, SUBJECT, type GoogleWorld } from '../../integration/google/setup';

/**
 * Change detection within the Docs read quota (issue 15 item 5): two replicas' watchers on one store, an injected
 * clock moved by the test, the Google sandbox answering the polls. Reads are counted per doc as they leave the
 * clients, each taking its token from the shared read bucket (a read the bucket did not hold counts as overdrawn).
 */
let world: GoogleWorld;
beforeAll(async () => {
  world = await googleWorld();
}, 60_000);
afterAll(() => world?.close());

const T0 = Date.parse('2026-03-15T12:00:00.000Z');
const POLL_MS = 10_000; // a doc active now wants a poll every 10 s; a quiet or pushed one every 100 s

onTwoReplicas('doc polls within the read budget', (replicaStores, backend) => {
  let t = T0;
  let n = 0;
  const now = () => new Date(t);

  async function docFor(id: string, at: number): Promise<string> {
    // A copy of the template is doc enough to poll (a kept-alive socket the sandbox closed is retried, as Firebreak's calls are).
    const copy = await withRetry('copying the template', () => world.clients.drive.files.copy({ fileId: world.templateId, supportsAllDrives: true, requestBody: { name: `${backend} ${id}`, parents: [world.driveId] } }), FAST);
    const incidents = createIncidents(replicaStores()[0]);
    const { number, ...declare } = declareCommand({ incidentId: id, provisioning: ['doc'], at: new Date(at).toISOString() });
    void number;
    await incidents.declare(declare);
    await incidents.run(id, { type: 'RecordResourceReady', resource: 'doc', url: `https://docs.google.com/document/d/${copy.data.id}/edit`, label: 'doc', at: new Date(at).toISOString(), by: sam });
    return copy.data.id!;
  }

  /** Two replicas sharing one read bucket of `perMinute` (burst 4), their reads counted by doc. */
  function replicas(perMinute: number, onChange?: Parameters<typeof createWatcher>[0]['onChange']) {
    const bucket = `${backend}:docs-reads:${++n}`;
    const reads: { doc: string; at: number }[] = [];
    let overdrawn = 0;
    const warnings: string[] = [];
    const metrics = createMetrics();
    const make = (store: Store): Watcher => {
      const budget = createDocsBudget(store.budgets, { name: bucket, perMinute, burst: 4, now: () => t });
      const clients = googleClients({ clientEmail: SERVICE_ACCOUNT, privateKey: world.privateKey }, SUBJECT, { docsUrl: world.sandbox.url, driveUrl: world.sandbox.url, tokenUrl: world.sandbox.tokenUrl }, async (method, url) => {
        const doc = /\/v1\/documents\/([^/:?]+)/.exec(new URL(url).pathname)?.[1];
        if (method !== 'GET' || !doc) return;
        if ((await store.budgets.take(bucket, perMinute, 4, t)) > 0) overdrawn++;
        reads.push({ doc, at: t });
      });
      return createWatcher({
        store,
        incidents: createIncidents(store),
        timeline: createDocTimeline(clients, FAST),
        pace: createDocPace(0),
        log: createLogger('warn', (line) => warnings.push(line)),
        now,
        pollMs: POLL_MS,
        settleMs: 10,
        reads: { budget, pollsPerMinute: perMinute },
        onPlan: (state) => metrics.docPolls(state),
        ...(onChange && { onChange }),
      });
    };
    const [a, b] = replicaStores().map(make);
    return {
      reads,
      warnings,
      metrics,
      overdrawn: () => overdrawn,
      /** Moves the clock `ms` in steps of 2.5 s, each replica taking its round in turn. */
      async run(ms: number) {
        for (let done = 0; done < ms; done += 2_500) {
          t += 2_500;
          await a.tick();
          await b.tick();
        }
      },
    };
  }
  const busiestMinute = (times: number[]) => Math.max(0, ...times.map((s) => times.filter((u) => u >= s && u < s + 60_000).length));

  test('past the budget: never more reads a minute than the shared bucket holds, every doc still polled, the stretch said once and in the metric', async () => {
    t += 3600_000;
    const docs = await Promise.all(Array.from({ length: 12 }, (_, i) => docFor(`${backend}-many-${i}`, t)));
    const r = replicas(12); // 12 docs wanting 6 polls a minute each: 72 wanted, 12 allowed
    await r.run(4 * 60_000);
    expect(r.overdrawn()).toBe(0);
    expect(busiestMinute(r.reads.map((x) => x.at))).toBeLessThanOrEqual(12 + 4); // a minute's tokens and the burst
    for (const doc of docs) expect(r.reads.filter((x) => x.doc === doc).length).toBeGreaterThanOrEqual(1);
    expect(r.warnings.filter((l) => l.includes('too many watched docs for the Docs read budget'))).toHaveLength(2); // once per replica
    const text = await r.metrics.registry.metrics();
    expect(Number(/^firebreak_doc_poll_stretch (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(1);
    expect(Number(/^firebreak_doc_poll_interval_seconds (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(POLL_MS / 1000);
  });

  test('within the budget: an active doc is polled more often than a quiet one; one with a live push channel only as a safety net; a resolved one never', async () => {
    t += 3600_000;
    const active = await docFor(`${backend}-active`, t);
    const quiet = await docFor(`${backend}-quiet`, t - 3600_000); // nothing has happened there for an hour
    const pushed = await docFor(`${backend}-pushed`, t);
    await replicaStores()[0].timeline.addChannel({ id: `${backend}-ch`, incidentId: `${backend}-pushed`, docId: pushed, resourceId: 'r', token: 'x', expiration: new Date(t + 3600_000).toISOString() });
    const resolved = await docFor(`${backend}-resolved`, t);
    await createIncidents(replicaStores()[0]).run(`${backend}-resolved`, { type: 'ResolveIncident', at: new Date(t).toISOString(), by: sam });
    expect((await replicaStores()[0].load(`${backend}-resolved`))!.status).toBe('resolved');

    const r = replicas(600);
    await r.run(5 * 60_000);
    const polls = (doc: string) => r.reads.filter((x) => x.doc === doc).length;
    expect(polls(active)).toBeGreaterThanOrEqual(10); // every 10 s while it stays active, slowing as it quiets down
    expect(polls(quiet)).toBeLessThanOrEqual(4); // every 100 s
    expect(polls(quiet)).toBeGreaterThanOrEqual(1);
    expect(polls(pushed)).toBeLessThanOrEqual(4);
    expect(polls(resolved)).toBe(0);
    expect(r.overdrawn()).toBe(0);
    expect(r.warnings.join('\n')).not.toContain('too many watched docs');
  });

  test('a doc watched on request (a postmortem doc) is polled after its incident is resolved, and its handler hears of each change once', async () => {
    t += 3600_000;
    const id = `${backend}-pm`;
    const doc = await docFor(id, t);
    await createIncidents(replicaStores()[0]).run(id, { type: 'ResolveIncident', at: new Date(t).toISOString(), by: sam });
    const revisionId = world.sandbox.document(doc).revisionId as string;
    await replicaStores()[0].docPolls.watch({ incidentId: id, kind: 'postmortem', docId: doc, revisionId }, new Date(t).toISOString());
    const heard: string[] = [];
    const r = replicas(600, { postmortem: async (d) => void heard.push(`${d.incidentId} ${d.revisionId}`) });
    await r.run(30_000);
    expect(r.reads.filter((x) => x.doc === doc).length).toBeGreaterThanOrEqual(1);
    expect(heard).toEqual([]);
    world.sandbox.edit(doc, [{ insertText: { location: { index: 1 }, text: 'Action items: ' } }]);
    await r.run(30_000);
    expect(heard).toEqual([`${id} ${world.sandbox.document(doc).revisionId}`]);
    await replicaStores()[0].docPolls.unwatch(id, 'postmortem');
    const before = r.reads.length;
    await replicaStores()[1].docPolls.changed(id, 'postmortem', new Date(t).toISOString(), 'late'); // a poll finishing after the unwatch
    await r.run(30_000);
    expect(r.reads.filter((x) => x.doc === doc).length).toBe(r.reads.slice(0, before).filter((x) => x.doc === doc).length);
    expect((await replicaStores()[0].docPolls.docs(new Date(t).toISOString())).filter((d) => d.incidentId === id)).toEqual([]);
  });

  test('a doc watched without a known revision: its first poll is handed on (what changed before the watch is read)', async () => {
    t += 3600_000;
    const id = `${backend}-pm-unknown`;
    const doc = await docFor(id, t);
    await replicaStores()[0].docPolls.watch({ incidentId: id, kind: 'postmortem', docId: doc }, new Date(t).toISOString());
    const heard: string[] = [];
    const r = replicas(600, { postmortem: async (d) => void heard.push(`${d.incidentId} ${d.revisionId}`) });
    await r.run(30_000);
    expect(heard).toEqual([`${id} ${world.sandbox.document(doc).revisionId}`]);
    await replicaStores()[0].docPolls.unwatch(id, 'postmortem');
  });
});
