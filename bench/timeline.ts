import { findTimeline, planRows } from '../src/google/timeline';
import type { GoogleSandbox } from '../src/sandbox/google';
import { channelMessage, post, readable } from '../test/harness/activities';
import type { RunningFirebreak } from '../test/harness/firebreak';
import { keepingMeasured, measured, type Measure, type MeasureDef } from './measure';
import { percentiles, report, round } from './stats';
import type { StoreName } from './stores';
import { startWorld, type World } from './world';

export const CHAT_TO_DOC: MeasureDef = { id: 'chat-to-doc-p95-1-per-s', measure: 'chat note -> row in the doc, p95, at a steady 1 note/s, every outside call slowed', goal: '<= 2000 ms, no note lost' };
export const RATES: MeasureDef = { id: 'chat-to-doc-p95-by-rate', measure: 'chat note -> row in the doc, p95, at several steady rates (the plot of bench/README.md)', goal: 'every note in the doc, in order, at each rate' };
export const BURST: MeasureDef = { id: 'burst-300-notes', measure: 'a burst of notes sent as fast as the chat answers: every row in the doc, in order, no 429 from Docs', goal: 'complete, ordered, 0 x 429' };

/**
 * Issue 6: the doc timeline and the chat in step. Chat -> doc lag (note sent -> row in the doc) and Docs writes used,
 * at a steady 1 note/s and for a 300-note burst, under the sandbox's enforced quota (60 writes/min per user);
 * doc -> chat lag (a person's row -> told in Teams) with Drive push and with polling alone. Defaults otherwise
 * (TIMELINE_SETTLE_MS 3000), except a 5 s poll for the polling-only run (30 s by default) to keep the bench short.
 * Issue 15: every outside system (Bot Connector, Graph, Docs, Drive) answers `outsideLatencyMs` late (300 ms), the
 * incident's channel and bridge are made in Graph as in production.
 */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function entries(google: GoogleSandbox, docId: string): string[] {
  const doc = google.document(docId);
  const el = doc.body.content.find((e: any) => e.table && e.startIndex === doc.namedRanges['firebreak.timeline']?.namedRanges[0].ranges[0].startIndex);
  if (!el) return [];
  return el.table.tableRows.slice(1).map((r: any) => r.tableCells[2].content.map((p: any) => p.paragraph.elements.map((e: any) => e.textRun?.content ?? '').join('')).join('').replace(/\n$/, ''));
}

/** Polls `probe` every `stepMs` until it answers a value. */
export async function until<T>(probe: () => T | undefined, timeoutMs: number, stepMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await sleep(stepMs);
  }
}

async function declare(w: World, fb: RunningFirebreak, title: string): Promise<{ thread: string; docId: string }> {
  const activity = channelMessage(`declare sev2 ${title}`, { serviceUrl: w.channel.serviceUrl });
  await post(fb.url, activity, w.channel.signInbound({ serviceUrl: w.channel.serviceUrl }));
  const file = await until(() => w.google.files().find((f) => f.name.endsWith(` ${title}`)), 30_000);
  await until(() => (entries(w.google, file.id).some((e) => e.startsWith('Declared:')) ? true : undefined), 30_000);
  return { thread: activity.id, docId: file.id };
}

/** Sends notes at `intervalMs` apart (0: as fast as the chat answers), timing each until its row is in the doc. */
async function chatToDoc(w: World, fb: RunningFirebreak, label: string, count: number, intervalMs: number) {
  const { thread, docId } = await declare(w, fb, label);
  const since = w.google.calls.length;
  const sent = new Map<string, number>();
  const seen = new Map<string, number>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const now = performance.now();
      for (const e of entries(w.google, docId)) if (sent.has(e) && !seen.has(e)) seen.set(e, now);
      await sleep(10);
    }
  })();
  const token = w.channel.signInbound({ serviceUrl: w.channel.serviceUrl });
  const notes = Array.from({ length: count }, (_, i) => `${label} note ${i + 1}`);
  const started = performance.now();
  for (const [i, note] of notes.entries()) {
    if (intervalMs) await sleep(Math.max(0, started + i * intervalMs - performance.now()));
    sent.set(note, performance.now());
    await post(fb.url, channelMessage(`note ${note}`, { serviceUrl: w.channel.serviceUrl, thread }), token);
  }
  const sentIn = (performance.now() - started) / 1000;
  await until(() => (notes.every((n) => seen.has(n)) ? true : undefined), 180_000).catch(() => undefined);
  watching = false;
  await watcher;
  const rows = entries(w.google, docId).filter((e) => e.startsWith(`${label} note `));
  const lost = notes.filter((n) => !rows.includes(n)).length;
  const duplicated = rows.length - new Set(rows).size;
  const outOfOrder = rows.some((r, i) => i > 0 && Number(r.split(' ').pop()) < Number(rows[i - 1].split(' ').pop()));
  const writes = w.google.calls.slice(since).filter((c) => c.method === 'docs.documents.batchUpdate');
  const times = writes.filter((c) => c.status === 200).map((c) => c.at);
  const perMinuteMax = Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length));
  const lags = notes.filter((n) => seen.has(n)).map((n) => seen.get(n)! - sent.get(n)!);
  const lag = percentiles(lags, [50, 95]);
  const figures = { writes: times.length, maxPerMinute: perMinuteMax, status429: writes.filter((c) => c.status === 429).length, lost, duplicated, outOfOrder };
  report(`chat->doc lag, ${label} (${count} notes in ${round(sentIn)} s)`, { ...lag, unit: 'ms' }, label.startsWith('steady') ? 'p95 <= 2000 ms' : undefined);
  report(`  doc writes, ${label}`, figures, 'never above 60/min, 0 lost, 0 duplicated');
  return { lag, ...figures, count };
}

