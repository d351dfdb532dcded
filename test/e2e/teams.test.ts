import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { nextUpdateLine, utcTime } from '../../src/domain/messages';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import type { Store } from '../../src/store/store';
import { ALICE, BOB, channelMessage, invoke, messageEvent, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';
import { storeChecks } from '../harness/store-checks';

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
const checks = storeChecks();

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
  try {
    await firebreak?.stop();
    if (firebreak) await checks.run(`pglite:${databaseDir}`);
  } finally {
    await channel?.close();
  }
});

const send = async (activity: object) => {
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as any;
};
const cards = (records: Recorded[]) => records.filter((r) => r.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive');
const textsIn = (prefix: string) => channel.recorded.filter((r) => r.conversationId.startsWith(prefix) && typeof r.activity.text === 'string' && !r.activity.attachments).map((r) => readable(r.activity.text) as string);
const expectValidCard = (card: unknown) => expect(adaptiveCardErrors(card)).toEqual([]);
/** An incident's changes in order, as `type:who` (the cards the outbox posted left out). */
const changesOf = async (store: Store, incidentId: string) =>
  (await store.events(incidentId)).map((e) => e.event).filter((e) => e.type !== 'CardPosted').map((e) => `${e.type}:${e.by.name}`);

/** An incident a test declared through the message extension, in a thread of its own, with both its cards. */
interface Declared {
  number: number;
  incidentId: string;
  /** The conversation of the declaring thread, and the thread's id within the channel. */
  thread: string;
  threadId: string;
  originCard: Recorded;
  announcementCard: Recorded;
}

/** Declares as Alice through the message extension's form (commander Bob unless said) and waits for both cards. */
async function declare(values: Record<string, string> = {}): Promise<Declared> {
  const data = { formId: randomUUID(), title: 'Checkout API returning 500s', description: 'since 14:02', severity: '2', customerImpact: 'true', commander: BOB.id, private: 'false', ...values };
  const threadId = `thread-${randomUUID()}`;
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'message', data }, { serviceUrl: channel.serviceUrl, thread: threadId });
  const answer = await send(submit);
  const number = Number(/^Declared INC-(\d+) — /.exec(answer?.task?.value ?? '')?.[1]);
  if (!number) throw new Error(`not declared: ${JSON.stringify(answer)}`);
  checks.declared(data.title);
  const originCard = await eventually(() => cards(channel.recorded).find((r) => r.conversationId === submit.conversation.id && r.op !== 'update'), `the card of INC-${number} in its thread`);
  const announcementCard = await eventually(() => cards(channel.recorded).find((r) => r.op === 'create' && r.activity.summary?.startsWith(`INC-${number}: `)), `the card of INC-${number} in the announcements channel`);
  const incidentId = originCard.activity.attachments[0].content.refresh.action.data.incidentId;
  return { number, incidentId, thread: submit.conversation.id, threadId, originCard, announcementCard };
}

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
});

