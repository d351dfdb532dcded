import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graph/server';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * Finding incidents again, end to end through the real server (production mode, local Bot Framework channel):
 * the declare dialog's answer (issue 14 item 9), `incidents` and "Show card here" (item 4), and the same
 * declaration twice (item 3).
 */
const APP_ID = '3f0c6a55-7777-4333-8444-955555555555';
const PASSWORD = 'find-e2e-secret';
const ANNOUNCEMENTS = '19:find-announcements@thread.tacv2';
const TEAM = '19:team@thread.tacv2';
/** The incident team's Entra group id, where Graph makes incident channels. */
const GRAPH_TEAM = '22222222-3333-4444-5555-666666666666';

let channel: BotChannel;
let graph: GraphEmulator;
let firebreak: RunningFirebreak;
const databaseDir = `${tmpdir()}/firebreak-find-${randomUUID()}`;
const caFile = path.join(tmpdir(), `firebreak-find-ca-${randomUUID()}.pem`);

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT });
  channel.setMembers(TEAM, [ALICE, BOB]);
  graph = await startGraphEmulator({
    tenantId: TENANT,
    apps: [{ clientId: APP_ID, clientSecret: PASSWORD, roles: ['Channel.Create', 'Channel.ReadBasic.All', 'ChannelMember.ReadWrite.All'] }],
    users: [ALICE, BOB].map((p) => ({ id: p.aadObjectId, userPrincipalName: `${p.name.split(' ')[0].toLowerCase()}@contoso.test`, displayName: p.name })),
    teams: [{ id: GRAPH_TEAM, displayName: 'Incidents' }],
  });
  writeFileSync(caFile, graph.ca);
  firebreak = await startFirebreak({
    SIMILAR_DECLARATION_MINUTES: '30',
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTHORITY_HOST: graph.url,
    GRAPH_INCIDENT_TEAM_ID: GRAPH_TEAM,
    NODE_EXTRA_CA_CERTS: caFile,
    EFFECT_RETRY_BASE_MS: '50',
    EFFECT_RETRY_CAP_MS: '500',
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
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
    await graph?.close();
    rmSync(caFile, { force: true });
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
    // Their channels made (Graph), so the list has links to show, or to keep back.
    const channelOf = (number: number) => eventually(() => graph.channels(GRAPH_TEAM).find((c) => c.displayName.startsWith(`inc-${number}-`)), `the channel of INC-${number}`, 15_000);
    const [openChannel, secretChannel] = [await channelOf(open.number), await channelOf(secret.number)];
    await eventually(() => channel.recorded.find((r) => r.op === 'update' && JSON.stringify(r.activity).includes(`#${openChannel.displayName}`)), "the open incident's channel on its card", 15_000);
    const chatId = `a:personal-${randomUUID()}`;
    await send(personalMessage('incidents', chatId));
    const list = (await listIn(chatId)).activity.attachments[0].content;
    expect(adaptiveCardErrors(list)).toEqual([]);
    const text = cardTexts(list);
    expect(text).toContain(`INC-${open.number}: Checkout latency above 2s`);
    expect(text).toMatch(/Severity 2 · phase 1 \(Stop the bleeding\) · IC Alice Adams/i);
    expect(text).toMatch(/Declared (less than a minute|\d+ min) ago · next update by (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC/);
    expect(text).toContain(`INC-${secret.number}: Private incident`);
    expect(text).not.toContain('Payroll export leaking');
    const buttons = list.body.flatMap((c: any) => c.items ?? []).filter((e: any) => e.type === 'ActionSet').flatMap((s: any) => s.actions);
    expect(buttons).toContainEqual({ type: 'Action.Execute', title: 'Show card here', verb: 'showCardHere', data: { incidentId: open.incidentId } });
    expect(buttons).toContainEqual({ type: 'Action.OpenUrl', title: `#${openChannel.displayName}`, url: openChannel.webUrl });
    expect(text).not.toContain(secretChannel.webUrl.split('?')[0]);
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

/** The "Looks like" card Firebreak answered in a conversation, if any. */
const looksLikeIn = (conversationId: string) => cards(repliesIn(conversationId)).find((r) => cardTexts(r.activity.attachments[0].content).includes('Looks like INC-'));
const pressIn = (thread: string, verb: string, data: object, from = BOB) =>
  send(invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, opts({ thread, from })));

describe('item 3: the same declaration twice', () => {
  test('chat: a second `declare` of the same thing asks "Looks like INC-n — Join it / Declare anyway"; each answer does what it says', async () => {
    const token = randomUUID().slice(0, 8);
    const first = channelMessage(`declare sev2 Billing emails bouncing ${token}`, opts());
    await send(first);
    const firstCard = await eventually(() => cards(repliesIn(first.conversation.id)).find((r) => r.activity.summary?.startsWith('INC-')), 'the first card');
    const number = Number(/^INC-(\d+)/.exec(firstCard.activity.summary)![1]);
    const incidentId = firstCard.activity.attachments[0].content.refresh.action.data.incidentId;

    // Bob saw the same alarm a moment later, in another thread of the same team.
    const bobThread = `bob-${randomUUID()}`;
    const second = channelMessage(`declare the billing email is bouncing ${token}`, opts({ from: BOB, thread: bobThread }));
    await send(second);
    const asked = await eventually(() => looksLikeIn(second.conversation.id), 'the "Looks like" question');
    const question = asked.activity.attachments[0].content;
    expect(adaptiveCardErrors(question)).toEqual([]);
    expect(readable(question.body[0].text)).toMatch(new RegExp(`^Looks like INC-${number}: "Billing emails bouncing ${token}", declared .* ago; Alice Adams leads it\\.$`));
    expect(question.actions.map((a: any) => a.title)).toEqual([`Join INC-${number}`, 'Declare anyway']);
    // Asked, not declared: no card of a new incident in Bob's thread.
    expect(cards(repliesIn(second.conversation.id)).filter((r) => r.activity.summary?.startsWith('INC-'))).toEqual([]);
    // A re-delivery of the same message asks nothing more.
    await send(second);
    expect(repliesIn(second.conversation.id)).toHaveLength(1);

    const joined = await pressIn(bobThread, question.actions[0].verb, question.actions[0].data);
    expect(readable(joined.value.body[0].text)).toMatch(new RegExp(`^You joined INC-${number}\\.`));
    expect(adaptiveCardErrors(joined.value)).toEqual([]);
    await eventually(() => repliesIn(first.conversation.id).find((r) => /Bob Brown was about to declare the same thing and joined/.test(readable(r.activity.text) ?? '')), 'the incident conversation told Bob joined');
    expect(incidentId).toBeTruthy();

    const anyway = await pressIn(bobThread, question.actions[1].verb, question.actions[1].data);
    const declared = Number(/^Declared INC-(\d+): the billing email is bouncing/.exec(readable(anyway.value.body[0].text)!)?.[1]);
    expect(declared).toBeGreaterThan(number);
    await eventually(() => cards(repliesIn(second.conversation.id)).find((r) => r.activity.summary?.startsWith(`INC-${declared}: `)), 'the card of the incident declared anyway');
    // Everyone in the thread sees the button: a second press (anyone's, a new activity) declares nothing more.
    const again = await pressIn(bobThread, question.actions[1].verb, question.actions[1].data);
    expect(readable(again.value.body[0].text)).toBe('Already declared: its card is in this conversation.');
    expect(cards(repliesIn(second.conversation.id)).filter((r) => r.op !== 'update' && /^INC-\d+: the billing email/.test(r.activity.summary ?? ''))).toHaveLength(1);
  });

  test('form: the same source message asks first with the form kept; "Join" closes it, "Declare anyway" declares', async () => {
    const link = `https://teams.microsoft.com/l/message/19:ops/${randomUUID()}`;
    const fetchForm = async (from: typeof ALICE) => {
      const fetched = await send(invoke('composeExtension/fetchTask', { commandId: 'declareIncident', commandContext: 'message', messagePayload: { id: 'm-1', body: { contentType: 'html', content: 'queue stuck' }, linkToMessage: link } }, opts({ from })));
      return fetched.task.value.card.content.actions[0].data.formId as string;
    };
    const submitFrom = (formId: string, values: Record<string, string>, from = ALICE) =>
      submitForm({ formId, sourceUrl: link, ...values }, from);
    const first = await submitFrom(await fetchForm(ALICE), { title: uniqueTitle('Orders queue stuck') });
    const number = Number(/^Declared INC-(\d+) — /.exec(first.answer.task.value)![1]);

    // Bob declares from the same message, in words of his own.
    const bobForm = await fetchForm(BOB);
    const values = { title: 'Fulfilment halted', description: 'nothing ships', commander: BOB.id };
    const asked = (await submitFrom(bobForm, values, BOB)).answer;
    expect(asked.task.type).toBe('continue');
    const form = asked.task.value.card.content;
    expect(adaptiveCardErrors(form)).toEqual([]);
    expect(readable(form.body[0].text)).toMatch(new RegExp(`^Looks like INC-${number}: .*Orders queue stuck`));
    expect(form.body.find((e: any) => e.id === 'title').value).toBe('Fulfilment halted');
    expect(form.actions.map((a: any) => a.title)).toEqual([`Join INC-${number}`, 'Declare anyway']);

    const joined = (await submitFrom(bobForm, { ...values, ...form.actions[0].data }, BOB)).answer;
    expect(joined).toEqual({ task: { type: 'message', value: expect.stringMatching(new RegExp(`^You joined INC-${number}\\.`)) } });

    const otherForm = await fetchForm(BOB);
    const anyway = (await submitFrom(otherForm, { ...values, ...form.actions[1].data, formId: otherForm }, BOB)).answer;
    expect(anyway.task.value).toMatch(/^Declared INC-\d+ — card posted in /);
  });

  test('"Join" on a private incident adds the person to its private channel through Graph', async () => {
    const token = randomUUID().slice(0, 8);
    const secret = await declareByForm(`Ledger mismatch ${token}`, { private: 'true' });
    const privateChannel = await eventually(() => graph.channels(GRAPH_TEAM).find((c) => c.displayName.startsWith(`inc-${secret.number}-`)), 'the private incident channel', 15_000);
    expect(privateChannel.membershipType).toBe('private');
    expect(privateChannel.members.map((m) => m.userId)).not.toContain(BOB.aadObjectId);
    // The card shows the channel once Graph made it (so Join knows there is a channel to add to).
    await eventually(async () => {
      const card = channel.current(secret.thread, cards(repliesIn(secret.thread))[0].activityId);
      return cardTexts(card).includes(`#${privateChannel.displayName}`) ? true : undefined;
    }, 'the channel on the card', 15_000);

    // A Join nobody offered (a forged button) adds nobody.
    const forged = await pressIn(`eve-${randomUUID()}`, 'joinIncident', { incidentId: secret.incidentId });
    expect(readable(forged.value.body[0].text)).toMatch(/^Joining is offered to people declaring the same thing\. Ask Alice Adams/);

    const bobThread = `bob-${randomUUID()}`;
    // From another channel of the same team: there the private incident's card would show no title either.
    const second = channelMessage(`declare ledger mismatch ${token}`, opts({ from: BOB, thread: bobThread, channel: '19:finance@thread.tacv2' }));
    await send(second);
    const question = (await eventually(() => looksLikeIn(second.conversation.id), 'the "Looks like" question')).activity.attachments[0].content;
    // Outside its own conversation a private incident is not named by its title.
    expect(readable(question.body[0].text)).toMatch(new RegExp(`^Looks like INC-${secret.number}: a private incident, declared`));
    const press = invoke('adaptiveCard/action', { action: { type: 'Action.Execute', ...question.actions[0] }, trigger: 'manual' }, opts({ thread: bobThread, from: BOB }));
    const joined = await send({ ...press, conversation: second.conversation, channelData: second.channelData });
    expect(readable(joined.value.body[0].text)).toMatch(/You are being added to its channel\./);
    await eventually(() => graph.channels(GRAPH_TEAM).find((c) => c.id === privateChannel.id)!.members.find((m) => m.userId === BOB.aadObjectId && m.roles.length === 0), 'Bob a member of the private channel', 15_000);
  });
});
