import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import { ALICE, BOB, channelMessage, invoke, messageEvent, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * The Teams face end to end: the message extension, the live card's buttons, commands, message edits and deletes,
 * and a second delivery of each, through the real server process and a recording Bot Connector.
 */
const APP_ID = '3f0c6a55-2222-4333-8444-955555555555';
const TENANT_ID = TENANT; // the tenant the harness's activities come from: Firebreak serves no other
const ANNOUNCEMENTS = '19:announcements@thread.tacv2';
const TEAM = '19:team@thread.tacv2';
const CAROL = { id: '29:carol', name: 'Carol Outsider', aadObjectId: '00000000-0000-0000-0000-0000000ca201' };

let channel: BotChannel;
let firebreak: RunningFirebreak;
const databaseDir = `${tmpdir()}/firebreak-teams-${randomUUID()}`;

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'teams-e2e-secret', tenantId: TENANT_ID });
  channel.setMembers(TEAM, [ALICE, BOB]);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'teams-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${databaseDir}`,
    ANNOUNCEMENTS_CHANNEL_ID: ANNOUNCEMENTS,
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
const cards = (records: Recorded[]) => records.filter((r) => r.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive');
const textsIn = (prefix: string) => channel.recorded.filter((r) => r.conversationId.startsWith(prefix) && typeof r.activity.text === 'string' && !r.activity.attachments).map((r) => readable(r.activity.text) as string);
const expectValidCard = (card: unknown) => expect(adaptiveCardErrors(card)).toEqual([]);

/** State shared by the tests below, which follow one incident from declaration to resolution. */
const flow = { thread: '', originCard: undefined as Recorded | undefined, announcementCard: undefined as Recorded | undefined, incidentId: '' };

test('the message extension opens a declare form prefilled from the message', async () => {
  const body = await send(
    invoke('composeExtension/fetchTask', {
      commandId: 'declareIncident',
      commandContext: 'message',
      messagePayload: {
        id: 'msg-100',
        body: { contentType: 'html', content: '<p>Checkout is throwing <b>500s</b> since 14:02</p>' },
        from: { user: { id: BOB.id, displayName: BOB.name } },
        linkToMessage: 'https://teams.microsoft.com/l/message/19:ops/msg-100',
      },
    }, { serviceUrl: channel.serviceUrl }),
  );
  const form = body.task.value.card.content;
  expectValidCard(form);
  const inputs = Object.fromEntries(form.body.filter((e: any) => e.id).map((e: any) => [e.id, e]));
  expect(inputs.description.value).toBe('Checkout is throwing 500s since 14:02');
  expect(inputs.title.isRequired).toBe(true);
  expect(inputs.commander.value).toBe(ALICE.id);
  expect(inputs.commander.choices.map((c: any) => c.value)).toEqual([ALICE.id, BOB.id]);
  expect(inputs.severity.choices[0].title).toMatch(/^1: Critical/);
  const submit = form.actions[0];
  expect(submit.data.sourceUrl).toBe('https://teams.microsoft.com/l/message/19:ops/msg-100');
  (flow as any).formId = submit.data.formId;
});

test('submitting declares once, closes at once, and posts the card here and in the announcements channel', async () => {
  const formId = (flow as any).formId as string;
  const data = { formId, title: 'Checkout API returning 500s', description: 'since 14:02', severity: '2', customerImpact: 'true', commander: BOB.id, private: 'false', sourceUrl: 'https://teams.microsoft.com/l/message/19:ops/msg-100' };
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'message', data }, { serviceUrl: channel.serviceUrl, thread: 'decl-thread' });
  const before = channel.recorded.length;
  expect(await send(submit)).toEqual({ task: { type: 'message', value: expect.stringMatching(/^Declared INC-1: Checkout API returning 500s\. Its card is being posted here/) } });
  // A double click sends the same form again as a new invoke: still one incident.
  expect(await send({ ...submit, id: randomUUID() })).toEqual({ task: { type: 'message', value: 'This form was already submitted; the incident is declared.' } });

  const here = await eventually(() => cards(channel.recorded.slice(before)).find((r) => r.conversationId === submit.conversation.id), 'the card in the declaring thread');
  const announced = await eventually(() => cards(channel.recorded.slice(before)).find((r) => r.op === 'create'), 'the card in the announcements channel');
  expect(announced.conversationId).toBe(`${ANNOUNCEMENTS};messageid=${announced.activityId}`);
  for (const card of [here, announced]) expectValidCard(card.activity.attachments[0].content);
  // The announcements copy is for reading; the responders' copy has the buttons.
  expect(announced.activity.attachments[0].content.actions).toBeUndefined();
  expect(here.activity.attachments[0].content.actions.length).toBeGreaterThan(0);
  const content = JSON.stringify(here.activity.attachments[0].content);
  expect(content).toContain('Checkout API returning 500s');
  expect(content).toContain('Bob Brown');
  expect(content).toContain('No customer liaison yet');
  expect(content).toContain('No business liaison yet');
  expect(content).toContain('Declared from [this message](https://teams.microsoft.com/l/message/19:ops/msg-100)');
  expect(here.activity.attachments[0].content.refresh).toEqual({
    action: { type: 'Action.Execute', verb: 'refresh', data: { incidentId: expect.any(String) } },
    userIds: [BOB.id, ALICE.id],
  });
  await new Promise((r) => setTimeout(r, 300));
  expect(cards(channel.recorded.slice(before)).filter((r) => r.op !== 'update')).toHaveLength(2);
  Object.assign(flow, { thread: submit.conversation.id, originCard: here, announcementCard: announced, incidentId: here.activity.attachments[0].content.refresh.action.data.incidentId });
});