test('submitting declares once, closes at once, and posts the card here and in the announcements channel', async () => {
  // The form as Teams shows it, then submitted as filled in.
  const fetched = await send(invoke('composeExtension/fetchTask', { commandId: 'declareIncident', commandContext: 'message', messagePayload: { id: 'msg-101', body: { contentType: 'html', content: 'Checkout 500s' }, linkToMessage: 'https://teams.microsoft.com/l/message/19:ops/msg-100' } }, { serviceUrl: channel.serviceUrl }));
  const formId = fetched.task.value.card.content.actions[0].data.formId as string;
  const title = 'Checkout API returning 500s after deploy 4410';
  const data = { formId, title, description: 'since 14:02', severity: '2', customerImpact: 'true', commander: BOB.id, private: 'false', sourceUrl: 'https://teams.microsoft.com/l/message/19:ops/msg-100' };
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'message', data }, { serviceUrl: channel.serviceUrl, thread: `decl-${randomUUID()}` });
  const answer = await send(submit);
  expect(answer).toEqual({ task: { type: 'message', value: expect.stringMatching(/^Declared INC-\d+ — card posted in this channel and in the announcements channel\./) } });
  const number = Number(/INC-(\d+)/.exec(answer.task.value)![1]);
  checks.declared(title);
  // A double click sends the same form again as a new invoke: still one incident.
  expect(await send({ ...submit, id: randomUUID() })).toEqual({ task: { type: 'message', value: 'This form was already submitted; the incident is declared.' } });

  const here = await eventually(() => cards(channel.recorded).find((r) => r.conversationId === submit.conversation.id), 'the card in the declaring thread');
  const announced = await eventually(() => cards(channel.recorded).find((r) => r.op === 'create' && r.activity.summary?.startsWith(`INC-${number}: `)), 'the card in the announcements channel');
  expect(announced.conversationId).toBe(`${ANNOUNCEMENTS};messageid=${announced.activityId}`);
  for (const card of [here, announced]) expectValidCard(card.activity.attachments[0].content);
  // The announcements copy is for reading; the responders' copy has the buttons.
  expect(announced.activity.attachments[0].content.actions).toBeUndefined();
  expect(here.activity.attachments[0].content.actions.length).toBeGreaterThan(0);
  const content = JSON.stringify(here.activity.attachments[0].content);
  expect(content).toContain(title);
  expect(content).toContain('Bob Brown');
  expect(content).toContain('No customer liaison yet');
  expect(content).toContain('No business liaison yet');
  expect(content).toContain('Declared from [this message](https://teams.microsoft.com/l/message/19:ops/msg-100)');
  expect(here.activity.attachments[0].content.refresh).toEqual({
    action: { type: 'Action.Execute', verb: 'refresh', data: { incidentId: expect.any(String) } },
    userIds: [BOB.id, ALICE.id],
  });
  // Once everything has stopped: one incident of that title, with exactly these two cards, and no third posted.
  const incidentId = here.activity.attachments[0].content.refresh.action.data.incidentId as string;
  checks.add(async (store) => {
    const incident = await store.load(incidentId);
    expect(incident?.number).toBe(number);
    expect(incident?.cards.map((c) => c.activityId).sort()).toEqual([here.activityId, announced.activityId].sort());
    expect(cards(channel.recorded).filter((r) => r.op !== 'update' && r.activity.summary?.startsWith(`INC-${number}: `))).toHaveLength(2);
  });
});

test('a refused declaration keeps the form and says why', async () => {
  const data = { formId: randomUUID(), title: '   ', severity: '2', commander: ALICE.id };
  const body = await send(invoke('composeExtension/submitAction', { commandId: 'declareIncident', data }, { serviceUrl: channel.serviceUrl }));
  const form = body.task.value.card.content;
  expect(form.body[0].text).toMatch(/^An incident needs a title/);
  expectValidCard(form);
});

/** Presses a button on the incident's card, as Teams sends it, and delivers that invoke a second time (a retry). */
async function press(incident: Declared, verb: string, inputs: Record<string, string> = {}, from = ALICE) {
  const activity = invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data: { incidentId: incident.incidentId, ...inputs } }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl, thread: incident.threadId, from });
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
  const incident = await declare();
  const card = await press(incident, 'setSeverity', { severity: '1' });
  expect(card.body[0].text).toBe('Done. Everyone sees the change.');
  expect(JSON.stringify(card)).toContain('1: Critical');
  for (const copy of [incident.originCard, incident.announcementCard]) {
    const update = await eventually(() => updatesOf(copy).find((u) => /Severity 1/.test(u.activity.summary)), `update of ${copy.conversationId}`);
    expectValidCard(update.activity.attachments[0].content);
  }
  const followUp = (t: string) => t.startsWith(`Re: INC-${incident.number}: `) && t.includes('Severity raised from 2 to 1 by Alice Adams.');
  await eventually(() => textsIn(incident.thread).find(followUp), 'follow-up in the incident thread');
  await eventually(() => textsIn(ANNOUNCEMENTS).find(followUp), 'follow-up in the announcements thread');
  checks.add(async (store) => expect(await changesOf(store, incident.incidentId)).toEqual(['IncidentDeclared:Alice Adams', 'SeverityChanged:Alice Adams']));
});