/** A person adds rows through the Docs API; time from the write to the Teams message saying so. */
async function docToChat(w: World, fb: RunningFirebreak, label: string, rows: number): Promise<void> {
  const { docId } = await declare(w, fb, label);
  const bob = w.as('bob@example.com');
  const lags: number[] = [];
  for (let i = 1; i <= rows; i++) {
    const text = `${label} row ${i}`;
    const doc = (await bob.docs.documents.get({ documentId: docId })).data;
    const requests = planRows(findTimeline(doc)!, [{ key: 'x', time: '', who: 'Bob', entry: text }]).filter((r) => !r.createNamedRange);
    const startedAt = performance.now();
    await bob.docs.documents.batchUpdate({ documentId: docId, requestBody: { requests } });
    await until(() => (w.channel.recorded.some((r) => (readable(r.activity.text) ?? '').includes(text)) ? true : undefined), 120_000, 20);
    lags.push(performance.now() - startedAt);
    await sleep(500);
  }
  // Messages posted saying so (an edit of one already posted is not a second telling).
  const saying = w.channel.recorded.filter((r) => (readable(r.activity.text) ?? '').includes(`${label} row `));
  const told = saying.filter((r) => r.op !== 'update' && r.op !== 'delete').length;
  const conversations = new Set(saying.filter((r) => r.op !== 'update' && r.op !== 'delete').map((r) => r.conversationId.split(';')[0])).size;
  report(`doc->chat lag, ${label}`, { ...percentiles(lags, [50, 95]), unit: 'ms', toldTimes: told, inConversations: conversations, edits: saying.length - told, rows }, 'each row told once a conversation');
}

type TimelineOptions = {
  store: StoreName;
  fresh: (label: string) => Promise<string>;
  steady?: number;
  burst?: number;
  docRows?: number;
  /** Notes a second for the latency-by-rate sweep besides 1/s (default 0.5, 2 and 5; [] leaves it out), 20 s each. */
  rates?: number[];
  /** Waits a minute before the burst so it has a quota minute of its own (default true; BENCH_QUICK skips it). */
  freshQuotaMinute?: boolean;
  outsideLatencyMs: number;
};

/**
 * `burst: 0` or `docRows: 0` leaves that part out. The push and the polling-only servers each get a database of
 * their own (`fresh`), so the second does not take up the first one's docs. A failure after the steady rate was
 * measured keeps that measure (bench/measure.ts PartialFailure).
 */
export async function timelineBench(opts: TimelineOptions): Promise<Measure[]> {
  const w = await startWorld({ latencyMs: opts.outsideLatencyMs });
  const measures: Measure[] = [];
  try {
    return await keepingMeasured(measures, () => measure(w, opts, measures));
  } finally {
    await w.close();
  }
}

/** Pushes each measure to `measures` as soon as it has it. */
async function measure(w: World, opts: TimelineOptions, measures: Measure[]): Promise<Measure[]> {
  const store = opts.store;
  const burst = opts.burst ?? 300;
  const docRows = opts.docRows ?? 8;
  const port = String(20000 + Math.floor(Math.random() * 12000));
  const pushed = await w.firebreak(await opts.fresh('timeline-push'), { PORT: port, GOOGLE_NOTIFY_URL: `http://127.0.0.1:${port}` });
  try {
    report('timeline: every outside call slowed by', { ms: opts.outsideLatencyMs });
    const steady = await chatToDoc(w, pushed, 'steady 1/s', opts.steady ?? 30, 1000);
    measures.push(measured(CHAT_TO_DOC, steady.lag.p95, 'ms', steady.lag.p95 <= 2000 && steady.lost === 0, { store, details: steady }));
    const rates = opts.rates ?? [0.5, 2, 5];
    if (rates.length) {
      // Each rate on a doc of its own after a fresh quota minute: the Docs budget is the whole service's.
      if (opts.freshQuotaMinute ?? true) await sleep(60_000);
      const points: [number, number][] = [[1, steady.lag.p95]];
      let whole = true;
      for (const rate of rates) {
        const r = await chatToDoc(w, pushed, `rate ${rate}/s`, Math.max(5, Math.round(rate * 20)), 1000 / rate);
        points.push([rate, r.lag.p95]);
        whole &&= r.lost === 0 && r.duplicated === 0 && !r.outOfOrder;
      }
      points.sort((a, b) => a[0] - b[0]);
      measures.push(measured(RATES, points.map(([x, y]) => `${x}/s ${y} ms`).join(', '), undefined, whole, { store, details: { points } }));
    }
    if (burst) {
      if (opts.freshQuotaMinute ?? true) await sleep(60_000); // a fresh quota minute, so the burst is measured on its own
      const b = await chatToDoc(w, pushed, 'burst', burst, 0);
      const pass = b.lost === 0 && b.duplicated === 0 && !b.outOfOrder && b.status429 === 0;
      const figure = `${b.count - b.lost}/${b.count} rows, ${b.outOfOrder ? 'out of order' : 'ordered'}, ${b.duplicated} duplicated, ${b.status429} x 429`;
      measures.push(measured({ ...BURST, measure: BURST.measure.replace('a burst', `a ${burst}-note burst`) }, figure, undefined, pass, { store, details: b }));
    }
    if (docRows) await docToChat(w, pushed, 'with push', docRows);
  } finally {
    await pushed.stop();
  }
  if (!docRows) return measures;
  const polled = await w.firebreak(await opts.fresh('timeline-poll'), { TIMELINE_POLL_SECONDS: '5' });
  try {
    await docToChat(w, polled, 'polling only (5 s)', docRows);
  } finally {
    await polled.stop();
  }
  return measures;
}
