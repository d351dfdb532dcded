import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addWorkingDays, instantAt, localDate, nextDigest } from '../../src/domain/followup-dates';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graph/server';
import { ALICE, BOB, CHANNEL_CONVERSATION, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { adaptiveCardErrors } from '../harness/schemas';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { storeChecks } from '../harness/store-checks';

/**
 * Follow-up items end to end (issue 18 items 8-9): the real server in production mode with the example organisation
 * file (follow-ups in Europe/Berlin, 09:00), the local Bot Framework channel and the Graph emulator (mail). The
 * server's clock is libfaketime's, moved through a timestamp file: to the Monday 09:00 Berlin after today (the
 * digest, and the day-before reminder of an item due that Tuesday), then to the Wednesday (overdue). Bob has the app
 * installed (his reminders and digest come in his 1:1 chat with the bot); Alice has not (Teams answers 403 to the 1:1,
 * so she is @mentioned in the incident's conversation).
 */
const APP_ID = '6b1f2c3d-7777-4888-9999-a0a0a0a0f011';
const PASSWORD = 'not-a-real-secret-followups-e2e';
const ZONE = 'Europe/Berlin';
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const FAKETIME = existsSync(FAKETIME_LIB);
if (!FAKETIME) process.stdout.write(`[firebreak] ${FAKETIME_LIB} not found: the follow-up reminder and digest test is SKIPPED\n`);
const BOB_MAIL = 'bob.brown@contoso.test';
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const AUDIENCE = `api://firebreak.test/${APP_ID}`;

let channel: BotChannel;
let graph: GraphEmulator;
let firebreak: RunningFirebreak;
const caFile = path.join(tmpdir(), `firebreak-followups-ca-${randomUUID()}.pem`);
const clockFile = path.join(tmpdir(), `firebreak-followups-clock-${randomUUID()}`);
const databaseUrl = `pglite:${path.join(tmpdir(), `firebreak-followups-${randomUUID()}`)}`;
/** The example organisation file with a Planner plan: planning items become tasks there (issue 18 item 10). */
const PLAN = 'xqQg5FS2LkCp935s-FIFm2QAFkHM';
const orgFile = path.join(tmpdir(), `firebreak-followups-org-${randomUUID()}.yml`);
const checks = storeChecks();

/** Moves the server's clock to just after `iso` (libfaketime's relative offset, in whole minutes). */
const setClockTo = (iso: string) => writeFileSync(clockFile, `+${Math.ceil((Date.parse(iso) + 30_000 - Date.now()) / 60_000)}m\n`);

beforeAll(async () => {
  writeFileSync(clockFile, '+0\n');
  writeFileSync(orgFile, readFileSync(path.resolve(__dirname, '../../firebreak.org.example.yml'), 'utf8').replace('digest_hour: 9', `digest_hour: 9\n  planner_plan_id: ${PLAN}`));
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT });
  channel.setMembers('19:team@thread.tacv2', [ALICE, { ...BOB, email: BOB_MAIL }]); // the team of the ops channel
  channel.installApp([BOB.aadObjectId]);
  graph = await startGraphEmulator({
    tenantId: TENANT,
    apps: [{ clientId: APP_ID, clientSecret: PASSWORD, roles: ['Mail.Send', 'Mail.Read', 'Tasks.ReadWrite.All'] }],
    users: [{ id: '44444444-5555-4666-8777-888888888811', userPrincipalName: 'firebreak@contoso.test', displayName: 'Firebreak', mail: 'firebreak@contoso.test' }],
    teams: [],
    plans: [{ id: PLAN, title: 'Follow-ups' }],
  });
  writeFileSync(caFile, graph.ca);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: databaseUrl,
    FIREBREAK_ORG_FILE: orgFile,
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTHORITY_HOST: graph.url,
    GRAPH_MAIL_SENDER: 'firebreak@contoso.test',
    INCIDENT_MAIL_TO: 'incidents@contoso.test',
    NODE_EXTRA_CA_CERTS: caFile,
    EXPERTS_SSO_METADATA_URL: channel.openIdMetadataUrl,
    EXPERTS_SSO_ISSUER: ISSUER,
    EXPERTS_SSO_AUDIENCE: AUDIENCE,
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
  rmSync(orgFile, { force: true });
}, 60_000);