test('a button pressed on the announcements copy changes nothing and says where to steer from', async () => {
  const incident = await declare();
  const activity = invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'resolve', data: { incidentId: incident.incidentId } }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl });
  activity.conversation = { ...activity.conversation, id: incident.announcementCard.conversationId };
  const body = await send(activity);
  expect(body.value.body[0].text).toBe('This copy is for reading; change the incident from its own conversation.');
  expect(body.value.actions).toBeUndefined();
  expect(JSON.stringify(body.value)).not.toContain('Resolved');
  checks.add(async (store) => expect(await changesOf(store, incident.incidentId)).toEqual(['IncidentDeclared:Alice Adams']));
});

test('each button does its job, and refusals come back on the card in plain words', async () => {
  const incident = await declare({ commander: BOB.id });
  expect(JSON.stringify(await press(incident, 'setPhase', { phase: '2' }))).toContain('2: Full resolution');
  // Alice is not the commander (Bob is): she can't hand off, but she can take command.
  const handoffForm = await press(incident, 'handoffForm');
  expect(handoffForm.body.find((e: any) => e.id === 'person').choices.map((c: any) => c.value)).toEqual([ALICE.id]);
  expect((await press(incident, 'handoff', { person: ALICE.id })).body[0].text).toBe('Only the incident commander (Bob Brown) can hand off command. You can take command yourself.');
  expect(JSON.stringify(await press(incident, 'takeCommand'))).toContain('"title":"Commander","value":"Alice Adams"');
  const roleForm = await press(incident, 'roleForm');
  expect(roleForm.body.find((e: any) => e.id === 'role').choices).toHaveLength(4);
  expect(JSON.stringify(await press(incident, 'assignRole', { role: 'customer', person: BOB.id }))).toContain('"title":"Customer liaison","value":"Bob Brown"');
  expect((await press(incident, 'assignRole', { role: 'business', person: CAROL.id })).body[0].text).toBe('That person is not in this team; choose someone from the list.');
  expect((await press(incident, 'note', { note: 'Rolled back deploy 4411', destructive: 'false' })).body[0].text).toBe('Added to the timeline.');
  // A button leaves no trace in the chat, so the incident's conversation is told (once, though pressed twice:
  // the store check below finds one note, hence one message to post).
  const toldNote = () => textsIn(incident.thread.split(';')[0]).filter((t) => t.startsWith(`INC-${incident.number}: `) && t.includes('added to the timeline'));
  await eventually(() => (toldNote().length ? toldNote() : undefined), 'the note told in the conversation');
  expect(toldNote()).toEqual([expect.stringMatching(/^INC-\d+: Alice Adams added to the timeline\s+Rolled back deploy 4411$/)]);
  expect((await press(incident, 'note', { note: '   ' })).body[0].text).toBe('A note needs some text.');
  expect((await press(incident, 'update', { update: 'Checkout is recovering; card payments may fail for some customers.' })).body[0].text).toBe('Done. Everyone sees the change.');
  const update = await eventually(() => textsIn(ANNOUNCEMENTS).find((t) => t.startsWith(`Update: INC-${incident.number}: `)), 'the stakeholder update in the announcements channel');
  expect((await press(incident, 'launchMissiles')).body[0].text).toMatch(/is not one Firebreak knows/);
  const refreshed = await press(incident, 'refresh');
  expect(refreshed.body[0].type).toBe('Container'); // no notice on a plain refresh
  checks.add(async (store) => {
    expect(await changesOf(store, incident.incidentId)).toEqual([
      'IncidentDeclared:Alice Adams',
      'PhaseChanged:Alice Adams',
      'BreakStarted:Alice Adams', // phase 2: the team's break (issue 18)
      'CommanderChanged:Alice Adams',
      'RoleAssigned:Alice Adams',
      'NoteAdded:Alice Adams',
      'StakeholderUpdatePosted:Alice Adams',
    ]);
    // The update says when the next one comes, counted from the time the product recorded for it.
    expect(update).toContain(nextUpdateLine((await store.load(incident.incidentId))!));
    expect(toldNote()).toHaveLength(1);
  });
});

