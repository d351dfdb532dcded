import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timeline } from '../../src/domain/timeline';
import { loadOrgFile } from '../../src/org/load';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graph/server';
import { BOT, channelMessage, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';
import { storeChecks } from '../harness/store-checks';

/**
 * Paging end to end (issue 17 items 5-6): the real server in production mode with the example organisation file,
 * the local Bot Framework channel (which now creates 1:1 chats) and the Graph emulator (activity feed, mail). The
 * windows are moved past with libfaketime, as the reminder tests do: the server's clock reads a timestamp file.
 */
const APP_ID = '7b1e2d3c-6666-4777-8888-999999999917';
const PASSWORD = 'not-a-real-secret-paging-e2e';
const ORG_FILE = path.resolve(__dirname, '../../firebreak.org.example.yml');
const org = loadOrgFile(ORG_FILE);
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const FAKETIME = existsSync(FAKETIME_LIB);
if (!FAKETIME) process.stdout.write(`[firebreak] ${FAKETIME_LIB} not found: the paging escalation test is SKIPPED\n`);
/** Lynne Robbins has not installed the app: her 1:1 is refused, so she is mailed. */
const NOT_INSTALLED = 'lynner';

let channel: BotChannel;
let graph: GraphEmulator;
let firebreak: RunningFirebreak;
const caFile = path.join(tmpdir(), `firebreak-paging-ca-${randomUUID()}.pem`);
const clockFile = path.join(tmpdir(), `firebreak-paging-clock-${randomUUID()}`);
const databaseUrl = `pglite:${path.join(tmpdir(), `firebreak-paging-${randomUUID()}`)}`;
const checks = storeChecks();
const setClock = (offset: string) => writeFileSync(clockFile, `${offset}\n`);

beforeAll(async () => {
  setClock('+0');
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT });
  channel.installApp(org.people.filter((p) => p.id !== NOT_INSTALLED && p.aadObjectId).map((p) => p.aadObjectId!));
  graph = await startGraphEmulator({
    tenantId: TENANT,
    apps: [{ clientId: APP_ID, clientSecret: PASSWORD, roles: ['Mail.Send', 'Mail.Read', 'TeamsActivity.Send'] }],
    users: [
      { id: '44444444-5555-4666-8777-888888888888', userPrincipalName: 'firebreak@contoso.test', displayName: 'Firebreak', mail: 'firebreak@contoso.test' },
      ...org.people.map((p) => ({ id: p.aadObjectId!, userPrincipalName: p.email, displayName: p.name, mail: p.email })),
    ],
    teams: [],
  });
  writeFileSync(caFile, graph.ca);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: databaseUrl,
    FIREBREAK_ORG_FILE: ORG_FILE,
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTHORITY_HOST: graph.url,
    GRAPH_MAIL_SENDER: 'firebreak@contoso.test',
    INCIDENT_MAIL_TO: 'incidents@contoso.test',
    NODE_EXTRA_CA_CERTS: caFile,
    EFFECT_RETRY_BASE_MS: '50',
    EFFECT_RETRY_CAP_MS: '500',
    ...(FAKETIME && { LD_PRELOAD: FAKETIME_LIB, FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1' }),
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
  await graph?.close();
  await checks.run(databaseUrl);
  rmSync(caFile, { force: true });
  rmSync(clockFile, { force: true });
}, 60_000);

const send = async (activity: object) => {
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as any;
};

/** Says `text` in a thread; what the bot said there after it (texts). */
async function say(thread: string, text: string): Promise<string[]> {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread });
  await send(activity);
  const here = () => channel.recorded.slice(before).filter((r) => r.op !== 'update' && r.conversationId === activity.conversation.id && !r.activity.attachments);
  await eventually(() => (here().length ? true : undefined), `an answer to "${text}"`);
  return here().map((r) => readable(r.activity.text)!);
}

const textsIn = (thread: string) => channel.recorded.filter((r) => r.op !== 'update' && r.conversationId.endsWith(`;messageid=${thread}`) && r.activity.text).map((r) => readable(r.activity.text)!);

