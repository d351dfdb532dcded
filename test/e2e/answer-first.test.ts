import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { ALICE, BOB, channelMessage, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Answer first, talk after (issue 15 item 1) for the commands that name someone: `ic @person` and `role <role> @person`
 * get their HTTP answer while the Bot Connector still holds the member lookup; the hand-off (or the refusal) comes
 * after, once Teams has said who the person is. A Firebreak that looked the member up before answering never answers
 * here: the lookup is released only after the answer, so such a test ends at its timeout.
 *
 * The real server process (production mode, PGlite), the local Bot Framework channel holding `GET .../members/{id}`.
 */
const APP_ID = '7a1e0b55-4444-4444-8555-955555555555';
const SECRET = 'answer-first-e2e-secret';
const TEAM = '19:team@thread.tacv2';
const CAROL = { id: '29:carol', name: 'Carol Outsider', aadObjectId: '00000000-0000-0000-0000-0000000ca401' };
const MEMBER_LOOKUP = /^GET \/v3\/conversations\/[^/]+\/members\/[^/]+$/;

let channel: BotChannel;
let firebreak: RunningFirebreak;

const firebreakEnv = (databaseUrl: string, more: Record<string, string> = {}) => ({
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_PASSWORD: SECRET,
  MICROSOFT_APP_TENANT_ID: TENANT,
  BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
  BOT_LOGIN_URL: channel.loginUrl,
  DATABASE_URL: databaseUrl,
  ...more,
});

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: SECRET, tenantId: TENANT });
  channel.setMembers(TEAM, [ALICE, { ...BOB, email: 'bob@example.com' } as typeof BOB]);
  firebreak = await startFirebreak(firebreakEnv(`pglite:${tmpdir()}/firebreak-answer-first-${randomUUID()}`));
}, 60_000);

afterAll(async () => {
  channel?.fault(undefined);
  try {
    await firebreak?.stop();
  } finally {
    await channel?.close();
  }
});

/** A thread of its own, in a channel of its own, with an incident Alice declared there. */
async function incidentThread(url = firebreak.url): Promise<{ thread: string; conversation: string; channelId: string }> {
  const channelId = `19:answer-first-${randomUUID()}@thread.tacv2`;
  const declare = channelMessage(`declare sev2 Checkout API returning 500s ${randomUUID().slice(0, 6)}`, { serviceUrl: channel.serviceUrl, channel: channelId });
  expect((await send(declare, url)).status).toBe(200);
  const conversation = declare.conversation.id;
  await textIn(conversation, 0, 'Declared INC-');
  return { thread: declare.id, conversation, channelId };
}

const send = (activity: object, url = firebreak.url) => post(url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));

/** The bot's first plain message in the conversation after `before` that contains `fragment`, as read. */
const textIn = (conversation: string, before: number, fragment: string, timeoutMs?: number) =>
  eventually(
    () => channel.recorded.slice(before).map((r) => (r.conversationId === conversation && !r.activity.attachments ? readable(r.activity.text) : undefined)).find((t) => t?.includes(fragment)),
    `"${fragment}" in ${conversation}`,
    timeoutMs,
  );

/** Holds every member lookup until `release` is called. */
function holdMemberLookups(): () => void {
  let release!: () => void;
  channel.fault({ match: MEMBER_LOOKUP, hold: new Promise<void>((resolve) => (release = resolve)) });
  return () => {
    release();
    channel.fault(undefined);
  };
}

