import { randomUUID } from 'node:crypto';
import { createIncidents } from '../src/app/incidents';
import type { BotChannel } from '../src/sandbox/botframework';
import { openStore } from '../src/store/open';
import { ALICE, BOB, channelMessage, post, readable, TENANT } from '../test/harness/activities';
import type { RunningFirebreak } from '../test/harness/firebreak';
import { measured, type Measure, type MeasureDef } from './measure';
import { percentiles, report } from './stats';
import type { StoreName } from './stores';
import { startWorld, type World } from './world';

export const DECLARE_ACK: MeasureDef = { id: 'chat-declare-ack-p99', measure: '"@Firebreak declare" ack p99, every outside call slowed', goal: '<= 250 ms' };
export const STATUS_ACK: MeasureDef = { id: 'chat-status-ack-p99', measure: '"@Firebreak status" ack p99, every outside call slowed', goal: '<= 250 ms' };

/** Flat: what the N = 1,000 channel costs beyond the N = 10 one stays within noise (half again, plus a few ms). */
const FLAT_FACTOR = 1.5;
const FLAT_SLACK_MS = 25;
export const STATUS_FLAT: MeasureDef = {
  id: 'status-flat-in-n',
  measure: '`status` in a channel linked to N incidents: p95 from the message to its reply at the Bot Connector, at each N',
  goal: `flat in N: p95 at the largest N <= ${FLAT_FACTOR} x p95 at the smallest N + ${FLAT_SLACK_MS} ms`,
};

/**
 * Issue 15 item 1: the HTTP answer to a chat command (`@Firebreak declare …`, `status`) while every outside system is
 * slowed and configured (Graph, Docs and Drive too: a declaration sets off the real assembly): the reply must leave
 * after the answer (goal p99 <= 250 ms).
 */
export async function chatAcks(opts: { databaseUrl: string; store: StoreName; commands?: number; outsideLatencyMs: number }): Promise<Measure[]> {
  const commands = opts.commands ?? 60;
  const world = await startWorld({ latencyMs: opts.outsideLatencyMs });
  try {
    world.channel.setMembers('19:team@thread.tacv2', [ALICE, BOB]);
    const firebreak = await world.firebreak(opts.databaseUrl);
    try {
      const declares: number[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < commands + 5; i++) {
        const declare = channelMessage(`declare sev2 Bench chat incident ${i}`, { serviceUrl: world.channel.serviceUrl });
        const d = await timed(firebreak, world.channel, declare);
        const s = await timed(firebreak, world.channel, channelMessage('status', { serviceUrl: world.channel.serviceUrl, thread: declare.id }));
        if (i >= 5) {
          declares.push(d); // the first few warm up the JIT and the token cache
          statuses.push(s);
        }
      }
      const [d, s] = [percentiles(declares), percentiles(statuses)];
      report(`"@Firebreak declare" -> HTTP answer (${opts.store}), outside +${opts.outsideLatencyMs} ms`, { ...d, unit: 'ms' }, 'p99 <= 250 ms');
      report(`"@Firebreak status" -> HTTP answer (${opts.store}), outside +${opts.outsideLatencyMs} ms`, { ...s, unit: 'ms' }, 'p99 <= 250 ms');
      return [
        measured(DECLARE_ACK, d.p99, 'ms', d.p99 <= 250, { store: opts.store, details: d }),
        measured(STATUS_ACK, s.p99, 'ms', s.p99 <= 250, { store: opts.store, details: s }),
      ];
    } finally {
      await firebreak.stop();
    }
  } finally {
    await world.close();
  }
}

/**
 * Issue 15 item 7: `status` in a channel linked to N = 10 / 100 / 1,000 incidents (each declared in a thread of its
 * own, seeded with the real modules while the server is stopped): the HTTP answer and the time until the reply reaches
 * the Bot Connector, which should not grow with N. The seeded incidents' cards go out at full speed before the
 * asking starts (a backlog of 1,000 slowed cards would measure the outbox, not `status`); the asking runs slowed.
 */
