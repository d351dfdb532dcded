import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIncidents } from '../src/app/incidents';
import { openStore } from '../src/store/open';
import { ALICE, channelMessage, post, TENANT } from '../test/harness/activities';
import { startFirebreak, type RunningFirebreak } from '../test/harness/firebreak';
import { googleDeployment } from '../test/harness/google-deployment';
import { graphDeployment } from '../test/harness/graph-deployment';
import { createDatabase, dropDatabase } from '../test/harness/databases';
import { findPgBin, startCluster } from '../test/harness/postgres';
import { atMost, failed, type Measure } from './measure';

const APP_ID = '7a1d0e1f-3333-4444-8555-988888888888';
const SECRET = 'bench-secret';
const METRICS_TOKEN = 'memory-bench-metrics-token-0123456789abcdef';
const GOAL_MB = { postgres: 150, embedded: 300 } as const;

export interface MemoryBenchOptions {
  /**
   * Where the store lives: a PostgreSQL server (`postgres://…`; a fresh database is made in it for the run and dropped
   * after) or, for the embedded store, `pglite:<dir>` (a fresh directory is made under it and removed after).
   */
  databaseUrl: string;
  store: 'postgres' | 'embedded';
  /** Every outside system (Bot Connector, Graph, Docs, Drive) answers this late (300 ms). */
  outsideLatencyMs?: number;
  /** Active incidents (1,000). */
  incidents?: number;
  /** Notes a second, spread over the incidents' threads (20), for `seconds` (180: an hour's notes, compressed). */
  notesPerSecond?: number;
  seconds?: number;
  /** How long to let the work the notes started go on before the "after" figure (30 s). */
  settleSeconds?: number;
  /** Extra environment for the server (e.g. NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2 to look inside). */
  serverEnv?: Record<string, string>;
  /** Called with the running server once the notes are sent and settled, before it stops (a heap snapshot). */
  beforeStop?: (fb: RunningFirebreak) => Promise<void>;
}

/**
 * Issue 15 item 6: the server's resident memory (RSS, from /proc/<pid>/status VmRSS, sampled every 500 ms; the peak is
 * the kernel's VmHWM) with `incidents` active incidents after `notesPerSecond` × `seconds` notes in their threads. The
 * product runs as in production: the compiled server (`dist/main.js`, `npm run build` first), the Bot Framework
 * channel, Graph (channels, bridges) and Google (Docs, Drive) emulators configured and each slowed by
 * `outsideLatencyMs`, the Docs write budget at its default.
 *
 * Seeding: declaring 1,000 incidents through chat would take the Docs write budget (60 writes/min per user) some
 * seventeen minutes of fills before the notes start. So the incidents are declared with the real modules on the store
 * (`createIncidents().declare`, as `bench/chat-latency.ts` does) before the server starts: each is a real active
 * incident with its outbox of effects (card, channel, bridge, doc) due, and the server assembles them as it would
 * after a burst of declarations: channels and bridges are made in Graph, docs copied and filled within the budget,
 * the rest waiting their turn in the outbox while the notes arrive. That is the honest state of 1,000 active
 * incidents on one replica: some assembled, most in flight or queued, none only pretended. The figure counts the
 * server's memory while that work goes on; what must not stay is memory per incident once its work is done.
 * (At 300 ms a call and the runner's 16 effects at a time, a few minutes assemble a hundred or so; the rest wait.)
 *
 * The figure is VmRSS `settleSeconds` after the last note; the peak is VmHWM over the server's life (start and
 * assembly included). `details` has V8's heap by space and the memory outside it as the server's /metrics tell them,
 * the Google calls made and the outbox left, to tell the JS heap, PGlite's WASM memory and the rest apart.
 */
export async function memoryBench(opts: MemoryBenchOptions): Promise<Measure[]> {
  const id = `rss-${opts.incidents ?? 1000}-incidents`;
  const label = `RSS at ${opts.incidents ?? 1000} active incidents after ${(opts.notesPerSecond ?? 20) * (opts.seconds ?? 180)} notes, ${opts.store} store`;
  const goal = GOAL_MB[opts.store];
  try {
    return await run(opts, id, label, goal);
  } catch (err) {
    return [failed(id, label, `<= ${goal} MB`, err, opts.store)];
  }
}

