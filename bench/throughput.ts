import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { channelMessage } from '../test/harness/activities';
import { googleDeployment } from '../test/harness/google-deployment';
import { graphDeployment } from '../test/harness/graph-deployment';
import { createDatabase, dropDatabase } from '../test/harness/databases';
import { findPgBin, startCluster } from '../test/harness/postgres';
import { closedLoop, type LoadResult } from './closed-loop';
import { buildOnce } from '../test/harness/build';
import { startFirebreak } from '../test/harness/firebreak';
import { startEchoBot } from './echo-bot-process';
import { atLeast, failed, skipped, type Measure } from './measure';
import { round } from './stats';

const ID = 'irrelevant-message-throughput';
const GOAL = 0.8;

export interface ThroughputOptions {
  /** How late every outside system answers (Bot Connector, Graph, Docs, Drive); 300 ms as in issue 15. */
  outsideLatencyMs?: number;
  /** A PostgreSQL server to make a fresh database on (store "postgres"); else TEST_DATABASE_URL, else one started here. */
  databaseUrl?: string;
  /** "postgres" when a databaseUrl is given, else "embedded" (PGlite in a temporary directory). */
  store?: 'postgres' | 'embedded';
  seconds?: number;
  connections?: number;
}

/**
 * A message people post to each other in a Teams channel, as Teams delivers it to an app with resource-specific
 * consent (ChannelMessage.Read.Group): every message of the channel comes in, this one mentions nobody and starts its
 * own thread, which is no incident's. Firebreak must answer 200 and do nothing else (src/teams/chat.ts: in a channel
 * only what mentions the bot is a command).
 */
export function irrelevantMessage(serviceUrl: string) {
  const { text: _text, entities: _entities, ...rest } = channelMessage('', { serviceUrl });
  return { ...rest, text: 'Has anyone else seen the deploy dashboard load slowly this morning?', entities: [] };
}

/**
 * Issue 15: "irrelevant-message throughput ÷ bare botbuilder echo bot ≥ 0.8". The same signed irrelevant channel
 * messages, each with a new id, from `connections` closed-loop keep-alive clients for `seconds` (after a second of
 * warm-up), first to the echo bot (bench/echo-bot.mjs, plain node), then to the compiled Firebreak with Graph and
 * Google configured; both check tokens against the same Bot Framework channel emulator, and every outside system
 * answers `outsideLatencyMs` late.
 *
 * The baseline is botbuilder's echo sample as written: `context.sendActivity` inside the turn, so its reply goes out
 * through the Bot Connector BEFORE its HTTP answer and each of its requests takes at least `outsideLatencyMs`: at
 * 300 ms and 32 connections it cannot pass about 107 messages/s. That is the bot issue 15 compares with. Firebreak
 * must ignore these messages without any outside call; the outside calls it made during the window are in `details`,
 * and one is a failure, as is any answer but 200. Figures taken on a shared machine are noisy; the load generator
 * shares the cores with the server.
 */