/** Says `text` in the incident's thread, delivered twice (a retry); the index in the recording before it. */
async function say(incident: Declared, text: string, opts: { mentions?: (typeof ALICE)[]; from?: typeof ALICE } = {}) {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread: incident.threadId, ...opts });
  await send(activity);
  await send(activity);
  return before;
}

/** The bot's first plain answer in the incident's thread after `before`, as read. */
async function reply(incident: Declared, before: number, what: string): Promise<string> {
  const answer = await eventually(() => channel.recorded.slice(before).find((r) => r.op !== 'update' && !r.activity.attachments && r.conversationId === incident.thread), what);
  return readable(answer.activity.text) as string;
}

test('commands in the incident conversation, each delivered twice and answered once', async () => {
  const incident = await declare({ commander: ALICE.id, severity: '1' });
  const logsBefore = firebreak.logs.length;
  expect(await reply(incident, await say(incident, 'ic', { mentions: [CAROL] }), 'refusal')).toBe('Carol Outsider is not in this team, so can\'t be incident commander here.');
  // A person not in the team is an answer, not a failure: nothing is logged as an error for it.
  expect(firebreak.logs.slice(logsBefore).filter((l) => /"level":"error"/.test(l))).toEqual([]);
  expect(await reply(incident, await say(incident, 'ic', { mentions: [BOB] }), 'hand-off follow-up')).toContain('Alice Adams handed command to Bob Brown.');
  // The role is assigned after the answer, once Teams has said who Alice is: its follow-up before the next command's answer.
  expect(await reply(incident, await say(incident, 'role sme', { mentions: [ALICE] }), 'role follow-up')).toContain('Alice Adams is now a subject-matter expert');
  expect(await reply(incident, await say(incident, 'action failing over the primary DB to eu-west'), 'ack')).toBe(`Announced and added to the timeline of INC-${incident.number}.`);
  expect(await reply(incident, await say(incident, 'sev 7'), 'refusal')).toBe('Severity must be 1-4 (1 is the most severe).');
  expect(await reply(incident, await say(incident, 'phase'), 'usage')).toMatch(/^Usage: phase <0-3>/);
  expect(await reply(incident, await say(incident, 'sev 1'), 'no-op')).toBe('Nothing to change: it is already so.');
  expect(await reply(incident, await say(incident, 'status'), 'status')).toContain(`INC-${incident.number}: Checkout API returning 500s. Severity 1, phase 1. Bob Brown is incident commander.`);
  expect(await reply(incident, await say(incident, 'update'), 'usage')).toMatch(/^Usage: update <text>/);
  expect(await reply(incident, await say(incident, 'note cache hit rate back to 96%'), 'ack')).toBe(`Added to the timeline of INC-${incident.number}.`);
  await say(incident, 'update Payments are recovering; card payments may still fail for some customers.');
  await eventually(() => textsIn(incident.thread).find((t) => t.startsWith(`Update: INC-${incident.number}: `) && t.includes('Payments are recovering')), 'the stakeholder update');
  expect(await reply(incident, await say(incident, 'help'), 'help')).toMatch(/^Firebreak commands/);
  // Impact ended: the follow-up, and the team's break prompt (issue 18), in either order.
  const noImpact = await say(incident, 'impact no');
  await eventually(() => channel.recorded.slice(noImpact).find((r) => r.conversationId === incident.thread && readable(r.activity.text)?.includes('Customers are no longer affected, says Alice Adams.')), 'impact follow-up');

  // An answer is given within the turn, so each second delivery has been answered (or not) by now; the update is
  // posted by the outbox, and the store check below finds it recorded once.
  const once = ['Severity must be 1-4 (1 is the most severe).', 'Announced and added', `Added to the timeline of INC-${incident.number}.`, 'Firebreak commands', `Update: INC-${incident.number}: Checkout API`];
  const answers = textsIn(incident.thread).filter((t) => once.some((o) => t.startsWith(o)));
  expect(answers.map((t) => once.find((o) => t.startsWith(o))).sort()).toEqual([...once].sort());
  checks.add(async (store) =>
    expect(await changesOf(store, incident.incidentId)).toEqual([
      'IncidentDeclared:Alice Adams',
      'CommanderChanged:Alice Adams',
      'RoleAssigned:Alice Adams',
      'NoteAdded:Alice Adams',
      'NoteAdded:Alice Adams',
      'StakeholderUpdatePosted:Alice Adams',
      'CustomerImpactChanged:Alice Adams',
      'BreakStarted:Alice Adams',
    ]),
  );
});