test('a refused declaration keeps the form and says why', async () => {
  const data = { formId: randomUUID(), title: '   ', severity: '2', commander: ALICE.id };
  const body = await send(invoke('composeExtension/submitAction', { commandId: 'declareIncident', data }, { serviceUrl: channel.serviceUrl }));
  const form = body.task.value.card.content;
  expect(form.body[0].text).toMatch(/^An incident needs a title/);
  expectValidCard(form);
});

/** Presses a button on the card, as Teams sends it, and delivers that invoke a second time (a retry). */
async function press(verb: string, inputs: Record<string, string> = {}, from = ALICE) {
  const activity = invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data: { incidentId: flow.incidentId, ...inputs } }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl, thread: flow.thread.split('=')[1], from });
  const body = await send(activity);
  const again = await send(activity);
  expect(again.statusCode).toBe(200);
  expect(body.statusCode).toBe(200);
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  expectValidCard(body.value);
  return body.value;
}

const updatesOf = (card: Recorded) => channel.recorded.filter((r) => r.op === 'update' && r.activityId === card.activityId);

test('the severity button changes it; every copy is updated in place and a follow-up goes everywhere', async () => {
  const card = await press('setSeverity', { severity: '1' });
  expect(card.body[0].text).toBe('Done. Everyone sees the change.');
  expect(JSON.stringify(card)).toContain('1: Critical');
  for (const copy of [flow.originCard!, flow.announcementCard!]) {
    const update = await eventually(() => updatesOf(copy).find((u) => /Severity 1/.test(u.activity.summary)), `update of ${copy.conversationId}`);
    expectValidCard(update.activity.attachments[0].content);
  }
  await eventually(() => textsIn(flow.thread).find((t) => t.includes('Severity raised from 2 to 1 by Alice Adams.')), 'follow-up in the incident thread');
  await eventually(() => textsIn(ANNOUNCEMENTS).find((t) => t.includes('Severity raised from 2 to 1')), 'follow-up in the announcements thread');
});

test('a button pressed on the announcements copy changes nothing and says where to steer from', async () => {
  const activity = invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'resolve', data: { incidentId: flow.incidentId } }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl });
  activity.conversation = { ...activity.conversation, id: flow.announcementCard!.conversationId };
  const body = await send(activity);
  expect(body.value.body[0].text).toBe('This copy is for reading; change the incident from its own conversation.');
  expect(body.value.actions).toBeUndefined();
  expect(JSON.stringify(body.value)).not.toContain('Resolved'); // and the store check at the end finds no resolution
});

