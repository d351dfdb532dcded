import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { ALICE, channelMessage, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Answer first, talk after, and lose nothing: the answers of `page`, `update <audience>: …` and `publish …` are written
 * with what they changed (a `chat.reply` effect), so a process that dies right after the HTTP answer, before the
 * answer reached Teams, leaves it to the next process. Held in memory only, the answer died with the process: these
 * tests then wait in vain.
 *
 * The real server process (production mode, PGlite, the example organisation file), the local Bot Framework channel
 * holding and then dropping every post into the incident's thread while the first process lives.
 */
const APP_ID = '7a1e0b55-6666-4444-8555-955555555577';
const SECRET = 'durable-replies-e2e-secret';
const ORG_FILE = path.resolve(__dirname, '../../firebreak.org.example.yml');

let channel: BotChannel;

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: SECRET, tenantId: TENANT });
}, 60_000);

afterAll(async () => {
  channel?.fault(undefined);
  await channel?.close();
});

const firebreakEnv = (databaseUrl: string) => ({
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_PASSWORD: SECRET,
  MICROSOFT_APP_TENANT_ID: TENANT,
  BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
  BOT_LOGIN_URL: channel.loginUrl,
  DATABASE_URL: databaseUrl,
  FIREBREAK_ORG_FILE: ORG_FILE,
  STATUS_URL: 'https://status.contoso.test',
  // A dead process's claim on an effect lapses after a lease: short here, so the next process takes it soon.
  EFFECT_LEASE_SECONDS: '3',
});

const send = (activity: object, url: string) => post(url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));

/** The bot's first plain message in the thread after `before` that contains `fragment`, as read. */
const textIn = (thread: string, before: number, fragment: string, timeoutMs?: number) =>
  eventually(
    () => channel.recorded.slice(before).map((r) => (r.conversationId.endsWith(thread) && !r.activity.attachments ? readable(r.activity.text) : undefined)).find((t) => t?.includes(fragment)),
    `"${fragment}" in the thread ${thread}`,
    timeoutMs,
  );

/**
 * Declares in a thread of its own on `first`, then says `command` there while every post into the thread is held,
 * kills `first` at once, drops what it had sent (never delivered) and starts a second process on the same store.
 */
async function crashAfterAnswer(command: string, answer: string, impact = false): Promise<{ thread: string; before: number; second: RunningFirebreak; first: RunningFirebreak }> {
  const env = firebreakEnv(`pglite:${tmpdir()}/firebreak-durable-replies-${randomUUID()}`);
  const first = await startFirebreak(env);
  const thread = randomUUID();
  const declare = channelMessage(`declare sev2 Payments failing ${thread.slice(0, 8)}`, { serviceUrl: channel.serviceUrl, thread, from: ALICE });
  expect((await send(declare, first.url)).status).toBe(200);
  await textIn(thread, 0, 'Declared INC-');
  if (impact) {
    const at = channel.recorded.length;
    expect((await send(channelMessage('impact yes', { serviceUrl: channel.serviceUrl, thread, from: ALICE }), first.url)).status).toBe(200);
    await textIn(thread, at, 'Customers are affected');
  }
  const before = channel.recorded.length;
  let release!: () => void;
  channel.fault({ match: new RegExp(`^POST /v3/conversations/[^/]*${thread}`), hold: new Promise<void>((r) => (release = r)), drop: 'before' });
  try {
    expect((await send(channelMessage(command, { serviceUrl: channel.serviceUrl, thread, from: ALICE }), first.url)).status).toBe(200);
    await first.kill();
  } finally {
    release();
    channel.fault(undefined);
  }
  // What was on its way before the hold (a card refresh) may have landed; the answer had not.
  expect(channel.recorded.slice(before).filter((r) => r.conversationId.endsWith(thread) && readable(r.activity.text)?.includes(answer))).toEqual([]);
  return { thread, before, first, second: await startFirebreak(env) };
}

test.each([
  ['page payments the checkout depends on it', false, 'Paging '],
  ['update support: card payments are failing for some customers', true, 'Sent to Front-line support.'],
  ['publish payments: Some customers cannot pay by card.', true, 'Published INC-'],
])('"%s": a crash right after the answer loses no answer; the next process says it once', async (command, impact, answer) => {
  const { thread, before, first, second } = await crashAfterAnswer(command, answer, impact);
  try {
    expect(await textIn(thread, before, answer, 30_000)).toContain(answer);
    // Once: a moment later there is still only the one.
    await new Promise((r) => setTimeout(r, 500));
    const said = channel.recorded.slice(before).filter((r) => r.conversationId.endsWith(thread) && readable(r.activity.text)?.includes(answer));
    expect(said).toHaveLength(1);
  } finally {
    await first.kill();
    await second.stop();
  }
}, 120_000);
