import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIncidents } from '../src/app/incidents';
import { startBotChannel, type BotChannel } from '../src/sandbox/botframework';
import { openStore } from '../src/store/open';
import { ALICE, BOB, channelMessage, post, readable, TENANT } from '../test/harness/activities';
import { startFirebreak, type RunningFirebreak } from '../test/harness/firebreak';
import { percentiles, report } from './stats';

const APP_ID = '7a1d0e1f-3333-4444-8555-966666666626';
const SECRET = 'bench-secret';

/**
 * Issue 15 items 1 and 7. (a) The HTTP answer to a chat command (`@Firebreak declare …`, `status`) while the Bot
 * Connector is slowed to 300 ms: the reply must leave after the answer (target p99 ≤ 250 ms). (b) `status` in a
 * channel linked to N = 10 / 100 / 1,000 incidents (each declared in a thread of its own): the HTTP answer and the time
 * until the reply reaches the Bot Connector, which should not grow with N.
 */
export async function chatLatency(opts: { commands?: number; outsideLatencyMs?: number; sizes?: number[]; asks?: number } = {}): Promise<void> {
  const commands = opts.commands ?? 60;
  const latencyMs = opts.outsideLatencyMs ?? 300;
  const channel = await startBotChannel({ appId: APP_ID, appPassword: SECRET, tenantId: TENANT });
  channel.setMembers('19:team@thread.tacv2', [ALICE, BOB]);
  const dir = mkdtempSync(path.join(tmpdir(), 'firebreak-bench-chat-'));
  try {
    await acks(channel, `pglite:${path.join(dir, 'acks')}`, commands, latencyMs);
    await statusAtSize(channel, `pglite:${path.join(dir, 'sizes')}`, opts.sizes ?? [10, 100, 1000], opts.asks ?? 30);
  } finally {
    channel.fault(undefined);
    await channel.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function start(channel: BotChannel, databaseUrl: string): Promise<RunningFirebreak> {
  return startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: SECRET,
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
  });
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

async function acks(channel: BotChannel, databaseUrl: string, commands: number, latencyMs: number): Promise<void> {
  const firebreak = await start(channel, databaseUrl);
  try {
    channel.fault({ latencyMs });
    const declares: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < commands + 5; i++) {
      const declare = channelMessage(`declare sev2 Bench chat incident ${i}`, { serviceUrl: channel.serviceUrl });
      const d = await timed(firebreak, channel, declare);
      const s = await timed(firebreak, channel, channelMessage('status', { serviceUrl: channel.serviceUrl, thread: declare.id }));
      if (i >= 5) {
        declares.push(d); // the first few warm up the JIT and the token cache
        statuses.push(s);
      }
    }
    report(`"@Firebreak declare" -> HTTP answer, connector +${latencyMs} ms`, { ...percentiles(declares), unit: 'ms' }, 'p99 ≤ 250 ms');
    report(`"@Firebreak status" -> HTTP answer, connector +${latencyMs} ms`, { ...percentiles(statuses), unit: 'ms' }, 'p99 ≤ 250 ms');
  } finally {
    channel.fault(undefined);
    await firebreak.stop();
  }
}

async function statusAtSize(channel: BotChannel, databaseUrl: string, sizes: number[], asks: number): Promise<void> {
  const base = `19:bench-many-${randomUUID()}@thread.tacv2`;
  let seeded = 0;
  for (const size of sizes) {
    seeded = await seed(databaseUrl, base, channel.serviceUrl, seeded, size);
    const firebreak = await start(channel, databaseUrl);
    try {
      // The seeded incidents' cards are posted right after the start: let that work finish first.
      const cards = () => channel.recorded.filter((r) => r.conversationId.startsWith(base) && r.activity.attachments?.length).length;
      for (const until = Date.now() + 120_000; cards() < size && Date.now() < until; ) await new Promise((r) => setTimeout(r, 200));
      const answers: number[] = [];
      const replies: number[] = [];
      for (let i = 0; i < asks + 5; i++) {
        // In the thread of one of the incidents (the newest, then older ones): its status.
        const ask = channelMessage('status', { serviceUrl: channel.serviceUrl, channel: base, thread: `t${size - 1 - (i % size)}` });
        const before = channel.recorded.length;
        const started = performance.now();
        const answered = await timed(firebreak, channel, ask);
        while (!channel.recorded.slice(before).some((r) => r.activity.replyToId === ask.id && readable(r.activity.text)?.startsWith('INC-'))) await new Promise((r) => setImmediate(r));
        if (i >= 5) {
          answers.push(answered);
          replies.push(performance.now() - started);
        }
      }
      report(`status, ${size} incidents in the channel: HTTP answer`, { ...percentiles(answers), unit: 'ms' }, 'flat in N');
      report(`status, ${size} incidents in the channel: reply sent`, { ...percentiles(replies), unit: 'ms' }, 'flat in N');
    } finally {
      await firebreak.stop();
    }
  }
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
