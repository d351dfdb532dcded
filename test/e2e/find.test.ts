import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * Finding incidents again, end to end through the real server (production mode, local Bot Framework channel):
 * the declare dialog's answer (issue 14 item 9), `incidents` and "Show card here" (item 4), and the same
 * declaration twice (item 3).
 */
const APP_ID = '3f0c6a55-7777-4333-8444-955555555555';
const ANNOUNCEMENTS = '19:find-announcements@thread.tacv2';
const TEAM = '19:team@thread.tacv2';

let channel: BotChannel;
let firebreak: RunningFirebreak;
const databaseDir = `${tmpdir()}/firebreak-find-${randomUUID()}`;

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'find-e2e-secret', tenantId: TENANT });
  channel.setMembers(TEAM, [ALICE, BOB]);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'find-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${databaseDir}`,
    ANNOUNCEMENTS_CHANNEL_ID: ANNOUNCEMENTS,
  });
}, 60_000);

afterAll(async () => {
  try {
    await firebreak?.stop();
  } finally {
    await channel?.close();
  }
});

const opts = (extra: { thread?: string; from?: typeof ALICE; channel?: string } = {}) => ({ serviceUrl: channel.serviceUrl, ...extra });
const send = async (activity: object) => {
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as any;
};
const cards = (records: Recorded[]) => records.filter((r) => r.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive');
const repliesIn = (conversationId: string) => channel.recorded.filter((r) => r.conversationId === conversationId && r.op !== 'update');
/** A unique title, so tests running in any order never look alike to the similarity check. */
const uniqueTitle = (what: string) => `${what} ${randomUUID().slice(0, 8)}`;

/** Submits the message extension's declare form in a new thread of the ops channel. */
async function submitForm(values: Record<string, string>, from = ALICE) {
  const data = { formId: randomUUID(), description: '', severity: '2', customerImpact: 'false', commander: from.id, private: 'false', ...values };
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'compose', data }, opts({ thread: `t-${randomUUID()}`, from }));
  return { submit, answer: await send(submit) };
}

async function declareByForm(title: string, values: Record<string, string> = {}) {
  const { submit, answer } = await submitForm({ title, ...values });
  const number = Number(/^Declared INC-(\d+) — /.exec(answer?.task?.value ?? '')?.[1]);
  if (!number) throw new Error(`not declared: ${JSON.stringify(answer)}`);
  const card = await eventually(() => cards(channel.recorded).find((r) => r.conversationId === submit.conversation.id), `the card of INC-${number}`);
  return { number, thread: submit.conversation.id, incidentId: card.activity.attachments[0].content.refresh.action.data.incidentId as string };
}

describe('item 9: the declare dialog answers and closes', () => {
  test('a submitted form closes with "Declared INC-n — card posted in …"', async () => {
    const { answer } = await submitForm({ title: uniqueTitle('Search results empty') });
    // A task "message" response: Teams closes the form and shows this text in its place.
    expect(answer).toEqual({ task: { type: 'message', value: expect.stringMatching(/^Declared INC-\d+ — card posted in this channel and in the announcements channel\./) } });
  });

  test('a refused form is shown again with the reason and the values kept', async () => {
    const title = 'x'.repeat(400);
    const { answer } = await submitForm({ title, description: 'kept' });
    expect(answer.task.type).toBe('continue');
    const form = answer.task.value.card.content;
    expect(adaptiveCardErrors(form)).toEqual([]);
    expect(JSON.stringify(form)).toMatch(/The title is 400 characters/);
    expect(form.body.find((e: any) => e.id === 'description').value).toBe('kept');
  });
});

/** A 1:1 chat with the bot: no team, no channel, everything typed is for the bot. */
function inPersonalChat<T extends { conversation: object; channelData: object }>(activity: T, chatId: string): T {
  return { ...activity, conversation: { id: chatId, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } } };
}
const personalMessage = (text: string, chatId: string) => {
  const { entities: _entities, ...rest } = channelMessage(text, opts());
  return inPersonalChat({ ...rest, text }, chatId);
};
const listIn = (chatId: string) => eventually(() => cards(repliesIn(chatId)).find((r) => /Active incidents|No incident is active/.test(JSON.stringify(r.activity.attachments[0].content))), 'the incident list');
const cardTexts = (card: any): string => JSON.stringify(card);