async function declare() {
  const thread = randomUUID();
  const title = `Card payments failing ${thread.slice(0, 8)}`;
  await say(thread, `declare sev2 ${title}`);
  checks.declared(title);
  const posted = await eventually(() => channel.recorded.find((r) => r.activity.attachments && r.conversationId.endsWith(thread)), 'the incident card');
  const number = Number(/^INC-(\d+): /.exec(posted.activity.summary)![1]);
  const incidentId = JSON.stringify(posted.activity.attachments[0].content).match(/"incidentId":"([^"]+)"/)![1];
  return { thread, number, incidentId, title, cardId: posted.activityId, cardConversation: posted.conversationId };
}

const person = (id: string) => org.people.find((p) => p.id === id)!;
/**
 * Who the server paged, read from what it said: its clock (libfaketime's, moved by this file) decides who is on call,
 * not this process's (the time-sensitive runs fake Jest's clock to other hours).
 */
const named = (text: string, pattern: RegExp) => {
  const name = pattern.exec(text)?.[1];
  const found = org.people.find((p) => p.name === name);
  if (!found) throw new Error(`no person named by ${pattern} in: ${text}`);
  return found.id;
};

/** The page cards sent to a person's 1:1 chat (created at the connector with their Entra object id). */
function pageCardsTo(id: string): { conversationId: string; card: any }[] {
  const chats = new Set(channel.personalChats.filter((c) => c.memberId === person(id).aadObjectId).map((c) => c.conversationId));
  return channel.recorded.filter((r) => r.op === 'send' && chats.has(r.conversationId)).map((r) => ({ conversationId: r.conversationId, card: r.activity.attachments?.[0]?.content }));
}

/** Those of one incident. */
const pageCardsFor = (id: string, number: number) => pageCardsTo(id).filter((p) => JSON.stringify(p.card).includes(`"value":"INC-${number}: `));