/** Says `text` in a thread (as `from`, mentioning `mentions`) and returns the texts the bot posted there after it. */
async function say(thread: string, text: string, opts: { from?: typeof ALICE; mentions?: (typeof ALICE)[] } = {}): Promise<string[]> {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread, ...opts });
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  const here = () => channel.recorded.slice(before).filter((r) => r.op !== 'update' && r.conversationId === activity.conversation.id && !r.activity.attachments);
  await eventually(() => (here().length ? true : undefined), `an answer to "${text}"`);
  return here().map((r) => readable(r.activity.text) as string);
}

/** Declares and resolves an incident in a thread of its own (follow-ups are mostly written after). */
async function resolvedIncident() {
  const thread = randomUUID();
  const title = `Replication lag ${thread.slice(0, 8)}`;
  await say(thread, `declare sev2 ${title}`);
  checks.declared(title);
  const number = Number(/INC-(\d+)/.exec((await eventually(() => channel.recorded.find((r) => r.activity.attachments && r.conversationId.endsWith(thread)), 'the card')).activity.summary)![1]);
  await say(thread, 'resolve confirm failed back over');
  const incidentId = JSON.stringify(channel.recorded.find((r) => r.activity.attachments && r.conversationId.endsWith(thread))!.activity).match(/"incidentId":"([^"]+)"/)![1];
  return { thread, number, incidentId };
}

/** Presses a card button in the thread; the card it is answered with (checked against Adaptive Cards 1.5). */
async function press(thread: string, verb: string, data: Record<string, string>) {
  const res = await post(firebreak.url, invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl, thread }), channel.signInbound({ serviceUrl: channel.serviceUrl }));
  const body = res.body as any;
  expect(body.statusCode).toBe(200);
  expect(adaptiveCardErrors(body.value)).toEqual([]);
  return body.value;
}
const cardText = (card: unknown) => JSON.stringify(card);

/** Texts the bot posted in a thread (any thread: undefined), with the people they mention. */
const postsIn = (thread?: string) =>
  channel.recorded
    .filter((r) => r.op !== 'update' && (thread === undefined || r.conversationId === `${CHANNEL_CONVERSATION};messageid=${thread}`) && !r.activity.attachments)
    .map((r) => ({ text: readable(r.activity.text) as string, mentions: (r.activity.entities ?? []).filter((e: any) => e.type === 'mention').map((e: any) => e.mentioned.id) }));

/** Texts the bot sent in its 1:1 chat with a person. */
const directTo = (person: typeof ALICE) => {
  const chats = new Set(channel.personalChats.filter((c) => c.memberId === person.aadObjectId).map((c) => c.conversationId));
  return channel.recorded.filter((r) => r.op === 'send' && chats.has(r.conversationId)).map((r) => ({ text: readable(r.activity.text) as string, mentions: r.activity.entities ?? [] }));
};

