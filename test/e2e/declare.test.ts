import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';
import { storeChecks } from '../harness/store-checks';

/**
 * The first slice, end to end: the real server process in production mode, a local Bot Framework channel
 * (OpenID + JWKS + token endpoint + recording connector) over HTTP, and the store it wrote. Each test makes its
 * own incidents, so they pass in any order; what the store must hold is checked once the process has stopped.
 */
const APP_ID = '9d6c3f1e-1111-4222-8333-944444444444';
const TENANT_ID = TENANT; // the tenant the harness's activities come from: Firebreak serves no other
const PASSWORD = 'not-a-real-secret-e2e';

let channel: BotChannel;
let firebreak: RunningFirebreak;
const databaseDir = `${tmpdir()}/firebreak-e2e-db-${randomUUID()}`;
const checks = storeChecks();

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT_ID });
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${databaseDir}`,
  });
}, 60_000);

afterAll(async () => {
  try {
    await firebreak?.stop(); // PGlite allows one process per data directory
    // Whatever ran: what was declared is stored once, nothing refused is (the inbound authentication cases).
    if (firebreak) await checks.run(`pglite:${databaseDir}`);
  } finally {
    await channel?.close();
  }
});

const send = (activity: object, token = channel.signInbound({ serviceUrl: channel.serviceUrl })) => post(firebreak.url, activity, token);
const sentTo = (conversationPrefix: string) => channel.recorded.filter((r) => r.conversationId.startsWith(conversationPrefix));
const isCard = (r: { activity: Record<string, any> }) => r.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';

/** Asks for help in the conversation and waits for the answer: everything said there before it has been answered. */
async function helpAnswered(conversation: { serviceUrl: string; thread: string; channel?: string }) {
  const marker = channelMessage('help', conversation);
  expect((await send(marker)).status).toBe(200);
  return eventually(() => sentTo(marker.conversation.id).find((r) => readable(r.activity.text)?.startsWith('Firebreak commands')), 'the answer to help');
}

test('declare sev2 creates an incident, stores it, and posts the card with text', async () => {
  const activity = channelMessage('declare sev2 Checkout API returning 500s', { serviceUrl: channel.serviceUrl });
  const res = await send(activity);
  expect(res.status).toBe(200);
  checks.declared('Checkout API returning 500s');

  const card = await eventually(() => sentTo(activity.conversation.id).find(isCard), 'the incident card');
  expect(card.conversationId).toBe(activity.conversation.id);
  expect(card.activity.summary).toMatch(/^INC-\d+: Checkout API returning 500s\. Severity 2, phase 1\. Alice Adams is incident commander\.$/);
  const number = Number(/^INC-(\d+)/.exec(card.activity.summary)![1]);
  const content = card.activity.attachments[0].content;
  expect(adaptiveCardErrors(content)).toEqual([]);
  expect(JSON.stringify(content)).toContain('Checkout API returning 500s');
  expect(content.body[1].facts).toEqual(
    expect.arrayContaining([
      { title: 'Severity', value: expect.stringMatching(/^2: Major/) },
      { title: 'Phase', value: expect.stringMatching(/^1: Stop the bleeding/) },
      { title: 'Commander', value: 'Alice Adams' },
    ]),
  );
  // The acknowledgement (sent after the HTTP answer) explains the defaults and how to change them.
  const ack = await eventually(() => sentTo(activity.conversation.id).find((r) => typeof r.activity.text === 'string' && r.activity.text.startsWith('Declared')), 'the acknowledgement');
  expect(ack.activity.text).toContain('hand off with "ic @person"');

  checks.add(async (store) => {
    const stored = await store.byNumber(number);
    expect(stored).toMatchObject({ number, title: 'Checkout API returning 500s', severity: 2, status: 'active' });
    expect(stored!.cards).toEqual([{ conversationId: activity.conversation.id, postedIn: activity.conversation.id, activityId: card.activityId }]);
    expect((await store.events(stored!.id)).map((e) => e.event.type)).toEqual(['IncidentDeclared', 'CardPosted']);
  });
});

test('a command is answered before anything is sent: the 200s come while the Bot Connector is held, the replies in order once released', async () => {
  let release!: () => void;
  const hold = new Promise<void>((resolve) => (release = resolve));
  const declare = channelMessage('declare sev2 Payments queue is backing up', { serviceUrl: channel.serviceUrl });
  const status = channelMessage('status', { serviceUrl: channel.serviceUrl, thread: declare.id });
  channel.fault({ match: /^POST \/v3\/conversations\//, hold });
  try {
    expect((await send(declare)).status).toBe(200);
    checks.declared('Payments queue is backing up');
    expect((await send(status)).status).toBe(200);
    expect(sentTo(declare.conversation.id)).toEqual([]);
  } finally {
    channel.fault(undefined);
    release();
  }
  const texts = () => sentTo(declare.conversation.id).map((r) => readable(r.activity.text)).filter((t): t is string => Boolean(t));
  await eventually(() => texts().find((t) => t.startsWith('INC-')), 'the answer to status');
  // The declaration's reply (written with the incident, sent after the answer) comes before the status asked after it.
  expect(texts().map((t) => t.split(' ')[0])).toEqual(['Declared', expect.stringMatching(/^INC-\d+:$/)]);
  checks.add(async (store) => {
    const [incident] = (await store.list({ limit: 1000 })).filter((i) => i.title === 'Payments queue is backing up');
    const replies = (await store.effects({ incidentId: incident.id })).filter((e) => e.kind === 'chat.reply');
    expect(replies.map((e) => [e.outcome, e.attempts])).toEqual([['done', 1]]);
  });
});

test('a duplicate delivery of the same activity does nothing the second time', async () => {
  const activity = channelMessage('declare Search is slow', { serviceUrl: channel.serviceUrl });
  await send(activity);
  checks.declared('Search is slow');
  await eventually(() => sentTo(activity.conversation.id).find(isCard), 'first card');
  await eventually(() => sentTo(activity.conversation.id).find((r) => readable(r.activity.text)?.startsWith('Declared')), 'the acknowledgement');
  const count = sentTo(activity.conversation.id).length;
  expect((await send(activity)).status).toBe(200);
  // Whatever a second declaration would say would come before the answer to help (replies keep their order in a
  // conversation). The card comes from the outbox; the store check finds one incident of this title, so there is no
  // second card to come.
  await helpAnswered({ serviceUrl: channel.serviceUrl, thread: activity.id });
  expect(sentTo(activity.conversation.id)).toHaveLength(count + 1);

});

test('a bare declare, an unknown command and help each get a plain answer', async () => {
  // A channel of its own: no incident is active in it, whatever other tests declared.
  const quiet = `19:quiet-${randomUUID()}@thread.tacv2`;
  const cases: [string, RegExp][] = [
    ['declare', /^Usage: declare \[sev1-4\]/],
    ['frobnicate the thing', /^I didn't understand "frobnicate the thing"/],
    ['help', /^Firebreak commands/],
    ['sev 9', /^There is no active incident in this conversation\. Declare one with: declare/],
  ];
  for (const [text, answer] of cases) {
    const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, channel: quiet });
    expect((await send(activity)).status).toBe(200);
    const reply = await eventually(() => sentTo(activity.conversation.id).find((r) => r.activity.text), `answer to "${text}"`);
    expect(readable(reply.activity.text)).toMatch(answer);
  }
});

test('a severity change updates the card in place and posts a follow-up', async () => {
  const declare = channelMessage('declare sev3 Login page blank', { serviceUrl: channel.serviceUrl });
  await send(declare);
  checks.declared('Login page blank');
  const card = await eventually(() => sentTo(declare.conversation.id).find((r) => r.activity.attachments), 'card');

  // Any thread of the same channel reaches the incident declared in it.
  const change = channelMessage('sev 1', { serviceUrl: channel.serviceUrl, thread: declare.id });
  expect((await send(change)).status).toBe(200);
  const update = await eventually(
    () => channel.recorded.find((r) => r.op === 'update' && r.activityId === card.activityId),
    'the card update',
  );
  expect(update.activity.summary).toMatch(/Severity 1, phase 1/);
  expect(adaptiveCardErrors(update.activity.attachments[0].content)).toEqual([]);
  const followUp = await eventually(
    () => sentTo(declare.conversation.id).find((r) => r.op !== 'update' && /^\*\*Re: INC-\d+/.test(r.activity.text ?? '')),
    'the follow-up',
  );
  expect(followUp.activity.text).toContain('Severity raised from 3 to 1 by Alice Adams.');
  expect(followUp.activity.text).toContain('Severity 1, phase 1. Alice Adams is incident commander.');
  expect(followUp.activity.text).toContain('No business liaison yet');
});

describe('inbound authentication', () => {
  const activity = () => channelMessage('declare sev2 should never be stored', { serviceUrl: channel.serviceUrl });
  test.each([
    ['no token', () => undefined],
    ['a token signed by the wrong key', () => channel.signInbound({ key: 'untrusted' })],
    ['an expired token', () => channel.signInbound({ expiresInSeconds: -600 })],
    ['a token for another bot', () => channel.signInbound({ audience: '00000000-0000-4000-8000-000000000000' })],
    ['a token from another issuer', () => channel.signInbound({ issuer: 'https://evil.example' })],
    ['a token for another serviceUrl', () => channel.signInbound({ serviceUrl: 'https://elsewhere.example/' })],
  ])('%s gets 401', async (_name, token) => {
    const res = await post(firebreak.url, activity(), token());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.stringMatching(/unauthorized/) });
  });

});

describe('bad input gets a 4xx with a reason', () => {
  test('malformed JSON', async () => {
    const res = await post(firebreak.url, '{"type":', channel.signInbound());
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringMatching(/JSON/) });
  });
  test('not an activity', async () => {
    const res = await post(firebreak.url, { hello: 'world' }, channel.signInbound());
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('missing type, serviceUrl') });
  });
  test('oversize body', async () => {
    const huge = channelMessage('note ' + 'x'.repeat(400_000), { serviceUrl: channel.serviceUrl });
    const res = await post(firebreak.url, huge, channel.signInbound());
    expect(res.status).toBe(413);
  });
  test('wrong content type', async () => {
    const res = await post(firebreak.url, 'type=message', channel.signInbound(), 'text/plain');
    expect(res.status).toBe(415);
  });
});

test('no secret reaches the logs', async () => {
  // Traffic that handles both secrets: a declaration (the bot fetches its token with the password, Teams's token
  // comes in) and a request with a forged token, which is refused and logged.
  const activity = channelMessage('declare sev4 Status page slow to load', { serviceUrl: channel.serviceUrl });
  expect((await send(activity)).status).toBe(200);
  checks.declared('Status page slow to load');
  await eventually(() => sentTo(activity.conversation.id).find(isCard), 'the card, posted with a token got by the password');
  const before = firebreak.logs.length;
  expect((await send(channelMessage('help', { serviceUrl: channel.serviceUrl }), channel.signInbound({ key: 'untrusted' }))).status).toBe(401);
  // The refusal is logged, so the checks below look at a log that saw the token.
  await eventually(() => firebreak.logs.slice(before).find((line) => line.includes('"refused a request"') && line.includes('"status":401')), 'the refusal in the log');
  const logs = firebreak.logs.join('\n');
  expect(logs).not.toContain(PASSWORD);
  expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/); // no JWT
});

test('in a channel, a message that does not mention the bot is people talking: no answer, nothing stored', async () => {
  const activity = channelMessage('declare sev1 this is just chatter', { serviceUrl: channel.serviceUrl });
  const unmentioned = { ...activity, text: 'declare sev1 this is just chatter', entities: [] };
  expect((await send(unmentioned)).status).toBe(200);
  // The next message in that thread is answered, and it is the only thing said there; the store check finds no
  // incident of that title.
  const answer = await helpAnswered({ serviceUrl: channel.serviceUrl, thread: activity.id });
  expect(sentTo(activity.conversation.id)).toEqual([answer]);
});
