import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOnce } from '../test/harness/build';
import { killAllFirebreaks } from '../test/harness/firebreak';
import { ALERTS_ACK, ALERTS_CARDS, alertsBench } from './alerts';
import { ASSEMBLY, assemblyBench } from './assembly';
import { chatAcks, DECLARE_ACK, STATUS_ACK, STATUS_FLAT, statusFlat } from './chat-latency';
import { DOCS_READS, DOCS_WRITES, docReadsBench } from './doc-reads';
import { failed, PartialFailure, skipped, type Measure, type MeasureDef } from './measure';
import { memoryBench } from './memory';
import { SELFTEST, selftest } from './selftest';
import { throughputBench } from './throughput';
import { SUMMARY_RPS, statusSummaryBench } from './status-summary';
import { SUBMIT_ACK, submitLatency } from './submit-latency';
import { exitCode, summarize, table } from './summary';
import { benchStores, type StoreName } from './stores';
import { BURST, CHAT_TO_DOC, RATES, timelineBench } from './timeline';
import { writePlots } from './plots';
import { updateReadme } from './readme';

/**
 * `npm run bench [name]`: issue 15's measures, each with its figure, its goal and whether it passed, on the product
 * as production runs it (dist/main.js, built here when a source is newer), every outside system configured and slowed
 * by the same latency (bench/world.ts), on PostgreSQL (a throwaway cluster, when its binaries are installed) and on
 * the embedded store. The human lines come first; the LAST line of stdout is the JSON summary, also written to
 * bench/results/latest.json for a full run, or bench/results/<name>.json for `npm run bench <name>` (so one bench
 * never overwrites the full run's figures). BENCH_RESULTS_DIR writes elsewhere.
 *
 * - Stores: the ack measures (submit, chat commands, alert webhook) and RSS run on both; the rest on PostgreSQL when
 *   it can run here, else on the embedded store (each measure names its store). A PostgreSQL measure on a machine
 *   without its binaries is "skipped", with why. Every step gets a database of its own.
 * - A bench that throws fails its measures (`pass: false`, `figure: null`, the error in `why`) and the run goes on; a
 *   server it left running is killed before the next. SIGINT/SIGTERM and an uncaught error stop every server and the
 *   cluster, and still print the summary (what did not run: failed, "interrupted").
 * - Exit code: 1 when any measure failed (a goal missed or a bench that could not measure), else 0.
 * - Exit code 2 when the runner itself failed (the build, say); 130/143 when stopped by SIGINT/SIGTERM.
 * - BENCH_QUICK=1: small sizes, to check the benches work (figures meaningless); BENCH_OUTSIDE_LATENCY_MS (300);
 *   BENCH_STORE=postgres|embedded: the steps on that store only (a step on "the" store runs on the one named).
 * - Time, full run, 2 idle cores, estimated from the parts (not yet timed end to end): about 16 minutes for these
 *   benches (build up to 1, submit 1, chat 4, assembly 1, timeline 4, status-summary 0.5, alerts 2.5, doc-reads 3),
 *   plus memory (RSS: 3 minutes of notes on each store, ~7) and throughput (~1) once registered: 22-25 minutes.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const LATENCY = Number(process.env.BENCH_OUTSIDE_LATENCY_MS ?? 300);
/** A step that has not finished by then (a server that never stops, a wait that never ends) fails, and the run goes on. */
const STEP_TIMEOUT_MS = Number(process.env.BENCH_STEP_TIMEOUT_MS ?? 15 * 60_000);

interface StepContext {
  store: StoreName;
  databaseUrl: string;
  fresh: (label: string) => Promise<string>;
  outsideLatencyMs: number;
}

/** One bench on one store: what it reports when it cannot run. `store: 'primary'` is PostgreSQL when possible. */
interface Step {
  bench: string;
  store: StoreName | 'primary';
  defs: MeasureDef[];
  run(ctx: StepContext): Promise<Measure[]>;
}

const BOTH: StoreName[] = ['postgres', 'embedded'];
/** What the memory and throughput benches report when they cannot run (their own files name their goals). */
const RSS: MeasureDef = { id: 'rss-1000-incidents', measure: 'RSS at 1,000 active incidents after 3,600 notes (20/s for 3 min)', goal: '<= 150 MB on PostgreSQL, <= 300 MB embedded' };
const RSS_BY_N: MeasureDef = { id: 'rss-by-incidents', measure: 'RSS against active incidents after 20 notes/s for a minute (the plot of bench/README.md)', goal: '<= 150 MB on PostgreSQL, <= 300 MB embedded, at each N' };