test('followup in a resolved incident: added with owner and due date, listed here, as "mine" and "all", then done', async () => {
  const { thread, number } = await resolvedIncident();
  const due = addWorkingDays(localDate(new Date(), ZONE), 2);
  const added = await say(thread, `followup Alert on replication lag over 30 s due ${due}`, { mentions: [BOB] });
  expect(added.join('\n')).toContain(`Follow-up added to INC-${number}: #1 Alert on replication lag over 30 s · Bob Brown · due ${due} · now`);

  const unowned = await say(thread, 'followup Write the failover runbook due in 1 day');
  expect(unowned.join('\n')).toMatch(/#2 Write the failover runbook · no owner yet · due \d{4}-\d\d-\d\d · now\nIt is due within 5 working days, so it needs an owner now\. Who will do it\? Type: followup owner 2 @person/);
  const later = await say(thread, 'followup Replace the database cluster');
  expect(later.join('\n')).toContain('#3 Replace the database cluster · no owner · no due date · planning\nIt goes to planning (not due in the next few days), and to the Planner plan as a task.');
  // Only the planning item becomes a Planner task (through the bot's own app registration: Graph's credentials default to it).
  await eventually(() => (graph.plannerTasks(PLAN).some((t) => t.title === `INC-${number} #3: Replace the database cluster`) ? true : undefined), 'the Planner task');
  expect(graph.plannerTasks(PLAN).filter((t) => t.title.startsWith(`INC-${number} #`))).toHaveLength(1);

  expect((await say(thread, 'followup owner 2', { mentions: [BOB] })).join('\n')).toContain(`Bob Brown owns follow-up #2 of INC-${number}.`);
  const listed = (await say(thread, 'followups')).join('\n');
  expect(listed).toContain(`Open follow-ups of INC-${number} (3):`);
  expect(listed).toContain('#2 Write the failover runbook · Bob Brown');
  const mine = (await say(thread, 'followups mine', { from: BOB })).join('\n');
  expect(mine).toContain(`INC-${number} #1 Alert on replication lag over 30 s · Bob Brown · due ${due} · now`);
  expect(mine).not.toContain('Replace the database cluster'); // nobody owns it
  expect((await say(thread, 'followups all')).join('\n')).toContain(`INC-${number} #3 Replace the database cluster`);

  expect((await say(thread, 'followup done 1', { from: BOB })).join('\n')).toContain(`Follow-up #1 of INC-${number} is done.`);
  expect((await say(thread, 'followup cancel 3')).join('\n')).toContain(`Follow-up #3 of INC-${number} is cancelled.`);
  expect((await say(thread, 'followup done 1')).join('\n')).toContain('Nothing to change');
  expect((await say(thread, 'followup done 9')).join('\n')).toContain('There is no follow-up #9 here; they are numbered #1, #2, #3.');
  expect((await say(thread, 'followup Check backups due someday')).join('\n')).toContain('I can\'t read "someday" as a due date');
  expect((await say(thread, 'followups')).join('\n')).toContain(`Open follow-ups of INC-${number} (1):`);
});

test('from the card: the resolved card opens the follow-up form; add with owner and due, then Done by its button', async () => {
  const { thread, number, incidentId } = await resolvedIncident();
  const resolvedCard = await press(thread, 'refresh', { incidentId });
  expect(resolvedCard.actions.map((a: any) => a.verb)).toEqual(['followupForm']);
  const form = await press(thread, 'followupForm', { incidentId });
  expect(cardText(form)).toContain('No open follow-ups.');
  expect(form.body.find((b: any) => b.id === 'owner').choices.map((c: any) => c.title)).toEqual(['Alice Adams', 'Bob Brown']);
  const added = await press(thread, 'followupAdd', { incidentId, followup: 'Page on replication lag', owner: BOB.id, due: 'in 2 days' });
  expect(cardText(added)).toContain(`Follow-up added to INC-${number}: #1 Page on replication lag · Bob Brown · due`);
  expect(added.body.filter((b: any) => b.type === 'ActionSet').flatMap((s: any) => s.actions.map((a: any) => `${a.verb}:${a.data.n}`))).toEqual(['followupDone:1', 'followupCancel:1']);
  const refused = await press(thread, 'followupAdd', { incidentId, followup: 'Something', due: 'whenever' });
  expect(cardText(refused)).toContain('can\'t read \\"whenever\\" as a due date');
  const card = await press(thread, 'refresh', { incidentId });
  expect(cardText(card)).toContain('Follow-ups: 1 open');
  const done = await press(thread, 'followupDone', { incidentId, n: '1' });
  expect(cardText(done)).toContain(`Follow-up #1 of INC-${number} is done.`);
  expect(cardText(done)).toContain('No open follow-ups.');
});

(FAKETIME ? test : test.skip)('the owner is reminded in a 1:1 the working day before and when overdue; the Monday 09:00 Berlin digest goes to each owner and IC once', async () => {
  const { thread, number } = await resolvedIncident();
  const monday = nextDigest(new Date(), ZONE, 9);
  const tuesday = addWorkingDays(monday.date, 1);
  const text = `Rotate the replication credentials ${thread.slice(0, 6)}`;
  await say(thread, `followup ${text} due ${tuesday}`, { mentions: [BOB] });
  const toBob = (t: string) => directTo(BOB).filter((p) => p.text.includes(t));
  // A digest covers every incident: without a 1:1 it goes to the thread of the person's first item, maybe another test's.
  const digests = (t: string) => postsIn().filter((p) => p.text.includes(t));
  try {
    setClockTo(monday.at); // Monday 09:00 in Berlin: the digest, and the reminder for Tuesday
    const reminder = await eventually(() => toBob(`INC-${number}: follow-up #1 is due ${tuesday}`)[0], 'the day-before reminder in Bob\'s 1:1', 20_000);
    expect(reminder.text).toContain(`#1 ${text} · Bob Brown · due ${tuesday}`);
    expect(reminder.mentions).toEqual([]);
    expect(channel.personalChats.find((c) => c.memberId === BOB.aadObjectId)).toMatchObject({ tenantId: TENANT });
    const digest = await eventually(() => toBob(`Bob Brown: Your open follow-ups, week of ${monday.date}`)[0], "Bob's digest in his 1:1", 20_000);
    expect(digest.text).toContain(`INC-${number} #1 ${text}`);
    // Alice has not installed the app: Teams refuses her 1:1 (403), so she is @mentioned in an incident's conversation.
    const icDigest = await eventually(() => digests(`Alice Adams: Open follow-ups of the incidents you led, week of ${monday.date}`)[0], "the IC's digest", 20_000);
    expect(icDigest.mentions).toEqual([ALICE.id]);
    expect(channel.requests.some((r) => r.path === '/v3/conversations' && r.status === 403)).toBe(true);
    await eventually(() => graph.mailbox().find((m) => m.to.includes(BOB_MAIL) && m.subject.includes(`week of ${monday.date}`)), "Bob's digest by mail", 20_000);
    expect(postsIn(thread).filter((p) => p.text.includes('follow-up #1 is due'))).toEqual([]); // not in the thread as well

    setClockTo(instantAt(addWorkingDays(tuesday, 1), 9, ZONE)); // Wednesday 09:00: still open, so overdue
    await eventually(() => toBob(`INC-${number}: follow-up #1 is overdue (it was due ${tuesday})`)[0], 'the overdue reminder in Bob\'s 1:1', 20_000);
    expect(toBob(`Bob Brown: Your open follow-ups, week of ${monday.date}`)).toHaveLength(1); // told once that Monday
    expect(graph.mailbox().filter((m) => m.to.includes(BOB_MAIL) && m.subject.includes(`week of ${monday.date}`))).toHaveLength(1);
  } catch (err) {
    process.stderr.write(`${firebreak.logs.filter((l) => /follow|effect|error|warn/i.test(l)).slice(-40).join('\n')}\n`);
    throw err;
  } finally {
    writeFileSync(clockFile, '+0\n');
  }
}, 90_000);

test('the reports tab: the page is a shell; its charts need a Teams SSO token of a served tenant (the experts page\'s check)', async () => {
  const page = await fetch(`${firebreak.url}/reports`);
  expect(page.status).toBe(200);
  expect(await page.text()).not.toContain('chart-weeks'); // no figures without a token
  const charts = (authorization?: string) => fetch(`${firebreak.url}/reports/charts`, { headers: authorization ? { authorization } : {} });
  expect((await charts()).status).toBe(401);
  const token = (tid: string) => channel.signInbound({ issuer: ISSUER, audience: AUDIENCE, claims: { tid, oid: '00000000-0000-0000-0000-000000000021' } });
  expect((await charts(`Bearer ${token('99999999-8888-7777-6666-555555555555')}`)).status).toBe(401);
  const ok = await charts(`Bearer ${token(TENANT)}`);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain('<svg id="chart-weeks"');
  // The planning export: the same sign-in.
  const { thread, number } = await resolvedIncident();
  await say(thread, 'followup Move replication to the new cluster due 2099-01-05');
  expect((await fetch(`${firebreak.url}/reports/followups.json`)).status).toBe(401);
  const exported = await fetch(`${firebreak.url}/reports/followups.json`, { headers: { authorization: `Bearer ${token(TENANT)}` } });
  expect(((await exported.json()) as { items: unknown[] }).items).toContainEqual(expect.objectContaining({ incident: `INC-${number}`, n: 1, text: 'Move replication to the new cluster', due: '2099-01-05', status: 'open' }));
  const csv = await fetch(`${firebreak.url}/reports/followups.csv`, { headers: { authorization: `Bearer ${token(TENANT)}` } });
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(await csv.text()).toContain(`INC-${number},`);
});