/** The paged person presses a button of their page card, in their 1:1 chat. */
async function press(id: string, page: { conversationId: string; card: any }, title: 'Acknowledge' | "Can't") {
  const p = person(id);
  const action = page.card.actions.find((a: any) => a.title === title);
  const body = await send({
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl: channel.serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${p.id}`, name: p.name, aadObjectId: p.aadObjectId },
    recipient: BOT,
    conversation: { id: page.conversationId, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'manual' },
  });
  expect(body.statusCode).toBe(200);
  expect(adaptiveCardErrors(body.value)).toEqual([]);
  return body.value.body.map((b: any) => readable(b.text)).join('\n');
}

test('page payments: the one on call gets a 1:1 with Acknowledge / Can\'t and a feed notification; acknowledging makes them SME, announced; paging again notifies nobody', async () => {
  const { thread, number, title, incidentId, cardId, cardConversation } = await declare();
  const reply = (await say(thread, 'page payments card declines since 14:00')).join('\n');
  const now = named(reply, new RegExp(`^Paging (.+?) for payments \\(INC-${number}\\): a 1:1 chat with Acknowledge / Can't\\. They have until \\d\\d:\\d\\d UTC\\.`));
  expect(org.services.find((s) => s.name === 'payments')!.experts).toMatchObject({ members: expect.arrayContaining([now]) });

  const [page] = await eventually(() => (pageCardsFor(now, number).length ? pageCardsFor(now, number) : undefined), 'the page card in a 1:1 chat');
  expect(channel.personalChats.find((c) => c.conversationId === page.conversationId)).toMatchObject({ memberId: person(now).aadObjectId, tenantId: TENANT });
  expect(adaptiveCardErrors(page.card)).toEqual([]);
  const said = JSON.stringify(page.card);
  for (const part of [`INC-${number}`, title, 'card declines since 14:00', 'Alice Adams']) expect(said).toContain(part);
  expect(page.card.actions.map((a: any) => [a.type, a.title])).toEqual([['Action.Execute', 'Acknowledge'], ['Action.Execute', "Can't"]]);
  const feed = await eventually(() => graph.activityNotifications().find((n) => n.userId === person(now).aadObjectId && n.topic.value.startsWith(`INC-${number}: `)), 'the activity-feed notification');
  expect(feed).toMatchObject({ activityType: 'paged', templateParameters: { service: 'payments' } });

  const answer = await press(now, page, 'Acknowledge');
  expect(answer).toContain(`you are a subject-matter expert on INC-${number}`);
  await eventually(() => (textsIn(thread).some((t) => t.includes(`${person(now).name} is now a subject-matter expert`)) ? true : undefined), 'the SME announced in the incident conversation');
  await eventually(() => (JSON.stringify(channel.current(cardConversation, cardId)).includes(`"title":"Subject-matter experts","value":"${person(now).name}"`) ? true : undefined), 'the SME on the card');

  // Pressed again (an old card): a plain answer, nothing changes. Paged again in the window: nobody is notified.
  expect(await press(now, page, "Can't")).toMatch(/^You already acknowledged this page for payments at \d\d:\d\d UTC/);
  const again = await say(thread, 'page pay still failing');
  expect(again.join('\n')).toMatch(new RegExp(`payments was already paged at \\d\\d:\\d\\d UTC by Alice Adams: ${person(now).name} acknowledged at`));
  await say(thread, 'status'); // a later turn: any second notification would have been queued by now
  expect(pageCardsFor(now, number)).toHaveLength(1);
  expect(graph.activityNotifications().filter((n) => n.userId === person(now).aadObjectId && n.topic.value.startsWith(`INC-${number}:`))).toHaveLength(1);

  checks.add(async (store) => {
    const texts = timeline(incidentId, (await store.events(incidentId)).map((e) => ({ version: e.version, event: e.event }))).map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining([`Paged ${person(now).name} for payments: card declines since 14:00.`, expect.stringMatching(new RegExp(`^${person(now).name} acknowledged the page for payments \\(`)), `${person(now).name} is a subject-matter expert.`]));
    const acked = (await store.events(incidentId)).map((e) => e.event).find((e) => e.type === 'PageAcknowledged') as any;
    expect(Date.parse(acked.at)).toBeGreaterThanOrEqual(Date.parse(acked.requestedAt)); // time to acknowledge, for issue 19
  });
});