export async function statusFlat(opts: { databaseUrl: string; store: StoreName; sizes?: number[]; asks?: number; outsideLatencyMs: number }): Promise<Measure[]> {
  const sizes = opts.sizes ?? [10, 100, 1000];
  const asks = opts.asks ?? 30;
  const world = await startWorld({ latencyMs: opts.outsideLatencyMs });
  const base = `19:bench-many-${randomUUID()}@thread.tacv2`;
  const p95s: number[] = [];
  const answers95: number[] = [];
  try {
    world.channel.setMembers('19:team@thread.tacv2', [ALICE, BOB]);
    let seeded = 0;
    for (const size of sizes) {
      seeded = await seed(opts.databaseUrl, base, world.channel.serviceUrl, seeded, size);
      const r = await statusAtSize(world, opts.databaseUrl, base, size, asks);
      p95s.push(r.replies.p95);
      answers95.push(r.answers.p95);
    }
  } finally {
    await world.close();
  }
  const [first, last] = [p95s[0], p95s[p95s.length - 1]];
  const limit = FLAT_FACTOR * first + FLAT_SLACK_MS;
  const figure = `N=${sizes.join('/')} -> p95 ${p95s.join('/')} ms`;
  return [measured(STATUS_FLAT, figure, undefined, last <= limit, { store: opts.store, details: { sizes, replyP95: p95s, answerP95: answers95, limitMs: Math.round(limit) } })];
}

async function statusAtSize(world: World, databaseUrl: string, base: string, size: number, asks: number) {
  world.slow(0);
  const firebreak = await world.firebreak(databaseUrl);
  try {
    const channel = world.channel;
    // The seeded incidents' cards are posted right after the start: let that work finish first.
    const cards = () => channel.recorded.filter((r) => r.conversationId.startsWith(base) && r.activity.attachments?.length).length;
    for (const until = Date.now() + 120_000; cards() < size && Date.now() < until; ) await new Promise((r) => setTimeout(r, 200));
    world.slow(world.latencyMs);
    const answers: number[] = [];
    const replies: number[] = [];
    for (let i = 0; i < asks + 5; i++) {
      // In the thread of one of the incidents (the newest, then older ones): its status.
      const ask = channelMessage('status', { serviceUrl: channel.serviceUrl, channel: base, thread: `t${size - 1 - (i % size)}` });
      const before = channel.recorded.length;
      const started = performance.now();
      const answered = await timed(firebreak, channel, ask);
      const deadline = Date.now() + 60_000;
      while (!channel.recorded.slice(before).some((r) => r.activity.replyToId === ask.id && readable(r.activity.text)?.startsWith('INC-'))) {
        if (Date.now() > deadline) throw new Error(`no reply to status at N=${size} within 60 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
      if (i >= 5) {
        answers.push(answered);
        replies.push(performance.now() - started);
      }
    }
    const r = { answers: percentiles(answers), replies: percentiles(replies) };
    report(`status, ${size} incidents in the channel: HTTP answer`, { ...r.answers, unit: 'ms' }, 'flat in N');
    report(`status, ${size} incidents in the channel: reply sent`, { ...r.replies, unit: 'ms' }, 'flat in N');
    return r;
  } finally {
    await firebreak.stop();
  }
}

/** Posts a message and times its HTTP answer. */
async function timed(firebreak: RunningFirebreak, channel: BotChannel, activity: object): Promise<number> {
  const token = channel.signInbound({ serviceUrl: channel.serviceUrl });
  const started = performance.now();
  const res = await post(firebreak.url, activity, token);
  const elapsed = performance.now() - started;
  if (res.status !== 200) throw new Error(`a command answered ${res.status}: ${JSON.stringify(res.body)}`);
  return elapsed;
}

/** Declares incidents `from`..`to - 1` in threads `t<n>` of one channel with the real modules, the server stopped. */
async function seed(databaseUrl: string, base: string, serviceUrl: string, from: number, to: number): Promise<number> {
  const store = await openStore(databaseUrl);
  try {
    const incidents = createIncidents(store);
    for (let n = from; n < to; n++) {
      const outcome = await incidents.declare({
        type: 'DeclareIncident',
        incidentId: randomUUID(),
        title: `Bench incident ${n}`,
        severity: 2,
        origin: { id: `${base};messageid=t${n}`, serviceUrl, tenantId: TENANT, isChannel: true },
        at: new Date().toISOString(),
        by: { id: ALICE.id, name: ALICE.name },
      });
      if (outcome.kind !== 'changed') throw new Error(`declare ${n}: ${outcome.kind}`);
    }
  } finally {
    await store.close();
  }
  return to;
}