/** RSS at each N, one fresh database and server each; the points go to bench/results/rss.svg. */
async function rssByIncidents(c: StepContext, sizes: number[], seconds: number): Promise<Measure[]> {
  const limit = c.store === 'postgres' ? 150 : 300;
  const points: [number, number][] = [];
  for (const incidents of sizes) {
    const [m] = await memoryBench({ ...c, incidents, seconds, settleSeconds: 15 });
    if (typeof m.figure !== 'number') return [{ ...m, ...RSS_BY_N, store: c.store, figure: null, pass: false, details: { points } }];
    points.push([incidents, m.figure]);
  }
  return [{ ...RSS_BY_N, store: c.store, figure: points.map(([n, mb]) => `${n}: ${mb} MB`).join(', '), unit: undefined, pass: points.every(([, mb]) => mb <= limit), details: { points, notesPerSecond: 20, seconds } }];
}
const THROUGHPUT: MeasureDef = { id: 'irrelevant-message-throughput', measure: 'irrelevant channel messages/s, Firebreak ÷ bare botbuilder echo bot', goal: '>= 0.8' };
const onBoth = (bench: string, defs: MeasureDef[], run: Step['run']): Step[] => BOTH.map((store) => ({ bench, store, defs, run }));

function steps(): Step[] {
  const all: Step[] = [
    ...onBoth('submit-latency', [SUBMIT_ACK], (c) => submitLatency({ ...c, submits: QUICK ? 20 : 200 })),
    ...onBoth('chat-latency', [DECLARE_ACK, STATUS_ACK], (c) => chatAcks({ ...c, commands: QUICK ? 8 : 60 })),
    { bench: 'chat-latency', store: 'primary', defs: [STATUS_FLAT], run: (c) => statusFlat({ ...c, sizes: QUICK ? [10, 100] : [10, 100, 1000], asks: QUICK ? 5 : 30 }) },
    { bench: 'assembly', store: 'primary', defs: [ASSEMBLY], run: (c) => assemblyBench({ ...c, declarations: QUICK ? 2 : 8 }) },
    {
      bench: 'timeline',
      store: 'primary',
      defs: [CHAT_TO_DOC, RATES, BURST],
      run: (c) => timelineBench({ ...c, ...(QUICK && { steady: 5, burst: 20, docRows: 1, rates: [2], freshQuotaMinute: false }) }),
    },
    { bench: 'status-summary', store: 'primary', defs: [SUMMARY_RPS], run: (c) => statusSummaryBench({ ...c, ...(QUICK && { incidents: 10, seconds: 1 }) }) },
    ...onBoth('alerts', [ALERTS_ACK, ALERTS_CARDS], (c) => alertsBench({ ...c, ...(QUICK && { perMinute: 300, groups: 20, seconds: 10 }) })),
    { bench: 'doc-reads', store: 'primary', defs: [DOCS_READS, DOCS_WRITES], run: (c) => docReadsBench({ ...c, ...(QUICK && { sizes: [10, 100], minutes: 2, writeSeconds: 10 }) }) },
    { bench: 'throughput', store: 'primary', defs: [THROUGHPUT], run: (c) => throughputBench({ ...c, ...(QUICK && { seconds: 3 }) }) },
    ...onBoth('memory', [RSS], (c) => memoryBench({ ...c, ...(QUICK && { incidents: 50, seconds: 10 }) })),
    // The plot of RSS against active incidents: a minute of notes at each N, on the production store.
    { bench: 'memory', store: 'primary', defs: [RSS_BY_N], run: (c) => rssByIncidents(c, QUICK ? [20, 50] : [100, 400, 1000], QUICK ? 10 : 60) },
  ];
  if (process.env.BENCH_SELFTEST === '1') {
    all.push(
      { bench: 'selftest', store: 'embedded', defs: [SELFTEST], run: () => selftest({ hang: false }) },
      { bench: 'selftest', store: 'embedded', defs: [SELFTEST], run: () => selftest({ hang: true }) },
    );
  }
  return all;
}

const stores = benchStores();
const measures: Measure[] = [];
const startedAt = new Date();
let pending: { step: Step; store: StoreName }[] = [];
const outsideAnyBench = (err: unknown) => void process.stderr.write(`bench: an error outside any bench: ${(err as Error)?.stack ?? err}\n`);
/** Rejects the running step when something inside it throws where no one awaits it. */
let crash: (err: unknown) => void = outsideAnyBench;