export async function throughputBench(opts: ThroughputOptions = {}): Promise<Measure[]> {
  const latencyMs = opts.outsideLatencyMs ?? 300;
  const connections = opts.connections ?? 32;
  const seconds = opts.seconds ?? 10;
  const store = opts.store ?? (opts.databaseUrl ? 'postgres' : 'embedded');
  const measure = `irrelevant channel messages/s, Firebreak ÷ bare botbuilder echo bot, ${connections} connections, outside calls +${latencyMs} ms`;
  const cleanup: (() => unknown)[] = [];
  try {
    const database = await databaseFor(store, opts.databaseUrl, cleanup);
    if (!database) return [skipped(ID, measure, `>= ${GOAL}`, 'no PostgreSQL here: no databaseUrl, no TEST_DATABASE_URL and no PostgreSQL binaries to start one', store)];
    buildOnce(); // the build, as production runs it (the harness starts dist/main.js once FIREBREAK_TEST_DIST is set)
    const appId = '7a1d0e1f-3333-4444-8555-988888888815';
    const appPassword = 'bench-secret';
    const google = await googleDeployment({ appId, password: appPassword });
    cleanup.push(() => google.close());
    const graph = await graphDeployment({ appId, password: appPassword, tenantId: google.env.MICROSOFT_APP_TENANT_ID });
    cleanup.push(() => graph.close());
    const { channel } = google;
    for (const system of [channel, google.google, graph.graph]) system.fault({ latencyMs });

    const token = channel.signInbound({ serviceUrl: channel.serviceUrl });
    const load = (url: string, measuring: () => void) =>
      closedLoop({
        url,
        path: '/api/messages',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: () => JSON.stringify(irrelevantMessage(channel.serviceUrl)),
        connections,
        seconds,
        measuring,
      });
    const outside = () => channel.requests.length + graph.graph.requests.length + google.google.calls.length;

    const echoBot = await startEchoBot({ appId, appPassword, tenantId: google.env.MICROSOFT_APP_TENANT_ID, openIdMetadataUrl: channel.openIdMetadataUrl, loginUrl: channel.loginUrl });
    let echo: LoadResult;
    let echoReplies = 0;
    try {
      let before = 0;
      echo = await load(echoBot.url, () => (before = channel.recorded.length));
      echoReplies = channel.recorded.slice(before).filter((r) => r.op === 'reply').length;
    } finally {
      await echoBot.stop();
    }

    const firebreak = await startFirebreak({ ...google.env, ...graph.env, DATABASE_URL: database, LOG_LEVEL: 'warn' });
    let product: LoadResult;
    let outsideCalls = 0;
    try {
      let before = 0;
      product = await load(firebreak.url, () => (before = outside()));
      outsideCalls = outside() - before;
    } finally {
      await firebreak.stop();
    }

    const details = {
      firebreakPerSecond: round(product.perSecond),
      echoPerSecond: round(echo.perSecond),
      firebreak: { ok: product.ok, non200: product.statuses, errors: product.errors, outsideCalls, seconds: round(product.seconds) },
      echo: { ok: echo.ok, non200: echo.statuses, errors: echo.errors, repliesRecorded: echoReplies, seconds: round(echo.seconds) },
      connections,
      outsideLatencyMs: latencyMs,
    };
    if (!echo.ok) return [{ ...failed(ID, measure, `>= ${GOAL}`, new Error('the echo bot answered no request with 200: no baseline'), store), details }];
    const ratio = Math.round((product.perSecond / echo.perSecond) * 100) / 100;
    const result = atLeast(ID, measure, ratio, GOAL, '', { store, details });
    const wrong = [
      ...(Object.keys(product.statuses).length || product.errors ? [`Firebreak answered ${JSON.stringify(product.statuses)} and dropped ${product.errors}`] : []),
      ...(outsideCalls ? [`Firebreak made ${outsideCalls} outside calls for messages it should ignore`] : []),
      ...(Object.keys(echo.statuses).length || echo.errors || echoReplies < echo.ok ? [`the echo bot answered ${JSON.stringify(echo.statuses)}, dropped ${echo.errors}, and ${echoReplies} of its ${echo.ok} replies reached the connector`] : []),
    ];
    return [{ ...result, pass: result.pass === true && wrong.length === 0, ...(wrong.length && { why: wrong.join('; ') }) }];
  } catch (err) {
    return [failed(ID, measure, `>= ${GOAL}`, err, store)];
  } finally {
    for (const close of cleanup.reverse()) await Promise.resolve(close()).catch(() => undefined);
  }
}

/**
 * The DATABASE_URL Firebreak runs on: an empty PGlite directory, or a fresh database on the PostgreSQL server given
 * (or the test run's, or one started here), so no earlier run's incidents put work in the window. Undefined: no
 * PostgreSQL to be had.
 */
async function databaseFor(store: 'postgres' | 'embedded', given: string | undefined, cleanup: (() => unknown)[]): Promise<string | undefined> {
  if (store === 'embedded') {
    const dir = path.join(tmpdir(), `firebreak-bench-throughput-${randomUUID()}`);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return `pglite:${dir}`;
  }
  let admin = given ?? process.env.TEST_DATABASE_URL;
  if (!admin) {
    const bin = findPgBin();
    if (!bin) return undefined;
    const cluster = startCluster(bin);
    cleanup.push(() => cluster.stop());
    admin = cluster.url;
  }
  const name = `bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const url = await createDatabase(admin, name);
  cleanup.push(() => dropDatabase(admin!, name));
  return url;
}