test('each button does its job, and refusals come back on the card in plain words', async () => {
  expect(JSON.stringify(await press('setPhase', { phase: '2' }))).toContain('2: Full resolution');
  // Alice is not the commander (Bob is): she can't hand off, but she can take command.
  const handoffForm = await press('handoffForm');
  expect(handoffForm.body.find((e: any) => e.id === 'person').choices.map((c: any) => c.value)).toEqual([ALICE.id]);
  expect((await press('handoff', { person: ALICE.id })).body[0].text).toBe('Only the incident commander (Bob Brown) can hand off command. You can take command yourself.');
  expect(JSON.stringify(await press('takeCommand'))).toContain('"title":"Commander","value":"Alice Adams"');
  const roleForm = await press('roleForm');
  expect(roleForm.body.find((e: any) => e.id === 'role').choices).toHaveLength(4);
  expect(JSON.stringify(await press('assignRole', { role: 'customer', person: BOB.id }))).toContain('"title":"Customer liaison","value":"Bob Brown"');
  expect((await press('assignRole', { role: 'business', person: CAROL.id })).body[0].text).toBe('That person is not in this team; choose someone from the list.');
  expect((await press('note', { note: 'Rolled back deploy 4411', destructive: 'false' })).body[0].text).toBe('Added to the timeline.');
  // A button leaves no trace in the chat, so the incident's conversation is told (once, though pressed twice).
  const toldNote = () => textsIn(flow.thread.split(';')[0]).filter((t) => t.includes('added to the timeline'));
  await eventually(() => (toldNote().length ? toldNote() : undefined), 'the note told in the conversation');
  await new Promise((r) => setTimeout(r, 200));
  expect(toldNote()).toEqual([expect.stringMatching(/^INC-\d+: Alice Adams added to the timeline\s+Rolled back deploy 4411$/)]);
  expect((await press('note', { note: '   ' })).body[0].text).toBe('A note needs some text.');
  expect((await press('update', { update: 'Checkout is recovering; card payments may fail for some customers.' })).body[0].text).toBe('Done. Everyone sees the change.');
  await eventually(() => textsIn(ANNOUNCEMENTS).find((t) => t.startsWith('Update: INC-') && t.includes('Next update by')), 'the stakeholder update in the announcements channel');
  expect((await press('launchMissiles')).body[0].text).toMatch(/is not one Firebreak knows/);
  const refreshed = await press('refresh');
  expect(refreshed.body[0].type).toBe('Container'); // no notice on a plain refresh
});

test('commands in the incident conversation', async () => {
  // Each message is delivered twice: the store check at the end shows each changed the incident once.
  const say = async (text: string, opts: { mentions?: (typeof ALICE)[]; from?: typeof ALICE } = {}) => {
    const before = channel.recorded.length;
    const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread: flow.thread.split('=')[1], ...opts });
    await send(activity);
    await send(activity);
    return before;
  };
  const rawReply = async (before: number, what: string) =>
    (await eventually(() => channel.recorded.slice(before).find((r) => r.op !== 'update' && !r.activity.attachments && r.conversationId === flow.thread), what)).activity.text as string;
  const reply = async (before: number, what: string) => readable(await rawReply(before, what)) as string;

  expect(await reply(await say('ic', { mentions: [CAROL] }), 'refusal')).toBe('Carol Outsider is not in this team, so can\'t be incident commander here.');
  const before = await say('ic', { mentions: [BOB] });
  expect(await reply(before, 'hand-off follow-up')).toContain('Alice Adams handed command to Bob Brown.');
  await say('role sme', { mentions: [ALICE] });
  expect(await reply(await say('action failing over the primary DB to eu-west'), 'ack')).toBe('Announced and added to the timeline of INC-1.');
  expect(await reply(await say('sev 7'), 'refusal')).toBe('Severity must be 1-4 (1 is the most severe).');
  expect(await reply(await say('phase'), 'usage')).toMatch(/^Usage: phase <0-3>/);
  expect(await reply(await say('sev 1'), 'no-op')).toBe('Nothing to change: it is already so.');
  const status = await reply(await say('status'), 'status');
  expect(status).toContain('INC-1: Checkout API returning 500s. Severity 1, phase 2. Bob Brown is incident commander.');
  expect(status).toMatch(/Next update by \d\d:\d\d UTC\./);
  expect(await reply(await say('update'), 'usage')).toMatch(/^Usage: update <text>/);
  expect(await reply(await say('note cache hit rate back to 96%'), 'ack')).toBe('Added to the timeline of INC-1.');
  await say('update Payments are recovering; card payments may still fail for some customers.');
  await eventually(() => textsIn(flow.thread).find((t) => t.startsWith('Update: INC-1') && t.includes('Payments are recovering')), 'the stakeholder update');
  expect(await reply(await say('help'), 'help')).toMatch(/^Firebreak commands/);
  expect(await reply(await say('impact no'), 'impact follow-up')).toContain('Customers are no longer affected, says Alice Adams.');
});