const lookupsOf = (memberId: string) => channel.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/members/${encodeURIComponent(memberId)}`));

test('"ic @Bob" is answered while Teams still holds the member lookup; the hand-off follows once Teams answers', async () => {
  const { thread, conversation, channelId } = await incidentThread();
  const before = channel.recorded.length;
  const lookupsBefore = lookupsOf(BOB.id).length;
  const release = holdMemberLookups();
  const ic = channelMessage('ic', { serviceUrl: channel.serviceUrl, channel: channelId, thread, mentions: [BOB] });
  const answered = await send(ic);
  // The HTTP answer came while the lookup is held: nothing outbound was waited for.
  expect(answered.status).toBe(200);
  expect(lookupsOf(BOB.id)).toHaveLength(lookupsBefore);
  expect(channel.recorded.slice(before).filter((r) => r.conversationId === conversation && !r.activity.attachments)).toEqual([]);
  // A re-delivery (Teams retries what it thinks unanswered) is taken once.
  expect((await send(ic)).status).toBe(200);

  release();
  expect(await textIn(conversation, before, 'handed command')).toContain('Alice Adams handed command to Bob Brown.');
  // Teams was asked who Bob is (his Entra id and email come from that answer), once for the two deliveries.
  expect(lookupsOf(BOB.id).slice(lookupsBefore).map((r) => r.status)).toEqual([200]);
  const status = channel.recorded.length;
  expect((await send(channelMessage('status', { serviceUrl: channel.serviceUrl, channel: channelId, thread }))).status).toBe(200);
  expect(await textIn(conversation, status, 'incident commander')).toContain('Bob Brown is incident commander.');
}, 60_000);

test('"role comms @Bob" likewise: answered first, the role assigned after the lookup', async () => {
  const { thread, conversation, channelId } = await incidentThread();
  const before = channel.recorded.length;
  const release = holdMemberLookups();
  expect((await send(channelMessage('role comms', { serviceUrl: channel.serviceUrl, channel: channelId, thread, mentions: [BOB] }))).status).toBe(200);
  release();
  expect(await textIn(conversation, before, 'communications lead')).toContain('Bob Brown is now communications lead (assigned by Alice Adams).');
}, 60_000);

test('"ic @Carol", who is not in the team: answered first, refused in plain words once Teams says so, and nothing changes', async () => {
  const { thread, conversation, channelId } = await incidentThread();
  const before = channel.recorded.length;
  const release = holdMemberLookups();
  expect((await send(channelMessage('ic', { serviceUrl: channel.serviceUrl, channel: channelId, thread, mentions: [CAROL] }))).status).toBe(200);
  expect(lookupsOf(CAROL.id)).toEqual([]);

  release();
  expect(await textIn(conversation, before, 'Carol')).toBe("Carol Outsider is not in this team, so can't be incident commander here.");
  expect(lookupsOf(CAROL.id).map((r) => r.status)).toEqual([404]);
  const status = channel.recorded.length;
  expect((await send(channelMessage('status', { serviceUrl: channel.serviceUrl, channel: channelId, thread }))).status).toBe(200);
  expect(await textIn(conversation, status, 'incident commander')).toContain('Alice Adams is incident commander.');
}, 60_000);

test('a crash right after the answer loses nothing: the next process hands off once the dead one\'s claim has lapsed', async () => {
  // A process of its own, with short leases: the command waits a lease before another process may run it.
  const env = firebreakEnv(`pglite:${tmpdir()}/firebreak-answer-first-crash-${randomUUID()}`, { EFFECT_LEASE_SECONDS: '3' });
  const first = await startFirebreak(env);
  let second: RunningFirebreak | undefined;
  try {
    const { thread, conversation, channelId } = await incidentThread(first.url);
    const before = channel.recorded.length;
    const release = holdMemberLookups();
    expect((await send(channelMessage('ic', { serviceUrl: channel.serviceUrl, channel: channelId, thread, mentions: [BOB] }), first.url)).status).toBe(200);
    await first.kill(); // answered, the lookup still held: nothing of the hand-off is done yet
    release();
    expect(channel.recorded.slice(before).filter((r) => r.conversationId === conversation && !r.activity.attachments)).toEqual([]);

    second = await startFirebreak(env);
    // Once the dead process's claim lapses (a lease, 3 s) the new one's runner takes the command.
    expect(await textIn(conversation, before, 'handed command', 30_000)).toContain('Alice Adams handed command to Bob Brown.');
    const status = channel.recorded.length;
    expect((await send(channelMessage('status', { serviceUrl: channel.serviceUrl, channel: channelId, thread }), second.url)).status).toBe(200);
    expect(await textIn(conversation, status, 'incident commander')).toContain('Bob Brown is incident commander.');
    const handOffs = channel.recorded.slice(before).filter((r) => r.conversationId === conversation && readable(r.activity.text)?.includes('handed command'));
    expect(handOffs).toHaveLength(1);
  } finally {
    await first.kill();
    await second?.stop();
  }
}, 120_000);