test('status says where the incident stands and when the next update is due, by the time it was declared', async () => {
  const incident = await declare({ severity: '3', customerImpact: 'false' });
  const status = await reply(incident, await say(incident, 'status'), 'status');
  expect(status).toContain(`INC-${incident.number}: Checkout API returning 500s. Severity 3, phase 1. Bob Brown is incident commander.`);
  // Two hours after the declaration, in the product's words: with the date when that is another day.
  checks.add(async (store) => {
    const declared = (await store.load(incident.incidentId))!;
    expect(status).toContain(nextUpdateLine(declared));
    expect(nextUpdateLine(declared)).toBe(`Next update by ${utcTime(new Date(Date.parse(declared.lastUpdateAt) + 120 * 60_000).toISOString(), declared.lastUpdateAt)}.`);
  });
});

test('"Add to timeline" records a message; editing updates it; deleting marks it; each once', async () => {
  const incident = await declare();
  const addAction = invoke('composeExtension/fetchTask', {
    commandId: 'addToTimeline',
    commandContext: 'message',
    messagePayload: { id: 'msg-200', body: { contentType: 'html', content: 'db-2 replica lag is 40 s' }, from: { user: { id: BOB.id, displayName: BOB.name } }, createdDateTime: '2026-03-15T14:10:00Z', linkToMessage: 'https://teams.microsoft.com/l/message/x/msg-200' },
  }, { serviceUrl: channel.serviceUrl, thread: incident.threadId });
  expect(await send(addAction)).toEqual({ task: { type: 'message', value: `Added to the timeline of INC-${incident.number}.` } });
  // A re-delivery, and the action used again on the same message, record nothing more and say so truthfully.
  expect(await send(addAction)).toEqual({ task: { type: 'message', value: `That message is already on the timeline of INC-${incident.number}.` } });
  expect(await send({ ...addAction, id: randomUUID() })).toEqual({ task: { type: 'message', value: `That message is already on the timeline of INC-${incident.number}.` } });
  const edit = messageEvent('edit', 'msg-200', 'db-2 replica lag is 4 s', { serviceUrl: channel.serviceUrl, thread: incident.threadId });
  await send(edit);
  await send(edit);
  const del = messageEvent('delete', 'msg-200', '', { serviceUrl: channel.serviceUrl, thread: incident.threadId });
  await send(del);
  await send(del);
  const another = invoke('composeExtension/fetchTask', {
    commandId: 'addToTimeline',
    commandContext: 'message',
    messagePayload: { id: 'msg-300', body: { contentType: 'html', content: 'error rate 0.1%' }, from: { user: { id: BOB.id, displayName: BOB.name } }, createdDateTime: '2026-03-15T14:20:00Z', linkToMessage: 'https://teams.microsoft.com/l/message/x/msg-300' },
  }, { serviceUrl: channel.serviceUrl, thread: incident.threadId });
  expect(await send(another)).toEqual({ task: { type: 'message', value: `Added to the timeline of INC-${incident.number}.` } });
  checks.add(async (store) => {
    expect(await changesOf(store, incident.incidentId)).toEqual([
      'IncidentDeclared:Alice Adams',
      'MessageRecorded:Alice Adams',
      'RecordedMessageEdited:Alice Adams',
      'RecordedMessageDeleted:Alice Adams',
      'MessageRecorded:Alice Adams',
    ]);
    const events = (await store.events(incident.incidentId)).map((e) => e.event);
    expect(events.find((e) => e.type === 'MessageRecorded')).toMatchObject({ messageId: 'msg-200', text: 'db-2 replica lag is 40 s', author: { id: BOB.id, name: BOB.name }, sentAt: '2026-03-15T14:10:00.000Z' });
    expect(events.find((e) => e.type === 'RecordedMessageEdited')).toMatchObject({ text: 'db-2 replica lag is 4 s' });
  });
});