test("an unknown service is answered with close names; Can't calls the next at once; an answer after the incident is resolved gives no role", async () => {
  const { thread, number, incidentId } = await declare();
  expect((await say(thread, 'page paymnts')).join('\n')).toMatch(/^I don't know a service called "paymnts"\. Did you mean payments/);
  const now = named((await say(thread, 'page payments')).join('\n'), /^Paging (.+?) for payments/);
  const mine = () => pageCardsFor(now, number);
  const [page] = await eventually(() => (mine().length ? mine() : undefined), 'the page card');
  const next = named(await press(now, page, "Can't"), /^Thanks for saying so: (.+) is being called instead\.$/);
  expect(next).not.toBe(now);
  const theirs = () => pageCardsFor(next, number);
  const [nextPage] = await eventually(() => (theirs().length ? theirs() : undefined), 'the next person paged at once');
  await eventually(() => (textsIn(thread).some((t) => t.includes(`Nobody could come: paged ${person(next).name} for payments`)) ? true : undefined), 'the move announced');

  await say(thread, 'resolve confirm fixed without them');
  expect(await press(next, nextPage, 'Acknowledge')).toMatch(new RegExp(`^INC-${number} was resolved at \\d\\d:\\d\\d UTC: thank you, nothing more is needed\\.`));
  checks.add(async (store) => {
    const incident = await store.load(incidentId);
    expect(incident!.roles.sme).toEqual([]);
  });
});

(FAKETIME ? test : test.skip)('no answer: after the window the next in the rotation is paged, then the escalation contact, then nobody is left; every step on the timeline', async () => {
  const { thread, number, incidentId } = await declare();
  const escalation = org.services.find((s) => s.name === 'search')!.escalation!;
  /** A 1:1 page card, or (Lynne has not installed the app) a mail naming the incident. */
  let first = '';
  let second = '';
  const reached = (id: string) => pageCardsFor(id, number).length > 0 || graph.mailbox().some((m) => m.to.includes(person(id).email) && m.subject.includes(`INC-${number}: `));
  try {
    first = named((await say(thread, 'page search results empty')).join('\n'), /^Paging (.+?) for search/);
    await eventually(() => (reached(first) ? true : undefined), `${first} paged`);
    const moved = () => textsIn(thread).find((t) => t.includes('No answer within the window: paged'));
    expect(moved()).toBeUndefined();
    setClock('+6m');
    second = named(await eventually(moved, 'the escalation announced', 15_000), /No answer within the window: paged (.+?) for search\./);
    expect([first, escalation]).not.toContain(second);
    await eventually(() => (reached(second) ? true : undefined), `${second} paged after the window`);
    expect(reached(escalation)).toBe(false);
    setClock('+12m');
    await eventually(() => (reached(escalation) ? true : undefined), 'the escalation contact paged', 15_000);
    setClock('+18m');
    await eventually(() => (textsIn(thread).some((t) => t.includes('Nobody acknowledged the page for search')) ? true : undefined), 'nobody left, said', 15_000);
  } catch (err) {
    process.stderr.write(`${firebreak.logs.filter((l) => /page|effect|error|warn/i.test(l)).slice(-40).join('\n')}\n`);
    throw err;
  } finally {
    setClock('+0');
  }
  checks.add(async (store) => {
    const texts = timeline(incidentId, (await store.events(incidentId)).map((e) => ({ version: e.version, event: e.event }))).map((e) => e.text);
    expect(texts.filter((t) => /page|Paged/.test(t))).toEqual([
      `Paged ${person(first).name} for search: results empty.`,
      `No answer within the window: paged ${person(second).name} for search.`,
      `No answer within the window: paged ${person(escalation).name} for search.`,
      'Nobody acknowledged the page for search: everyone on call and the escalation contact were tried.',
    ]);
  });
});

test('"Page experts…" on the card: a form of services (several at once) and why; a person without the app gets mail instead of the 1:1', async () => {
  const { thread, number, incidentId, title } = await declare();
  const pressCard = async (verb: string, data: Record<string, string>) => {
    const body = await send({ ...channelMessage('', { serviceUrl: channel.serviceUrl, thread }), type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
    expect(body.statusCode).toBe(200);
    expect(adaptiveCardErrors(body.value)).toEqual([]);
    return body.value;
  };
  const form = await pressCard('page.form', { incidentId });
  const choices = form.body.find((b: any) => b.id === 'services');
  expect(choices).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true });
  expect(choices.choices.map((c: any) => c.value)).toEqual(org.services.map((s) => s.name));
  const sent = await pressCard(form.actions[0].verb, { ...form.actions[0].data, services: 'checkout,identity', reason: 'orders stuck at payment' });
  const lines = sent.body.map((b: any) => readable(b.text)).join('\n');
  expect(lines).toContain('Paging Alex Wilber, Lynne Robbins for checkout');
  expect(lines).toContain('Paging Adele Vance for identity');
  await eventually(() => (pageCardsFor('alexw', number).length ? true : undefined), 'Alex paged in a 1:1');
  const mail = await eventually(() => graph.mailbox().find((m) => m.to.includes(person(NOT_INSTALLED).email) && m.subject.includes(`INC-${number}: `)), 'Lynne mailed: the app is not installed for her');
  expect(mail.subject).toBe(`Paged for checkout: INC-${number}: ${title}`);
  expect(mail.body).toContain('Why: orders stuck at payment');
  expect(channel.personalChats.some((c) => c.memberId === person(NOT_INSTALLED).aadObjectId)).toBe(false);
});
