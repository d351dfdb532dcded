import { createIncidents } from '../src/app/incidents';
import { googleClients, type GoogleClients } from '../src/google/clients';
import { lockedWrite } from '../src/google/locked-write';
import { withRetry } from '../src/google/retry';
import { createDocTimeline } from '../src/google/timeline-sync';
import { createDocsBudget, createWriteBudget } from '../src/google/write-budget';
import { createLogger } from '../src/log';
import { openStore } from '../src/store/open';
import type { Store } from '../src/store/store';
import { createDocPace } from '../src/workers/timeline/pace';
import { createWatcher, type PollState } from '../src/workers/timeline/watcher';
import { FAST, googleWorld, incident, SERVICE_ACCOUNT, SUBJECT, type GoogleWorld } from '../test/integration/google/setup';
import { keepingMeasured, measured, type Measure, type MeasureDef } from './measure';
import { report, round } from './stats';
import type { StoreName } from './stores';

export const DOCS_READS: MeasureDef = {
  id: 'docs-reads-per-minute',
  measure: 'Docs reads a minute for change detection, whole service (2 replicas, polling only), busiest minute at each N',
  goal: '<= 240/min at every N, every doc polled',
};
export const DOCS_WRITES: MeasureDef = { id: 'docs-writes-2-replicas', measure: 'Docs writes in the busiest minute, 2 replicas writing as fast as they may, every Docs call slowed', goal: '<= 60/min/user, 0 x 429' };

/**
 * Issue 15 items 4-5: the Docs quota is the Google user's, so it holds for the whole service.
 * - Change detection: N active incidents' docs watched by two replicas on one store, polling only (no push: the
 *   worst case), production settings (TIMELINE_POLL_SECONDS 30, 200 reads a minute of which 150 for polls), over
 *   `minutes` of injected time; Docs reads a minute for the whole service. A tenth of the incidents get a note each
 *   minute (they stay active), the rest go quiet.
 * - Writes: two replicas' write budgets on one store writing as fast as they may for 70 s of real time against the
 *   sandbox's enforced quota (60 a minute per user): writes in the busiest minute and 429s.
 * The replicas are two store connections on one database (PostgreSQL: two pools; the embedded store: one store the two
 * share, as two processes share PostgreSQL), in this process: the budget under test is the store's. Change detection
 * runs in injected time with the sandbox answering at once (it counts reads, and 8 minutes of reads slowed would take
 * an hour); the writes run in real time with every Docs call slowed.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const busiestMinute = (times: number[]) => Math.max(0, ...times.map((s) => times.filter((u) => u >= s && u < s + 60_000).length));

function clients(world: GoogleWorld, onRequest?: (method: string, url: string) => Promise<void>): GoogleClients {
  return googleClients({ clientEmail: SERVICE_ACCOUNT, privateKey: world.privateKey }, SUBJECT, { docsUrl: world.sandbox.url, driveUrl: world.sandbox.url, tokenUrl: world.sandbox.tokenUrl }, onRequest);
}

/** Two replicas' stores on one new database; `close` closes both. */
async function replicaStores(store: StoreName, databaseUrl: string): Promise<{ stores: [Store, Store]; close(): Promise<void> }> {
  if (store === 'embedded') {
    const one = await openStore(databaseUrl);
    return { stores: [one, one], close: () => one.close() };
  }
  const stores: [Store, Store] = [await openStore(databaseUrl), await openStore(databaseUrl)];
  return { stores, close: async () => void (await Promise.all(stores.map((s) => s.close()))) };
}

async function changeDetection(world: GoogleWorld, n: number, minutes: number, replicas: { stores: [Store, Store] }) {
  const store = replicas.stores[0];
  let t = Date.parse('2026-03-15T12:00:00.000Z');
  const incidents = createIncidents(store);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `bench-${n}-${i}`;
    const copy = await withRetry('copying', () => world.clients.drive.files.copy({ fileId: world.templateId, supportsAllDrives: true, requestBody: { name: id, parents: [world.driveId] } }), FAST);
    const at = new Date(t).toISOString();
    await incidents.declare({ type: 'DeclareIncident', incidentId: id, title: `Bench ${i}`, origin: { id: '19:bench@thread.tacv2', serviceUrl: 'http://localhost/' }, provisioning: ['doc'], at, by: { id: 'u', name: 'Bench' } });
    await incidents.run(id, { type: 'RecordResourceReady', resource: 'doc', url: `https://docs.google.com/document/d/${copy.data.id}/edit`, label: 'doc', at, by: { id: 'u', name: 'Bench' } });
    ids.push(id);
  }
  const reads: number[] = [];
  const polled = new Set<string>();
  let overdrawn = 0;
  let last: PollState | undefined;
  const warnings: string[] = [];
  const perMinute = 200;
  const replica = (s: Store) => {
    const budget = createDocsBudget(s.budgets, { name: `docs-reads:${n}`, perMinute, now: () => t });
    const c = clients(world, async (method, url) => {
      const doc = /\/v1\/documents\/([^/:?]+)/.exec(new URL(url).pathname)?.[1];
      if (method !== 'GET' || !doc) return;
      if ((await s.budgets.take(`docs-reads:${n}`, perMinute, budget.burst, t)) > 0) overdrawn++;
      reads.push(t);
      polled.add(doc);
    });
    return createWatcher({
      store: s,
      incidents: createIncidents(s),
      timeline: createDocTimeline(c, FAST),
      pace: createDocPace(0),
      log: createLogger('warn', (line) => warnings.push(line)),
      now: () => new Date(t),
      pollMs: 30_000,
      settleMs: 0,
      reads: { budget, pollsPerMinute: perMinute - 50 },
      onPlan: (state) => (last = state),
    });
  };
  const [a, b] = [replica(replicas.stores[0]), replica(replicas.stores[1])];
  const start = t;
  const stepMs = Number(process.env.DOC_READS_STEP_MS ?? 5_000);
  for (let step = 1; step * stepMs <= minutes * 60_000; step++) {
    t = start + step * stepMs;
    if ((step * stepMs) % 60_000 === 0) {
      for (const id of ids.slice(0, Math.ceil(n / 10))) {
        await incidents.run(id, { type: 'RecordMessage', messageId: `m${step}`, text: 'still on it', author: { id: 'u', name: 'Bench' }, sentAt: new Date(t).toISOString(), at: new Date(t).toISOString(), by: { id: 'u', name: 'Bench' } });
      }
    }
    await a.tick();
    await b.tick();
  }
  await Promise.all([a.stop(), b.stop()]);
  const perMin = Array.from({ length: minutes }, (_, m) => reads.filter((r) => r > start + m * 60_000 && r <= start + (m + 1) * 60_000).length);
  const figures = {
    perMinute: perMin.join('/'),
    busiestMinute: busiestMinute(reads),
    docsPolled: `${polled.size}/${n}`,
    overdrawn,
    stretch: last ? round(last.stretch) : '-',
    intervalMaxS: last ? round(last.intervalMaxSeconds) : '-',
    stretchWarnings: warnings.filter((w) => w.includes('too many watched docs')).length,
  };
  report(`Docs reads for change detection, N=${n}`, figures, '<= 240/min for the whole service; every doc polled');
  return { n, busiest: figures.busiestMinute, polled: polled.size, figures };
}