describe('item 4: incidents, from any conversation', () => {
  test('`incidents` lists the active incidents with their state; a private one only as its card shows it outside', async () => {
    const open = await declareByForm(uniqueTitle('Checkout latency above 2s'));
    const secret = await declareByForm(uniqueTitle('Payroll export leaking'), { private: 'true' });
    const chatId = `a:personal-${randomUUID()}`;
    await send(personalMessage('incidents', chatId));
    const list = (await listIn(chatId)).activity.attachments[0].content;
    expect(adaptiveCardErrors(list)).toEqual([]);
    const text = cardTexts(list);
    expect(text).toContain(`INC-${open.number}: Checkout latency above 2s`);
    expect(text).toMatch(/Severity 2 · phase 1 \(Stop the bleeding\) · IC Alice Adams/i);
    expect(text).toMatch(/Declared (less than a minute|\d+ min) ago · next update by \d\d:\d\d UTC/);
    expect(text).toContain(`INC-${secret.number}: Private incident`);
    expect(text).not.toContain('Payroll export leaking');
    const buttons = list.body.flatMap((c: any) => c.items ?? []).filter((e: any) => e.type === 'ActionSet').flatMap((s: any) => s.actions);
    expect(buttons).toContainEqual({ type: 'Action.Execute', title: 'Show card here', verb: 'showCardHere', data: { incidentId: open.incidentId } });
  });

  test('"Show card here" posts the live card as one more copy, updated in place with the others', async () => {
    const incident = await declareByForm(uniqueTitle('Login page blank'));
    const chatId = `a:personal-${randomUUID()}`;
    const press = inPersonalChat(invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'showCardHere', data: { incidentId: incident.incidentId } }, trigger: 'manual' }, opts()), chatId);
    const answer = await send(press);
    expect(answer.statusCode).toBe(200);
    expect(cardTexts(answer.value)).toContain(`INC-${incident.number}'s card is being posted here`);
    const copy = await eventually(() => cards(repliesIn(chatId)).find((r) => r.activity.summary?.startsWith(`INC-${incident.number}: `)), 'the card in the chat');
    expect(adaptiveCardErrors(copy.activity.attachments[0].content)).toEqual([]);
    // Read-only outside the incident, like an announcements copy.
    expect(copy.activity.attachments[0].content.actions).toBeUndefined();
    // Pressed again (a double click, or someone else): no second copy.
    expect(cardTexts((await send({ ...press, id: randomUUID() })).value)).toContain('already in this conversation');

    // A change made in the incident's own thread reaches this copy in place.
    await send(channelMessage('sev 1', opts({ thread: incident.thread.split(';messageid=')[1] })));
    await eventually(() => {
      const now = channel.current(chatId, copy.activityId);
      return now && cardTexts(now.attachments[0].content).includes('1: Critical') ? now : undefined;
    }, 'the chat copy updated to severity 1');
    expect(cards(repliesIn(chatId)).filter((r) => r.activity.summary?.startsWith(`INC-${incident.number}: `))).toHaveLength(1);
  });

  test('a private incident\'s card shown elsewhere says only who leads it', async () => {
    const secret = await declareByForm(uniqueTitle('Salary data exposed'), { private: 'true' });
    const chatId = `a:personal-${randomUUID()}`;
    await send(inPersonalChat(invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'showCardHere', data: { incidentId: secret.incidentId } }, trigger: 'manual' }, opts()), chatId));
    const copy = await eventually(() => cards(repliesIn(chatId)).find((r) => r.activity.summary?.startsWith(`INC-${secret.number}: `)), 'the card in the chat');
    expect(cardTexts(copy.activity)).not.toContain('Salary data exposed');
    expect(cardTexts(copy.activity)).toContain('Private incident');
  });

  test('the message extension\'s search command (from the manifest) finds an incident by number', async () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../appPackage/manifest.json'), 'utf8'));
    const search = manifest.composeExtensions[0].commands.find((c: any) => c.type === 'query');
    expect(search).toBeDefined();
    const incident = await declareByForm(uniqueTitle('Webhooks delayed'));
    const answer = await send(invoke('composeExtension/query', { commandId: search.id, parameters: [{ name: search.parameters[0].name, value: `INC-${incident.number}` }], queryOptions: { skip: 0, count: 25 } }, opts()));
    expect(answer.composeExtension.type).toBe('result');
    expect(answer.composeExtension.attachments).toHaveLength(1);
    const [result] = answer.composeExtension.attachments;
    expect(adaptiveCardErrors(result.content)).toEqual([]);
    expect(cardTexts(result.content)).toContain(`INC-${incident.number}: Webhooks delayed`);
    expect(result.preview.content.title).toContain(`INC-${incident.number}`);
  });
});