test('"Add to timeline" records a message; editing updates it; deleting marks it; each once', async () => {
  const addAction = invoke('composeExtension/fetchTask', {
    commandId: 'addToTimeline',
    commandContext: 'message',
    messagePayload: { id: 'msg-200', body: { contentType: 'html', content: 'db-2 replica lag is 40 s' }, from: { user: { id: BOB.id, displayName: BOB.name } }, createdDateTime: '2026-03-15T14:10:00Z', linkToMessage: 'https://teams.microsoft.com/l/message/x/msg-200' },
  }, { serviceUrl: channel.serviceUrl, thread: flow.thread.split('=')[1] });
  expect(await send(addAction)).toEqual({ task: { type: 'message', value: 'Added to the timeline of INC-1.' } });
  // A re-delivery, and the action used again on the same message, record nothing more and say so truthfully.
  expect(await send(addAction)).toEqual({ task: { type: 'message', value: 'That message is already on the timeline of INC-1.' } });
  expect(await send({ ...addAction, id: randomUUID() })).toEqual({ task: { type: 'message', value: 'That message is already on the timeline of INC-1.' } });
  const edit = messageEvent('edit', 'msg-200', 'db-2 replica lag is 4 s', { serviceUrl: channel.serviceUrl, thread: flow.thread.split('=')[1] });
  await send(edit);
  await send(edit);
  const del = messageEvent('delete', 'msg-200', '', { serviceUrl: channel.serviceUrl, thread: flow.thread.split('=')[1] });
  await send(del);
  await send(del);
  const another = invoke('composeExtension/fetchTask', {
    commandId: 'addToTimeline',
    commandContext: 'message',
    messagePayload: { id: 'msg-300', body: { contentType: 'html', content: 'error rate 0.1%' }, from: { user: { id: BOB.id, displayName: BOB.name } }, createdDateTime: '2026-03-15T14:20:00Z', linkToMessage: 'https://teams.microsoft.com/l/message/x/msg-300' },
  }, { serviceUrl: channel.serviceUrl, thread: flow.thread.split('=')[1] });
  expect(await send(another)).toEqual({ task: { type: 'message', value: 'Added to the timeline of INC-1.' } });
});

test('resolving', async () => {
  const card = await press('resolve', { summary: 'Rolled back; payments recovered.' });
  expect(card.actions).toBeUndefined();
  expect(JSON.stringify(card)).toContain('Resolved');
  await eventually(() => textsIn(flow.thread).find((t) => t.includes('Resolved by Alice Adams. Rolled back; payments recovered.')), 'resolution follow-up');
  expect((await press('setSeverity', { severity: '2' })).body[0].text).toBe("Incident #1 is resolved; it can't be changed any more.");
  // A message on the timeline corrected after the incident closed is still corrected there.
  const late = messageEvent('edit', 'msg-300', 'error rate 0.01%', { serviceUrl: channel.serviceUrl, thread: flow.thread.split('=')[1] });
  late.timestamp = new Date(Date.now() + 1000).toISOString();
  await send(late);
});

test('a second delivery got no second answer in the conversation', () => {
  const once = ['Severity must be 1-4 (1 is the most severe).', 'Announced and added', 'Added to the timeline of INC-1.', 'Firebreak commands', 'Update: INC-1: Checkout API'];
  const answers = textsIn(flow.thread).filter((t) => once.some((o) => t.startsWith(o)));
  expect(answers.map((t) => once.find((o) => t.startsWith(o)))).toEqual(expect.arrayContaining(once));
  expect(answers).toHaveLength(once.length + 1); // and the earlier stakeholder update from the card's button
});