async function twoReplicaWrites(world: GoogleWorld, seconds: number, replicas: { stores: [Store, Store] }, latencyMs: number) {
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await world.docs.create(incident(900 + i))).id);
  const since = world.sandbox.calls.length;
  // Each replica its own clients and its own budget object, on the one bucket in the store (main.ts's default pace).
  const replica = (store: Store): GoogleClients => ({ ...clients(world), writes: createWriteBudget(store.budgets, { name: `docs-writes:${SUBJECT}`, perMinute: 50 }) });
  const until = Date.now() + seconds * 1000;
  const writer = async (c: GoogleClients, k: number) => {
    for (let i = 0; Date.now() < until; i++) {
      const docId = ids[(i + k) % ids.length];
      await lockedWrite(c, 'bench write', docId, () => ({ requests: [{ insertText: { location: { index: 1 }, text: `r${k}.${i} ` } }], result: undefined }), FAST).catch(() => undefined);
    }
  };
  // Two replicas, each with several writers at once (a busy incident storm).
  const [a, b] = [replica(replicas.stores[0]), replica(replicas.stores[1])];
  world.sandbox.fault(latencyMs > 0 ? { latencyMs } : undefined);
  await Promise.all([a, b].flatMap((c, k) => [0, 1, 2].map(() => writer(c, k))));
  world.sandbox.fault(undefined);
  await sleep(100);
  const writes = world.sandbox.calls.slice(since).filter((c) => c.method === 'docs.documents.batchUpdate');
  const ok = writes.filter((c) => c.status === 200).map((c) => c.at);
  const figures = { writes: ok.length, busiestMinute: busiestMinute(ok), status429: writes.filter((c) => c.status === 429).length, seconds };
  report(`Docs writes, 2 replicas, ${seconds} s`, figures, '<= 60/min/user, 0 x 429');
  return figures;
}

/** Change detection at each N, then (unless `writeSeconds` is 0) the two replicas' writes; each on a database of its own. */
export async function docReadsBench(opts: {
  store: StoreName;
  fresh: (label: string) => Promise<string>;
  outsideLatencyMs: number;
  sizes?: number[];
  minutes?: number;
  writeSeconds?: number;
}): Promise<Measure[]> {
  const world = await googleWorld({ writesPerMinute: 60 });
  const measures: Measure[] = [];
  try {
    return await keepingMeasured(measures, () => both(world, opts, measures));
  } finally {
    await world.close();
  }
}

/** Pushes each measure to `measures` as soon as it has it. */
async function both(world: GoogleWorld, opts: Parameters<typeof docReadsBench>[0], measures: Measure[]): Promise<Measure[]> {
  const store = opts.store;
  const sizes = opts.sizes ?? [10, 100, 1000];
  const runs = [];
  for (const n of sizes) {
    const replicas = await replicaStores(store, await opts.fresh(`doc-reads-${n}`));
    try {
      runs.push(await changeDetection(world, n, opts.minutes ?? 8, replicas));
    } finally {
      await replicas.close();
    }
  }
  const pass = runs.every((r) => r.busiest <= 240 && r.polled === r.n);
  const figure = `N=${sizes.join('/')} -> busiest ${runs.map((r) => r.busiest).join('/')} reads/min, polled ${runs.map((r) => `${r.polled}/${r.n}`).join(', ')}`;
  measures.push(measured(DOCS_READS, figure, undefined, pass, { store, why: 'injected time, the sandbox answering at once: it counts reads', details: { runs: runs.map((r) => ({ n: r.n, ...r.figures })), minutes: opts.minutes ?? 8 } }));
  const seconds = opts.writeSeconds ?? 70;
  if (seconds > 0) {
    const replicas = await replicaStores(store, await opts.fresh('doc-writes'));
    try {
      const w = await twoReplicaWrites(world, seconds, replicas, opts.outsideLatencyMs);
      measures.push(measured(DOCS_WRITES, w.busiestMinute, 'writes/min', w.busiestMinute <= 60 && w.status429 === 0, { store, details: w }));
    } finally {
      await replicas.close();
    }
  }
  return measures;
}
