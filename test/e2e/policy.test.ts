import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graph/server';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * The organisation's policy end to end (issue 17 items 7-8, issue 18 items 1-3): the real server in production mode
 * with an organisation file whose severity words are its own, the local Bot Framework channel and the Graph emulator
 * (mail). The server's clock is libfaketime's, moved through a timestamp file (monotonic time stays real). Alice and
 * the incident manager have the app installed (the bot's 1:1 chats with them can be opened); Bob has not (Teams answers
 * 403 BotNotInConversationRoster, so he is @mentioned in the incident's conversation instead).
 */
const APP_ID = '9d6c3f1e-7777-4222-8333-944444444444';
const PASSWORD = 'not-a-real-secret-policy-e2e';
const TEAM = '19:team@thread.tacv2';
const EXAMPLE = path.resolve(__dirname, '../../firebreak.org.example.yml');
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
/** Without libfaketime (apt-get install -y faketime) the timed tests say so and are skipped. */
const FAKETIME = existsSync(FAKETIME_LIB);
if (!FAKETIME) process.stdout.write(`[firebreak] ${FAKETIME_LIB} not found: the policy's timed tests are SKIPPED\n`);
const timed = FAKETIME ? test : test.skip;

/** Patti Fernandez is the example's incident manager (firebreak.org.example.yml). */
const MANAGER = { email: 'pattif@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000024' };
const SEV2 = 'Code orange: checkout or payments are broken for many customers';

let channel: BotChannel;
let graph: GraphEmulator;
let firebreak: RunningFirebreak;
const caFile = path.join(tmpdir(), `firebreak-policy-ca-${randomUUID()}.pem`);
const clockFile = path.join(tmpdir(), `firebreak-policy-clock-${randomUUID()}`);
const orgFile = path.join(tmpdir(), `firebreak-policy-org-${randomUUID()}.yml`);
/**
 * The server's clock only moves forward, across the whole file (each test's times are relative to its own incident):
 * a clock set back by hours left outside calls of the server waiting.
 */
let offsetMinutes = 0;
const setClock = (offset: string) => writeFileSync(clockFile, `${offset}\n`);
/** Moves the server's clock `minutes` further on. */
const advance = (minutes: number) => setClock(`+${(offsetMinutes += minutes)}m`);
/**
 * `eventually`, with the server's clock moving on a minute every few seconds meanwhile. After a jump of hours an
 * outside call of the server sometimes waits until the clock moves again (seen in the runner: an attempt finished only
 * at the next jump; libfaketime + Node timers, not understood yet); time moving on is what the server sees in life.
 */
function eventuallyTicking<T>(probe: () => T | undefined, what: string): Promise<T> {
  let last = Date.now();
  return eventually(() => {
    if (Date.now() - last > 3_000) {
      last = Date.now();
      advance(1);
    }
    return probe();
  }, what, 45_000);
}

beforeAll(async () => {
  setClock('+0');
  // The example, with the organisation's own word for severity 2.
  writeFileSync(orgFile, readFileSync(EXAMPLE, 'utf8').replace('Major: a key feature is broken or badly degraded for many customers', SEV2));
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT });
  channel.setMembers(TEAM, [ALICE, BOB]);
  channel.installApp([ALICE.aadObjectId, MANAGER.aadObjectId]);
  graph = await startGraphEmulator({
    tenantId: TENANT,
    apps: [{ clientId: APP_ID, clientSecret: PASSWORD, roles: ['Mail.Send', 'Mail.Read'] }],
    users: [{ id: '44444444-5555-4666-8777-888888888888', userPrincipalName: 'firebreak@contoso.test', displayName: 'Firebreak', mail: 'firebreak@contoso.test' }],
    teams: [],
  });
  writeFileSync(caFile, graph.ca);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${path.join(tmpdir(), `firebreak-policy-${randomUUID()}`)}`,
    FIREBREAK_ORG_FILE: orgFile,
    STATUS_URL: 'https://status.contoso.test',
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTHORITY_HOST: graph.url,
    GRAPH_MAIL_SENDER: 'firebreak@contoso.test',
    INCIDENT_MAIL_TO: 'incidents@contoso.test',
    NODE_EXTRA_CA_CERTS: caFile,
    EFFECT_RETRY_BASE_MS: '50',
    EFFECT_RETRY_CAP_MS: '500',
    // A jump of the clock by hours can leave an outside call waiting (seen on the Bot Connector and Graph calls of the
    // effects that fall due at once): a short lease aborts such an attempt within seconds and retries it.
    EFFECT_LEASE_SECONDS: '6',
    ...(FAKETIME && { LD_PRELOAD: FAKETIME_LIB, FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1' }),
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
  await graph?.close();
  for (const f of [caFile, clockFile, orgFile]) rmSync(f, { force: true });
}, 60_000);

const send = async (activity: object) => {
  // Valid for a day of real time: the server's clock may be hours ahead (the hand-off test moves it).
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl, expiresInSeconds: 24 * 3600 }));
  expect(res.status).toBe(200);
};

/** Everything the bot posted in a thread (not the card's rewrites). */
const inThread = (thread: string) => channel.recorded.filter((r) => r.op !== 'update' && r.conversationId.endsWith(`;messageid=${thread}`));
const textsIn = (thread: string) => inThread(thread).filter((r) => !r.activity.attachments).map((r) => readable(r.activity.text) ?? '');
/** Texts the bot sent in its 1:1 chat with the person with this Entra object id. */
const directTo = (aadObjectId: string) => {
  const chats = new Set(channel.personalChats.filter((c) => c.memberId === aadObjectId).map((c) => c.conversationId));
  return channel.recorded.filter((r) => r.op === 'send' && chats.has(r.conversationId)).map((r) => readable(r.activity.text) ?? '');
};
/** The card as it reads now in the thread: the latest post or rewrite of it. */
const cardIn = (thread: string) => channel.recorded.filter((r) => r.conversationId.endsWith(`;messageid=${thread}`) && JSON.stringify(r.activity.attachments ?? []).includes('"verb":"refresh"')).at(-1)?.activity.attachments[0].content;

async function say(thread: string, text: string, opts: { mentions?: (typeof ALICE)[]; from?: typeof ALICE } = {}) {
  const before = channel.recorded.length;
  await send(channelMessage(text, { serviceUrl: channel.serviceUrl, thread, ...opts }));
  await eventually(() => (channel.recorded.slice(before).some((r) => r.conversationId.endsWith(thread)) ? true : undefined), `an answer to "${text}"`);
}

/** The card as Teams fetches it when someone views it (the card's refresh action). */
async function refresh(thread: string, incidentId: string) {
  const res = await post(firebreak.url, invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'refresh', data: { incidentId } }, trigger: 'automatic' }, { serviceUrl: channel.serviceUrl, thread }), channel.signInbound({ serviceUrl: channel.serviceUrl, expiresInSeconds: 24 * 3600 }));
  expect(res.status).toBe(200);
  return (res.body as { value: unknown }).value;
}

async function declare(words: string) {
  const thread = randomUUID();
  await say(thread, `declare ${words} ${thread.slice(0, 8)}`);
  const card = await eventually(() => cardIn(thread), 'the incident card');
  return { thread, number: Number(/INC-(\d+)/.exec(JSON.stringify(card))![1]) };
}

test('an organisation file with its own severity words: the card, its severity choices and help show them', async () => {
  const { thread } = await declare('sev2 Payments failing');
  const card = cardIn(thread);
  expect(adaptiveCardErrors(card)).toEqual([]);
  expect(JSON.stringify(card)).toContain(`"title":"Severity","value":"2: ${SEV2}"`);
  expect(JSON.stringify(card)).toContain(`"title":"2: ${SEV2}"`); // the card's severity form
  await say(thread, 'help');
  const help = await eventually(() => textsIn(thread).find((t) => t.startsWith('Firebreak commands')), 'the help text');
  expect(help).toContain(`• 2: ${SEV2}`);
});

test('impact ends: one break prompt for the whole team, the card shows the break until it is over', async () => {
  const { thread, number } = await declare('sev2 Checkout down');
  await say(thread, 'impact yes');
  await say(thread, 'impact no');
  const prompt = await eventually(() => textsIn(thread).find((t) => /take a break of about 15 minutes/.test(t)), 'the break prompt');
  const back = /back at (\d\d:\d\d) UTC/.exec(prompt)![1];
  expect(prompt).toContain(`INC-${number}: take a break of about 15 minutes, back at ${back} UTC`);
  await eventually(() => (JSON.stringify(cardIn(thread)).includes(`On break until ${back} UTC`) ? true : undefined), 'the card showing the break');
  expect(adaptiveCardErrors(cardIn(thread))).toEqual([]);
  // The move to phase 2 is the same "impact ended": no second prompt.
  await say(thread, 'phase 2');
  await eventually(() => textsIn(thread).find((t) => /Phase moved from 1 to 2/.test(t)), 'the phase follow-up');
  expect(textsIn(thread).filter((t) => /take a break/.test(t))).toHaveLength(1);
  if (!FAKETIME) return;
  // The card judges the break against the clock when it renders (no timer in it): a quarter hour on, it is gone. The
  // rewrite at the end time is an outbox effect with notBefore (test/domain/policy.test.ts); here the card is rendered
  // on demand, as Teams does when someone views it (the refresh action), since a clock moved by hours can leave the
  // Bot Connector call of a rewrite waiting (see the lease note above).
  const incidentId = /"incidentId":"([^"]+)"/.exec(JSON.stringify(cardIn(thread)))![1];
  expect(JSON.stringify(await refresh(thread, incidentId))).toContain(`On break until ${back} UTC`);
  advance(16);
  const after = await refresh(thread, incidentId);
  expect(adaptiveCardErrors(after)).toEqual([]);
  expect(JSON.stringify(after)).not.toContain('On break');
});

test('`action procedure …`: the same short prompt before it starts', async () => {
  const { thread } = await declare('sev3 Search slow');
  await say(thread, 'action procedure restore the search cluster from snapshot');
  const prompt = await eventually(() => textsIn(thread).find((t) => /take a break/.test(t)), 'the break prompt');
  expect(prompt).toContain('Before the long procedure (restore the search cluster from snapshot)');
});

test('`ic @person`: a hand-off card with the state, open roles, next update and what was verified; the hand-off announced', async () => {
  const { thread, number } = await declare('sev2 Orders stuck');
  await say(thread, 'note verified: the queue drains (kubectl get jobs at 10:02)');
  await say(thread, 'ic', { mentions: [BOB] });
  const handoff = await eventually(() => inThread(thread).find((r) => JSON.stringify(r.activity.attachments ?? []).includes('Hand-off')), 'the hand-off card');
  const card = handoff.activity.attachments[0].content;
  expect(adaptiveCardErrors(card)).toEqual([]);
  const text = JSON.stringify(card);
  expect(text).toContain(`INC-${number} · Hand-off`);
  expect(text).toContain('Alice Adams → Bob Brown');
  expect(text).toContain(`2: ${SEV2}`);
  expect(text).toContain('No business liaison yet (expected from severity 2 upward).');
  expect(text).toContain('the queue drains (kubectl get jobs at 10:02)');
  expect(text).toMatch(/"title":"Next update due","value":"(\d{4}-\d\d-\d\d )?\d\d:\d\d UTC"/);
  await eventually(() => textsIn(thread).find((t) => t.includes('Alice Adams handed command to Bob Brown.')), 'the hand-off announced');
});

timed('a 3-hour IC is reminded to hand off in a 1:1, then hourly; none after the hand-off; without a 1:1 in the conversation', async () => {
  const { thread, number } = await declare('sev4 Slow thumbnails');
  const label = `INC-${number}: `;
  const toAlice = () => directTo(ALICE.aadObjectId).filter((t) => t.startsWith(label) && /time to hand off/.test(t));
  const inConversation = () => inThread(thread).filter((r) => /time to hand off/.test(r.activity.text ?? ''));
  advance(181);
  const first = await eventuallyTicking(() => toAlice()[0], "the first hand-off reminder, in Alice's 1:1");
  expect(first).toMatch(new RegExp(`^INC-${number}: Alice Adams has been incident commander for 3 h`));
  // The clock jumps only once this reminder has set its next run: a jump of an hour while its attempt is still in flight
  // outlives the attempt's lease, and the run taken up again is the same first reminder, already sent (CI saw it).
  await eventually(
    () => firebreak.logs.some((l) => l.includes('effect runs again later') && l.includes('"effectKind":"reminder.handoff"') && l.includes(`"incidentNumber":"INC-${number}"`)) || undefined,
    'the hand-off reminder set to run again',
    15_000,
  );
  advance(61);
  await eventuallyTicking(() => (toAlice().length === 2 ? true : undefined), 'the reminder an hour later');
  expect(inConversation()).toEqual([]); // told in her 1:1, not in front of the team
  await say(thread, 'ic', { mentions: [BOB] });
  await eventually(() => textsIn(thread).find((t) => t.includes('handed command to Bob Brown')), 'the hand-off');
  // Bob's own reminder comes three hours after he took command; Alice's (due again at +302m, +362m) retired. Bob has
  // not installed the app (403 to his 1:1): he is @mentioned in the incident's conversation.
  advance(181);
  const bobs = await eventuallyTicking(() => inConversation().find((r) => r.activity.text.includes('Bob Brown has been incident commander for 3 h')), "Bob's reminder, three hours on");
  expect(bobs.activity.entities).toEqual([{ type: 'mention', text: '<at>Bob Brown</at>', mentioned: { id: BOB.id, name: 'Bob Brown' } }]);
  expect(channel.personalChats.some((c) => c.memberId === BOB.aadObjectId)).toBe(false);
  expect(toAlice()).toHaveLength(2);
}, 120_000);

timed('an update overdue by 30 minutes notifies the incident managers once: mail, a 1:1 chat, and the conversation told who was', async () => {
  const { thread, number } = await declare('sev2 Refunds failing');
  const mails = () => graph.mailbox().filter((m) => m.to.includes(MANAGER.email) && m.subject.startsWith(`INC-${number}:`));
  advance(91);
  const mail = await eventuallyTicking(() => mails()[0], 'the mail to the incident manager');
  expect(mail.subject).toMatch(new RegExp(`^INC-${number}: the stakeholder update is overdue by 3[0-9] min$`));
  const direct = await eventually(() => directTo(MANAGER.aadObjectId).find((t) => t.startsWith(`INC-${number}: the stakeholder update is overdue`)), "the incident manager's 1:1");
  expect(direct).toContain('Incident managers: please check in with Alice Adams (incident commander).');
  const said = await eventually(() => inThread(thread).find((r) => /incident managers told/i.test(r.activity.text ?? '')), 'the message in the incident conversation');
  expect(said.activity.text).toContain('Incident managers told: Patti Fernandez.');
  expect(said.activity.entities ?? []).toEqual([]); // told in her 1:1: not notified a second time here
  // The reminder keeps coming every quarter hour; the managers are told once for this missed update. The clock jumps
  // once the manager's notice (person.notify) has settled: a jump while its attempt is in flight outlives the lease,
  // and the attempt taken up again cannot know whether its 1:1 went out, so it says it again (at least once; a full run saw it).
  await eventually(
    () => firebreak.logs.some((l) => l.includes('"msg":"effect done"') && l.includes('"effectKind":"person.notify"') && l.includes(`"incidentNumber":"INC-${number}"`)) || undefined,
    "the manager's notice settled",
    15_000,
  );
  advance(16);
  await eventuallyTicking(() => (textsIn(thread).filter((t) => /a stakeholder update is overdue by/.test(t)).length >= 2 ? true : undefined), 'a later overdue reminder');
  expect(mails()).toHaveLength(1);
  expect(directTo(MANAGER.aadObjectId).filter((t) => t.startsWith(`INC-${number}:`))).toHaveLength(1);
}, 120_000);