test('a private incident: its own thread has everything, the announcements channel only that it exists and who leads', async () => {
  const data = { formId: randomUUID(), title: 'Customer data exposed in export', description: 'bucket made public at 09:12', severity: '1', customerImpact: 'true', commander: ALICE.id, private: 'true' };
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'compose', data }, { serviceUrl: channel.serviceUrl, thread: 'priv-thread' });
  const before = channel.recorded.length;
  expect(await send(submit)).toEqual({ task: { type: 'message', value: expect.stringMatching(/^Declared INC-2: Customer data exposed in export\./) } });
  const here = await eventually(() => cards(channel.recorded.slice(before)).find((r) => r.conversationId === submit.conversation.id), 'the card in the declaring thread');
  const announced = await eventually(() => cards(channel.recorded.slice(before)).find((r) => r.op === 'create'), 'the card in the announcements channel');
  expect(JSON.stringify(here.activity.attachments[0].content)).toContain('bucket made public');
  const shown = JSON.stringify(announced.activity.attachments[0].content) + announced.activity.summary;
  expect(announced.activity.summary).toBe('INC-2: private incident. Severity 1, phase 1. Alice Adams is incident commander.');
  for (const secret of ['Customer data', 'bucket', 'Customer impact']) expect(shown).not.toContain(secret);

  // `status` in the thread of the announcement says no more than the card there does.
  const ask = channelMessage('status', { serviceUrl: channel.serviceUrl });
  ask.conversation = { ...ask.conversation, id: announced.conversationId };
  const at = channel.recorded.length;
  await send(ask);
  const answer = await eventually(() => channel.recorded.slice(at).find((r) => r.conversationId === announced.conversationId && typeof r.activity.text === 'string'), 'the status answer');
  expect(readable(answer.activity.text)).toMatch(/^INC-2: private incident\. Severity 1, phase 1\. Alice Adams is incident commander\.\nNext update by/);
  expect(answer.activity.text).not.toContain('Customer data');
});

test('the store holds every change once, attributed', async () => {
  await new Promise((r) => setTimeout(r, 500));
  await firebreak.stop();
  const store = await openStore(`pglite:${databaseDir}`);
  try {
    expect(await store.list()).toHaveLength(2);
    const events = (await store.events(flow.incidentId)).map((e) => e.event);
    const changes = events.filter((e) => !['CardPosted'].includes(e.type)).map((e) => `${e.type}:${e.by.name}`);
    expect(changes).toEqual([
      'IncidentDeclared:Alice Adams',
      'SeverityChanged:Alice Adams',
      'PhaseChanged:Alice Adams',
      'CommanderChanged:Alice Adams',
      'RoleAssigned:Alice Adams',
      'NoteAdded:Alice Adams',
      'StakeholderUpdatePosted:Alice Adams',
      'CommanderChanged:Alice Adams',
      'RoleAssigned:Alice Adams',
      'NoteAdded:Alice Adams',
      'NoteAdded:Alice Adams',
      'StakeholderUpdatePosted:Alice Adams',
      'CustomerImpactChanged:Alice Adams',
      'MessageRecorded:Alice Adams',
      'RecordedMessageEdited:Alice Adams',
      'RecordedMessageDeleted:Alice Adams',
      'MessageRecorded:Alice Adams',
      'PhaseChanged:Alice Adams',
      'IncidentResolved:Alice Adams',
      'RecordedMessageEdited:Alice Adams',
    ]);
    const recorded = events.find((e) => e.type === 'MessageRecorded');
    expect(recorded).toMatchObject({ messageId: 'msg-200', text: 'db-2 replica lag is 40 s', author: { id: BOB.id, name: BOB.name }, sentAt: '2026-03-15T14:10:00.000Z' });
    expect(events.find((e) => e.type === 'RecordedMessageEdited')).toMatchObject({ text: 'db-2 replica lag is 4 s' });
    // Everything due has run; only reminders set for later are still waiting.
    expect((await store.effects({ pending: true })).filter((e) => e.kind !== 'reminder.update')).toEqual([]);
  } finally {
    await store.close();
  }
});