function finish(only: string | undefined, extraCode = 0): never {
  const summary = summarize(measures, { at: startedAt, outsideLatencyMs: LATENCY });
  const dir = process.env.BENCH_RESULTS_DIR ?? path.resolve(__dirname, 'results');
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, only ? `${only}.json` : 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
    for (const file of writePlots(measures, dir)) process.stderr.write(`bench: plotted ${path.relative(process.cwd(), file)}\n`);
    // A full run at full size is the README's table; a partial or quick run's figures are not.
    if (!only && !QUICK && !process.env.BENCH_RESULTS_DIR && updateReadme(path.resolve(__dirname, 'README.md'), summary)) process.stderr.write('bench: bench/README.md table updated\n');
  } catch (err) {
    process.stderr.write(`bench: could not write the results: ${(err as Error).message}\n`);
  }
  process.stdout.write(`\n${table(measures)}\n${JSON.stringify(summary)}\n`);
  // Exits rather than waits: a failed bench may have left an emulator listening, which would keep the process up.
  process.exit(extraCode || exitCode(summary));
}

/** SIGINT, SIGTERM: every server and the cluster stopped, what did not run marked so, the summary printed. */
let aborting = false;
async function abort(reason: string, code: number, only: string | undefined): Promise<void> {
  if (aborting) return;
  aborting = true;
  process.stderr.write(`bench: ${reason}: stopping every server it started\n`);
  for (const { step, store } of pending) measures.push(...step.defs.map((d) => failed(d.id, d.measure, d.goal, new Error(`interrupted (${reason})`), store)));
  pending = [];
  await killAllFirebreaks();
  stores.close();
  finish(only, code);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const storeOnly = process.env.BENCH_STORE as StoreName | undefined;
  const chosen = steps().filter((s) => (!only || s.bench === only) && (!storeOnly || s.store === storeOnly || s.store === 'primary'));
  if (chosen.length === 0) throw new Error(`no bench named ${only}; there are: ${[...new Set(steps().map((s) => s.bench))].join(', ')}`);
  // Handled for good (not once): a second Ctrl+C while the servers are being stopped must not cut that short.
  process.on('SIGINT', () => void abort('SIGINT', 130, only));
  process.on('SIGTERM', () => void abort('SIGTERM', 143, only));
  process.on('uncaughtException', (err) => crash(err));
  process.on('unhandledRejection', (err) => crash(err));
  // The last resort, synchronous: the servers get their SIGKILL even if the runner dies some other way.
  process.on('exit', () => {
    void killAllFirebreaks();
    stores.close();
  });
  buildOnce();
  pending = chosen.map((step) => ({ step, store: step.store === 'primary' ? (storeOnly ?? stores.primary()) : step.store }));
  while (pending.length) {
    const { step, store } = pending[0];
    const got = await runStep(step, store);
    // Said on the measure, not only in the store field: a reader comparing runs should not miss it.
    const fallback = step.store === 'primary' && store === 'embedded' && stores.missing('postgres');
    measures.push(...(fallback ? got.map((m) => ({ ...m, why: [m.why, `ran on the embedded store: ${fallback}`].filter(Boolean).join('; ') })) : got));
    pending.shift();
    // A bench stops what it started; anything it left running (it threw mid-way) goes now, before the next one.
    await killAllFirebreaks();
  }
  stores.close();
  finish(only);
}

async function runStep(step: Step, store: StoreName): Promise<Measure[]> {
  const missing = stores.missing(store);
  if (missing) return step.defs.map((d) => skipped(d.id, d.measure, d.goal, missing, store));
  process.stdout.write(`\n── ${step.bench} (${store}) ──\n`);
  let timer: NodeJS.Timeout | undefined;
  try {
    const crashed = new Promise<never>((_, reject) => (crash = reject));
    const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`did not finish within ${STEP_TIMEOUT_MS / 60_000} minutes`)), STEP_TIMEOUT_MS)));
    const ctx: StepContext = { store, databaseUrl: await stores.fresh(store, step.bench), fresh: (label) => stores.fresh(store, label), outsideLatencyMs: LATENCY };
    return await Promise.race([step.run(ctx), crashed, timedOut]);
  } catch (err) {
    const kept = err instanceof PartialFailure ? err.measures : [];
    const cause = err instanceof PartialFailure ? err.cause : err;
    process.stderr.write(`bench ${step.bench} (${store}) failed: ${(cause as Error)?.stack ?? cause}\n`);
    return [...kept, ...step.defs.filter((d) => !kept.some((m) => m.id === d.id)).map((d) => failed(d.id, d.measure, d.goal, cause, store))];
  } finally {
    clearTimeout(timer);
    crash = outsideAnyBench;
  }
}

main().catch(async (err) => {
  process.stderr.write(`bench: ${(err as Error)?.stack ?? err}\n`);
  await killAllFirebreaks();
  stores.close();
  finish(process.argv[2], 2);
});
