import { randomUUID } from 'node:crypto';
import { openStore } from '../../src/store/open';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { ALICE, BOT, channelMessage, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * The first slice, end to end: the real server process in production mode, a local Bot Framework channel
 * (OpenID + JWKS + token endpoint + recording connector) over HTTP, and the store it wrote.
 */
const APP_ID = '9d6c3f1e-1111-4222-8333-944444444444';
const TENANT_ID = TENANT; // the tenant the harness's activities come from: Firebreak serves no other
const PASSWORD = 'not-a-real-secret-e2e';

let channel: BotChannel;
let firebreak: RunningFirebreak;
let databaseDir: string;
let firstCard: { conversationId: string; postedIn: string; activityId: string };

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT_ID });
  databaseDir = `${require('node:os').tmpdir()}/firebreak-e2e-db-${randomUUID()}`;
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
  await firebreak?.stop();
  await channel?.close();
});

const send = (activity: object, token = channel.signInbound({ serviceUrl: channel.serviceUrl })) => post(firebreak.url, activity, token);
const sentTo = (conversationPrefix: string) => channel.recorded.filter((r) => r.conversationId.startsWith(conversationPrefix));

test('declare sev2 creates incident #1, stores it, and posts the card with text', async () => {
  const activity = channelMessage('declare sev2 Checkout API returning 500s', { serviceUrl: channel.serviceUrl });
  const before = channel.recorded.length;
  const res = await send(activity);
  expect(res.status).toBe(200);

  const card = await eventually(
    () => channel.recorded.slice(before).find((r) => r.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive'),
    'the incident card',
  );
  expect(card.conversationId).toBe(activity.conversation.id);
  expect(card.activity.summary).toBe('INC-1: Checkout API returning 500s. Severity 2, phase 1. Alice Adams is incident commander.');
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
  // The acknowledgement explains the defaults and how to change them.
  const ack = channel.recorded.slice(before).find((r) => typeof r.activity.text === 'string' && r.activity.text.startsWith('Declared'));
  expect(ack?.activity.text).toContain('hand off with "ic @person"');

  firstCard = { conversationId: activity.conversation.id, postedIn: activity.conversation.id, activityId: card.activityId };
});

test('a duplicate delivery of the same activity does nothing the second time', async () => {
  const activity = channelMessage('declare Search is slow', { serviceUrl: channel.serviceUrl });
  await send(activity);
  await eventually(() => sentTo(activity.conversation.id).find((r) => r.activity.attachments), 'first card');
  const count = sentTo(activity.conversation.id).length;
  expect((await send(activity)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 700));
  expect(sentTo(activity.conversation.id)).toHaveLength(count);
});

test('a bare declare, an unknown command and help each get a plain answer', async () => {
  const cases: [string, RegExp][] = [
    ['declare', /^Usage: declare \[sev1-4\]/],
    ['frobnicate the thing', /^I didn't understand "frobnicate the thing"/],
    ['help', /^Firebreak commands/],
    ['sev 9', /There is no active incident|Several incidents are active here|Severity must be 1-4/],
  ];
  for (const [text, answer] of cases) {
    const activity = channelMessage(text, { serviceUrl: channel.serviceUrl });
    expect((await send(activity)).status).toBe(200);
    const reply = await eventually(() => sentTo(activity.conversation.id).find((r) => r.activity.text), `answer to "${text}"`);
    expect(readable(reply.activity.text)).toMatch(answer);
  }
});

test('a severity change updates the card in place and posts a follow-up', async () => {
  const declare = channelMessage('declare sev3 Login page blank', { serviceUrl: channel.serviceUrl });
  await send(declare);
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

test('no secret reaches the logs', () => {
  const logs = firebreak.logs.join('\n');
  expect(logs).not.toContain(PASSWORD);
  expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/); // no JWT
  expect(BOT.id).toBeTruthy();
  expect(ALICE.name).toBeTruthy();
});

test('in a channel, a message that does not mention the bot is people talking: no answer, nothing stored', async () => {
  const activity = channelMessage('declare sev1 this is just chatter', { serviceUrl: channel.serviceUrl });
  const unmentioned = { ...activity, text: 'declare sev1 this is just chatter', entities: [] };
  expect((await send(unmentioned)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 500));
  expect(sentTo(activity.conversation.id)).toHaveLength(0);
});

test('the store holds what was said, once, and nothing that was refused', async () => {
  await firebreak.stop(); // PGlite allows one process per data directory
  const store = await openStore(`pglite:${databaseDir}`);
  try {
    const first = await store.byNumber(1);
    expect(first).toMatchObject({ number: 1, title: 'Checkout API returning 500s', severity: 2, status: 'active' });
    expect(first!.cards).toEqual([firstCard]);
    expect((await store.events(first!.id)).map((e) => e.event.type)).toEqual(['IncidentDeclared', 'CardPosted']);
    const titles = (await store.list()).map((i) => i.title);
    expect(titles.filter((t) => t === 'Search is slow')).toHaveLength(1);
    expect(titles).not.toContain('should never be stored');
    // Everything due has run; only reminders set for later are still waiting.
    expect((await store.effects({ pending: true })).filter((e) => e.kind !== 'reminder.update')).toEqual([]);
  } finally {
    await store.close();
  }
});