test('resolving; a message on the timeline corrected afterwards is still corrected there', async () => {
  const incident = await declare();
  const record = invoke('composeExtension/fetchTask', {
    commandId: 'addToTimeline',
    commandContext: 'message',
    messagePayload: { id: 'msg-400', body: { contentType: 'html', content: 'error rate 0.1%' }, from: { user: { id: BOB.id, displayName: BOB.name } }, createdDateTime: '2026-03-15T14:20:00Z', linkToMessage: 'https://teams.microsoft.com/l/message/x/msg-400' },
  }, { serviceUrl: channel.serviceUrl, thread: incident.threadId });
  expect(await send(record)).toEqual({ task: { type: 'message', value: `Added to the timeline of INC-${incident.number}.` } });
  // "Resolve incident" asks first (route.test.ts); its "Resolve now" button sends `resolveConfirm`.
  const card = await press(incident, 'resolveConfirm', { summary: 'Rolled back; payments recovered.' });
  expect(card.actions.map((a: { verb: string }) => a.verb)).toEqual(['followupForm']); // follow-ups are still written (issue 18)
  expect(JSON.stringify(card)).toContain('Resolved');
  await eventually(() => textsIn(incident.thread).find((t) => t.includes('Resolved by Alice Adams. Rolled back; payments recovered.')), 'resolution follow-up');
  expect((await press(incident, 'setSeverity', { severity: '1' })).body[0].text).toMatch(new RegExp(`^INC-${incident.number} was resolved at .*, so it can't be changed any more\.\nWhat still makes sense here:`));
  const late = messageEvent('edit', 'msg-400', 'error rate 0.01%', { serviceUrl: channel.serviceUrl, thread: incident.threadId });
  await send(late);
  checks.add(async (store) =>
    expect(await changesOf(store, incident.incidentId)).toEqual([
      'IncidentDeclared:Alice Adams',
      'MessageRecorded:Alice Adams',
      'PhaseChanged:Alice Adams',
      'PostmortemStarted:Alice Adams', // issue 18: resolving names the postmortem's owner and due date
      'IncidentResolved:Alice Adams',
      'RecordedMessageEdited:Alice Adams',
    ]),
  );
});

test('a private incident: its own thread has everything, the announcements channel only that it exists and who leads', async () => {
  const incident = await declare({ title: 'Customer data exposed in export', description: 'bucket made public at 09:12', severity: '1', commander: ALICE.id, private: 'true' });
  expect(JSON.stringify(incident.originCard.activity.attachments[0].content)).toContain('bucket made public');
  const announced = incident.announcementCard;
  const shown = JSON.stringify(announced.activity.attachments[0].content) + announced.activity.summary;
  expect(announced.activity.summary).toBe(`INC-${incident.number}: private incident. Severity 1, phase 1. Alice Adams is incident commander.`);
  for (const secret of ['Customer data', 'bucket', 'Customer impact']) expect(shown).not.toContain(secret);

  // `status` in the thread of the announcement says no more than the card there does.
  const ask = channelMessage('status', { serviceUrl: channel.serviceUrl });
  ask.conversation = { ...ask.conversation, id: announced.conversationId };
  const at = channel.recorded.length;
  await send(ask);
  const answer = await eventually(() => channel.recorded.slice(at).find((r) => r.conversationId === announced.conversationId && typeof r.activity.text === 'string'), 'the status answer');
  const said = readable(answer.activity.text) as string;
  expect(said).toMatch(new RegExp(`^INC-${incident.number}: private incident\\. Severity 1, phase 1\\. Alice Adams is incident commander\\.\\nNext update by `));
  expect(answer.activity.text).not.toContain('Customer data');
  checks.add(async (store) => expect(said.split('\n')[1]).toBe(nextUpdateLine((await store.load(incident.incidentId))!)));
});
