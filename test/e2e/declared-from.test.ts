import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Links and text from users, through the real server process: "Declared from" comes only from what Teams sent (the
 * message the action was invoked on), never from a form field; and text people typed comes back literal wherever it
 * is echoed (a refusal, a card), never as a link, a mention or formatting.
 */
const APP_ID = '5b1c7d2e-3333-4444-8555-966666666666';
const TENANT_ID = TENANT; // the bot's tenant is the one the harness activities come from
const TEAM = '19:team@thread.tacv2';
const LINK = 'https://teams.microsoft.com/l/message/19:ops-channel@thread.tacv2/1700000000001?tenantId=t&parentMessageId=1700000000001';

let channel: BotChannel;
let firebreak: RunningFirebreak;

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'declared-from-secret', tenantId: TENANT_ID });
  channel.setMembers(TEAM, [ALICE, BOB]);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'declared-from-secret',
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${tmpdir()}/firebreak-declared-from-${randomUUID()}`,
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
});

const send = async (activity: object) => {
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as any;
};
const opts = (thread: string = randomUUID()) => ({ serviceUrl: channel.serviceUrl, thread });
const payload = (linkToMessage: string) => ({ id: '1700000000001', body: { contentType: 'html', content: '<p>checkout is down</p>' }, from: { user: { id: BOB.id, displayName: BOB.name } }, linkToMessage });

/** Opens the declare form on a message (as Teams sends it) and returns the form's card. */
async function openForm(linkToMessage: string) {
  const body = await send(invoke('composeExtension/fetchTask', { commandId: 'declareIncident', commandContext: 'message', messagePayload: payload(linkToMessage) }, opts()));
  return body.task.value.card.content;
}

/** Submits the declare form and returns the incident card posted in that thread. */
async function declare(value: Record<string, unknown>): Promise<string> {
  const thread = randomUUID();
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'message', ...value }, opts(thread));
  expect((await send(submit)).task.value).toMatch(/^Declared INC-\d+/);
  const card = await eventually(() => channel.recorded.find((r: Recorded) => r.conversationId === submit.conversation.id && r.activity.attachments), 'the incident card');
  return JSON.stringify(card.activity.attachments[0].content);
}

const form = (formId: unknown, sourceUrl?: string) => ({ formId, title: `Checkout down ${randomUUID().slice(0, 6)}`, severity: '2', commander: ALICE.id, ...(sourceUrl ? { sourceUrl } : {}) });

describe('"Declared from" is only ever the message Teams says the form was opened on', () => {
  test('the form opened on a message links to it, and submitting it as given keeps the link', async () => {
    const card = await openForm(LINK);
    const submit = card.actions[0].data;
    expect(JSON.stringify(card)).toContain('Declared from [this message](https://teams.microsoft.com/l/message/');
    expect(await declare({ data: { ...form(submit.formId), sourceUrl: submit.sourceUrl } })).toContain(`Declared from [this message](${LINK})`);
  });

  test('a form whose link was changed before submitting declares without any link', async () => {
    for (const forged of ['https://evil.example/phish', 'https://teams.microsoft.com/l/message/19:other@thread.tacv2/1']) {
      const { formId } = (await openForm(LINK)).actions[0].data;
      const card = await declare({ data: form(formId, forged) });
      expect(card).not.toContain('Declared from');
      expect(card).not.toContain(forged);
    }
  });

  test('a submit that was never opened on a message cannot bring a link, however Teams-like', async () => {
    const card = await declare({ data: form(randomUUID(), LINK) });
    expect(card).not.toContain('Declared from');
  });

  test("a submit carrying Teams' own messagePayload takes its link from there", async () => {
    const card = await declare({ data: form(randomUUID(), 'https://evil.example/phish'), messagePayload: payload(LINK) });
    expect(card).toContain(`Declared from [this message](${LINK})`);
    expect(card).not.toContain('evil.example');
  });

  test('only Teams message links count, even from Teams: anything else is dropped from the form and the card', async () => {
    for (const other of ['https://evil.example/l/message/1', 'http://teams.microsoft.com/l/message/x/1', 'https://teams.microsoft.com.evil.example/l/message/x/1', 'javascript:alert(1)', 'https://teams.microsoft.com/l/chat/x']) {
      const card = await openForm(other);
      expect(JSON.stringify(card)).not.toContain('Declared from');
      expect(card.actions[0].data.sourceUrl).toBeUndefined();
    }
    expect(await declare({ data: form(randomUUID()), messagePayload: payload('https://evil.example/l/message/1') })).not.toContain('Declared from');
  });
});

describe('text people typed comes back literal', () => {
  const NASTY = ['[x](https://evil.example/a)', '<at>Bob</at>', '**bold**', '# heading', '![img](https://evil.example/i.png)'];

  test('an unknown command is quoted back escaped, so it reads as typed', async () => {
    for (const text of NASTY) {
      // Teams delivers typed text as HTML: what looks like a tag arrives escaped.
      const activity = channelMessage(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), { serviceUrl: channel.serviceUrl });
      await send(activity);
      const reply = await eventually(() => channel.recorded.find((r) => r.conversationId === activity.conversation.id && typeof r.activity.text === 'string'), `answer to ${text}`);
      expect(reply.activity.text).not.toContain('[x](');
      expect(reply.activity.text).not.toContain('<at>');
      expect(reply.activity.text).not.toContain('**bold**');
      expect(readable(reply.activity.text)).toContain(`I didn't understand "${text}"`);
    }
  });

  test('a title on the card, and a button Firebreak does not know, are escaped', async () => {
    const title = NASTY.join(' ');
    const thread = randomUUID();
    const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', data: { formId: randomUUID(), title, severity: '3', commander: ALICE.id } }, opts(thread));
    await send(submit);
    const posted = await eventually(() => channel.recorded.find((r) => r.conversationId === submit.conversation.id && r.activity.attachments), 'the card');
    const card = posted.activity.attachments[0].content;
    const shownTitle = card.body[0].items[1].text as string;
    expect(readable(shownTitle)).toBe(title);
    expect(shownTitle).not.toMatch(/(^|[^\\])\[x\]\(/);
    expect(shownTitle).not.toMatch(/(^|[^\\])<at>/);
    expect(shownTitle).not.toMatch(/(^|[^\\])\*\*/);

    const incidentId = card.refresh.action.data.incidentId;
    const verb = '[x](https://e.example) <at>B</at> **';
    const press = invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data: { incidentId } }, trigger: 'manual' }, opts(thread));
    const answer = await send(press);
    const notice = answer.value.body[0].text as string;
    expect(readable(notice)).toContain(`This button ("${verb}")`);
    expect(notice).not.toMatch(/(^|[^\\])\[x\]\(/);
    expect(notice).not.toMatch(/(^|[^\\])<at>/);
  });

  test('a command id Firebreak does not know is not repeated back at all', async () => {
    for (const commandId of ['[x](https://evil.example/c)', '<at>Bob</at>', '**']) {
      const body = await send(invoke('composeExtension/fetchTask', { commandId, commandContext: 'compose' }, opts()));
      expect(body.task.value).toBe('Firebreak has no such command.');
    }
    expect((await send(invoke('composeExtension/fetchTask', { commandId: 'fooBar', commandContext: 'compose' }, opts()))).task.value).toBe('Firebreak has no command "fooBar".');
  });
});