async function run(opts: MemoryBenchOptions, id: string, label: string, goal: number): Promise<Measure[]> {
  const n = opts.incidents ?? 1000;
  const rate = opts.notesPerSecond ?? 20;
  const seconds = opts.seconds ?? 180;
  const latencyMs = opts.outsideLatencyMs ?? 300;
  const db = await freshDatabase(opts.databaseUrl, opts.store);
  const google = await googleDeployment({ appId: APP_ID, password: SECRET });
  let graph: Awaited<ReturnType<typeof graphDeployment>> | undefined;
  let fb: RunningFirebreak | undefined;
  let samples: ReturnType<typeof sampler> | undefined;
  try {
    graph = await graphDeployment({ appId: APP_ID, password: SECRET, tenantId: TENANT });
    const channel = `19:bench-memory-${randomUUID()}@thread.tacv2`;
    await seed(db.url, channel, google.channel.serviceUrl, n);
    google.channel.fault({ latencyMs });
    google.google.fault({ latencyMs });
    graph.graph.fault({ latencyMs });
    fb = await startFirebreak({ ...google.env, ...graph.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', METRICS_TOKEN, ...opts.serverEnv });
    samples = sampler(fb.pid);
    const startedMb = samples.now().rss;
    const sent = await notes(fb, google.channel, channel, n, rate, seconds);
    await new Promise((r) => setTimeout(r, (opts.settleSeconds ?? 30) * 1000));
    const after = samples.now();
    const cpuSeconds = cpuOf(fb.pid);
    const heap = await nodeMemory(fb.url, METRICS_TOKEN);
    await opts.beforeStop?.(fb);
    samples.stop();
    const docs = google.google.files().length;
    const calls: Record<string, number> = {};
    for (const c of google.google.calls) calls[c.method] = (calls[c.method] ?? 0) + 1;
    const warnings = fb.logs.filter((l) => l.includes('"level":"warn"') || l.includes('"level":"error"'));
    await fb.stop();
    const left = await openStore(db.url);
    const backlog = await left.ops.outbox(new Date()).finally(() => left.close());
    const details = {
      startedMb,
      peakMb: after.hwm,
      notesSent: sent.ok,
      notesRefused: sent.refused,
      docsMade: docs - 1, // the template is one of them
      outsideLatencyMs: latencyMs,
      nodeMemoryMb: heap,
      serverCpuSeconds: cpuSeconds,
      googleCalls: calls,
      outboxLeft: Object.fromEntries(backlog.map((k) => [k.kind, k.depth])),
      serverWarnings: warnings.length,
      firstWarnings: warnings.slice(0, 3).map((l) => l.slice(0, 300)),
      rssMbOverTime: samples.series(),
    };
    return [
      // Less work done is less memory used: a run whose notes were not all taken passes nothing.
      ((m) => (sent.refused ? { ...m, pass: false } : m))(
        atMost(id, label, after.rss, goal, 'MB', {
          store: opts.store,
          details,
          why: `peak ${after.hwm} MB; started at ${startedMb} MB; ${sent.ok} notes answered (${sent.refused} not)`,
        }),
      ),
    ];
  } finally {
    samples?.stop();
    await fb?.stop().catch(() => fb?.kill());
    await graph?.close().catch(() => undefined);
    await google.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

/** A database of its own for the run, so exactly `incidents` are active in it. */
async function freshDatabase(url: string, store: MemoryBenchOptions['store']): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `firebreak_memory_${randomUUID().replace(/-/g, '')}`;
  if (store === 'embedded') {
    if (!url.startsWith('pglite:') || url === 'pglite:memory') throw new Error('the embedded store needs pglite:<dir> (the server is another process)');
    const dir = path.join(url.slice('pglite:'.length), name);
    mkdirSync(path.dirname(dir), { recursive: true }); // the step's own directory may not be made yet
    return { url: `pglite:${dir}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  return { url: await createDatabase(url, name), drop: () => dropDatabase(url, name) };
}

/** Declares incidents 0..n-1 in threads `t<i>` of one channel with the real modules, before the server starts. */
async function seed(databaseUrl: string, channel: string, serviceUrl: string, n: number): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    const incidents = createIncidents(store);
    for (let i = 0; i < n; i++) {
      const outcome = await incidents.declare({
        type: 'DeclareIncident',
        incidentId: randomUUID(),
        title: `Memory bench incident ${i}`,
        severity: 2,
        origin: { id: `${channel};messageid=t${i}`, serviceUrl, tenantId: TENANT, isChannel: true },
        // What main.ts provisions with Graph (team, meeting organizer) and Google configured, as the bot's declare has it.
        provisioning: ['channel', 'bridge', 'doc'],
        at: new Date().toISOString(),
        by: { id: ALICE.id, name: ALICE.name },
      });
      if (outcome.kind !== 'changed') throw new Error(`declare ${i}: ${outcome.kind}`);
    }
  } finally {
    await store.close();
  }
}

/**
 * `rate` notes a second for `seconds`, each in the thread of the next incident round the list (an hour of a busy
 * incident room, compressed), sent on schedule without waiting for the previous answer (at most 50 in flight).
 */
async function notes(fb: RunningFirebreak, bot: { serviceUrl: string; signInbound(o: { serviceUrl: string }): string }, channel: string, n: number, rate: number, seconds: number): Promise<{ ok: number; refused: number }> {
  const total = rate * seconds;
  const token = bot.signInbound({ serviceUrl: bot.serviceUrl });
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let ok = 0;
  let refused = 0;
  for (let i = 0; i < total; i++) {
    await new Promise((r) => setTimeout(r, Math.max(0, started + (i * 1000) / rate - performance.now())));
    while (inFlight.size >= 50) await Promise.race(inFlight);
    const text = `note memory bench note ${i + 1}: ${'the service answers slowly again, looking at the pool '.repeat(2)}`;
    const p = post(fb.url, channelMessage(text, { serviceUrl: bot.serviceUrl, channel, thread: `t${i % n}` }), token)
      .then((res) => void (res.status === 200 ? ok++ : refused++), () => void refused++)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { ok, refused };
}

/** What the process's own metrics say of its memory (V8's heap, by space; memory outside it), in MB. */
async function nodeMemory(url: string, token: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^firebreak_(nodejs_heap_size_total_bytes|nodejs_heap_size_used_bytes|nodejs_external_memory_bytes|nodejs_heap_space_size_used_bytes\{space="(\w+)"\}|nodejs_heap_space_size_total_bytes\{space="(\w+)"\}) (\S+)$/gm)) {
    const name = m[2] ? `used:${m[2]}` : m[3] ? `total:${m[3]}` : m[1].replace(/^nodejs_|_bytes$/g, '');
    const mb = Math.round(Number(m[4]) / 1048576);
    if (mb > 0) out[name] = mb;
  }
  return out;
}

/** The CPU time the process has used (user + system), in seconds: what a smaller heap costs in collections. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Math.round((Number(fields[11]) + Number(fields[12])) / 100); // utime, stime: fields 14 and 15, in ticks of 10 ms
}

/** VmRSS and VmHWM of a process, in MB, sampled every 500 ms. */
function sampler(pid: number) {
  const read = () => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
  };
  const started = Date.now();
  const points: [number, number][] = [];
  const timer = setInterval(() => {
    try {
      points.push([Math.round((Date.now() - started) / 1000), read().rss]);
    } catch {
      /* the process ended */
    }
  }, 500);
  return {
    now: read,
    stop: () => clearInterval(timer),
    /** One point every 10 s, for a plot. */
    series: () => points.filter(([s], i) => i === 0 || s % 10 === 0).filter(([s], i, all) => i === 0 || s !== all[i - 1][0]),
  };
}

/** `node --import tsx bench/memory.ts [postgres|embedded] [incidents] [notes/s] [seconds]`: one run, its JSON. */
if (require.main === module) {
  void (async () => {
    const [store = 'embedded', incidents = '1000', rate = '20', seconds = '180'] = process.argv.slice(2);
    const bin = store === 'postgres' ? findPgBin() : undefined;
    if (store === 'postgres' && !bin) throw new Error('PostgreSQL binaries not found');
    const cluster = bin ? startCluster(bin) : undefined;
    try {
      const results = await memoryBench({
        store: store as MemoryBenchOptions['store'],
        databaseUrl: cluster?.url ?? `pglite:${tmpdir()}`,
        incidents: Number(incidents),
        notesPerSecond: Number(rate),
        seconds: Number(seconds),
        ...(process.env.MEMORY_SETTLE_SECONDS && { settleSeconds: Number(process.env.MEMORY_SETTLE_SECONDS) }),
        // MEMORY_NODE_OPTIONS: flags for the server's node (e.g. V8's heap sizes), to compare.
        ...(process.env.MEMORY_NODE_OPTIONS && { serverEnv: { NODE_OPTIONS: process.env.MEMORY_NODE_OPTIONS } }),
        ...(process.env.MEMORY_HEAP_SNAPSHOT && {
          serverEnv: { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 ${process.env.MEMORY_NODE_OPTIONS ?? ''}`.trim() },
          beforeStop: async (fb) => {
            process.kill(fb.pid, 'SIGUSR2');
            await new Promise((r) => setTimeout(r, Number(process.env.MEMORY_HEAP_SNAPSHOT) * 1000));
          },
        }),
      });
      process.stdout.write(`${JSON.stringify(results)}\n`);
    } finally {
      cluster?.stop();
    }
    process.exit(0);
  })().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
