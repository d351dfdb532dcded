import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timeline } from '../../src/domain/timeline';
import { loadOrgFile } from '../../src/org/load';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graph/server';
import { ALICE, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';
import { storeChecks } from '../harness/store-checks';

/**
 * Audience updates end to end (issue 16 items 2, 3): the real server in production mode with the example
 * organisation file, the local Bot Framework channel and the Graph emulator (mail). The server's clock is libfaketime's,
 * moved through a timestamp file the test writes (the reminders); monotonic time stays real, so timers still run.
 */
const APP_ID = '9d6c3f1e-5555-4222-8333-944444444444';
const PASSWORD = 'not-a-real-secret-audiences-e2e';
const ORG_FILE = path.resolve(__dirname, '../../firebreak.org.example.yml');
const org = loadOrgFile(ORG_FILE);
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
/** Without libfaketime (apt-get install -y faketime) the reminder test says so and is skipped, like test-at-midnight. */
const FAKETIME = existsSync(FAKETIME_LIB);
/**
 * The reminder test moves the server's clock through a file of its own; under the midnight runner (scripts/
 * test-at-midnight.ts: the whole process already faked) the server keeps that run's clock and the test is skipped.
 */
const OWN_CLOCK = FAKETIME && !process.env.FAKETIME;
if (!FAKETIME) process.stdout.write(`[firebreak] ${FAKETIME_LIB} not found: the audience reminder test is SKIPPED\n`);

let channel: BotChannel;
let graph: GraphEmulator;
let firebreak: RunningFirebreak;
const caFile = path.join(tmpdir(), `firebreak-audiences-ca-${randomUUID()}.pem`);
const clockFile = path.join(tmpdir(), `firebreak-audiences-clock-${randomUUID()}`);
const databaseUrl = `pglite:${path.join(tmpdir(), `firebreak-audiences-${randomUUID()}`)}`;
const checks = storeChecks();

/** Moves the server's clock: `+0` is now, `+61m` an hour and a minute ahead (libfaketime's relative format). */
const setClock = (offset: string) => writeFileSync(clockFile, `${offset}\n`);

beforeAll(async () => {
  setClock('+0');
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT });
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
    DATABASE_URL: databaseUrl,
    FIREBREAK_ORG_FILE: ORG_FILE,
    STATUS_URL: 'https://status.contoso.test',
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTHORITY_HOST: graph.url,
    GRAPH_MAIL_SENDER: 'firebreak@contoso.test',
    INCIDENT_MAIL_TO: 'incidents@contoso.test',
    NODE_EXTRA_CA_CERTS: caFile,
    EFFECT_RETRY_BASE_MS: '50',
    EFFECT_RETRY_CAP_MS: '500',
    ...(OWN_CLOCK && { LD_PRELOAD: FAKETIME_LIB, FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1' }),
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

/** Says `text` in a thread and returns what the bot posted there after it (texts read, cards as they are). */
async function say(thread: string, text: string): Promise<{ texts: string[]; cards: any[] }> {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread });
  await send(activity);
  const here = () => channel.recorded.slice(before).filter((r) => r.op !== 'update' && r.conversationId === activity.conversation.id);
  await eventually(() => (here().length ? true : undefined), `an answer to "${text}"`);
  return { texts: here().filter((r) => !r.activity.attachments).map((r) => readable(r.activity.text) as string), cards: here().filter((r) => r.activity.attachments).map((r) => r.activity.attachments[0].content) };
}

/** Declares in a thread of its own (severity and impact as given); its number and incident id. */
async function declare(sev: number, impact: boolean) {
  const thread = randomUUID();
  const title = `Payments failing ${thread.slice(0, 8)}`;
  await say(thread, `declare sev${sev} ${title}`);
  checks.declared(title);
  const posted = await eventually(() => channel.recorded.find((r) => r.activity.attachments && r.conversationId.endsWith(thread)), 'the incident card');
  // The declaration's answer is a reply effect that may come after the card: said before the next command's answers.
  await eventually(() => channel.recorded.find((r) => r.conversationId.endsWith(thread) && readable(r.activity.text)?.startsWith('Declared INC-')), 'the declaration\'s answer');
  const number = Number(/^INC-(\d+): /.exec(posted.activity.summary)![1]);
  if (impact) await say(thread, 'impact yes');
  const card = posted.activity.attachments[0].content;
  const incidentId = JSON.stringify(card).match(/"incidentId":"([^"]+)"/)![1];
  return { thread, number, incidentId, title };
}

async function press(thread: string, verb: string, data: Record<string, string>) {
  const body = await send(invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl, thread }));
  expect(body.statusCode).toBe(200);
  expect(adaptiveCardErrors(body.value)).toEqual([]);
  return body.value;
}

/** A template as a pattern: its own words exactly, each {{variable}} any text, {{summary}} the summary given. */
function templatePattern(audience: string, moment: 'update' | 'first_contact', summary: string): RegExp {
  const body = org.audiences.find((a) => a.id === audience)!.templates[moment]!.body;
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${body.split(/(\{\{[^}]+\}\})/).map((part) => (part === '{{summary}}' ? quote(summary) : part.startsWith('{{') ? '.+?' : quote(part))).join('')}$`);
}

const postsIn = (channelId: string) => channel.recorded.filter((r) => r.conversationId.startsWith(channelId) && r.op !== 'update').map((r) => readable(r.activity.text) ?? '');
/** Each post's lines (the subject, then the audience's text). */
const linesIn = (channelId: string) => postsIn(channelId).flatMap((t) => t.split('\n'));
const mailsTo = (to: string) => graph.mailbox().filter((m) => m.to.includes(to));
const textsOfCard = (card: unknown) => JSON.stringify(card);

test('"update" alone opens the card: audiences preselected by severity and impact, previews side by side, sent each on its own channels', async () => {
  const { thread, number, incidentId } = await declare(2, true);
  const { cards } = await say(thread, 'update');
  expect(cards).toHaveLength(1);
  const card = cards[0];
  expect(adaptiveCardErrors(card)).toEqual([]);
  const toggles = Object.fromEntries(JSON.parse(textsOfCard(card)).body.flatMap((b: any) => b.items ?? []).filter((i: any) => i.type === 'Input.Toggle').map((i: any) => [i.id, i.value]));
  // sev2 with customers affected: core always, support (sev2, impact), leadership (sev2), customers (impact); not all employees (sev1).
  expect(toggles).toEqual({ pick_core: 'true', pick_support: 'true', pick_leadership: 'true', pick_employees: 'false', pick_customers: 'true' });

  const summary = `Failover ${randomUUID().slice(0, 6)} under way`;
  const inputs = { incidentId, summary, pick_core: 'true', pick_support: 'true', pick_leadership: 'false', pick_employees: 'false', pick_customers: 'true', moment_core: 'update', moment_support: 'first_contact', text_core: '', text_support: '', text_customers: '' };
  const preview = await press(thread, 'audiences.preview', inputs);
  const columns = preview.body.find((b: any) => b.type === 'ColumnSet').columns.map((c: any) => ({ name: readable(c.items[0].text), text: readable(c.items[1].text) }));
  expect(columns.map((c: any) => c.name)).toEqual(['Core on-call team', 'Front-line support', 'External customers']);
  expect(columns[0].text).toMatch(templatePattern('core', 'update', summary));
  expect(columns[0].text).toContain(`INC-${number}: `);
  expect(columns[1].text).toMatch(templatePattern('support', 'first_contact', summary));
  expect(columns[1].text).toContain('https://status.contoso.test');

  // Preview again with a new summary: a text left as previewed follows it; an edited one is kept.
  const supportText = columns[1].text;
  const data = preview.actions[0].data;
  expect(data.rendered_support).toBe(supportText);
  const again = await press(thread, 'audiences.preview', { ...inputs, ...data, summary: `${summary}, now 50%`, text_support: supportText, text_core: 'Core: as I wrote it' });
  const columnsAgain = again.body.find((b: any) => b.type === 'ColumnSet').columns.map((c: any) => readable(c.items[1].text));
  expect(columnsAgain[0]).toBe('Core: as I wrote it');
  expect(columnsAgain[1]).toMatch(templatePattern('support', 'first_contact', `${summary}, now 50%`));

  const edited = `Core: ${summary}, details in the bridge`;
  const sent = await press(thread, 'audiences.send', { ...inputs, text_core: edited });
  const said = sent.body.map((b: any) => readable(b.text)).join('\n');
  expect(said).toContain('Sent to Core on-call team, Front-line support.');
  expect(said).toContain('External customers: publish it on the status page with "publish');
  expect(said).toMatch(/Front-line support: next update by (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC/);

  await eventually(() => (linesIn('19:core-oncall@thread.tacv2').includes(edited) ? true : undefined), 'the core team told in its Teams channel, as edited').catch((err) => {
    throw new Error(`${err.message}: ${JSON.stringify(channel.recorded.filter((r) => r.conversationId.includes('core')).map((r) => [r.conversationId, r.activity.text]))}`);
  });
  expect(linesIn('19:core-oncall@thread.tacv2')).toContain(`INC-${number} update for Core on-call team`);
  await eventually(() => (linesIn('19:support-frontline@thread.tacv2').some((t) => templatePattern('support', 'first_contact', summary).test(t)) ? true : undefined), 'support told in its channel');
  const mail = await eventually(() => mailsTo('support-leads@example.com').find((m) => m.body.includes(summary)), 'the mail to the support list', 15_000);
  expect(mail.subject).toBe(`INC-${number} update for Front-line support`);
  expect(mail.body).toMatch(templatePattern('support', 'first_contact', summary));
  expect(mailsTo('incident-leadership@example.com').filter((m) => m.body.includes(summary))).toEqual([]);
  // The incident's own card shows each audience's next update.
  await eventually(() => (channel.recorded.some((r) => r.op === 'update' && r.conversationId.endsWith(thread) && /Next update to Front-line support/.test(JSON.stringify(r.activity))) ? true : undefined), 'the incident card showing the audiences due');
  checks.add(async (store) => {
    const entries = timeline(incidentId, (await store.events(incidentId)).map((e) => ({ version: e.version, event: e.event })));
    expect(entries.filter((e) => e.text.startsWith('Update to ')).map((e) => e.text)).toEqual([expect.stringMatching(/^Update to Core on-call team, Front-line support\. Core on-call team: Core: .* \| Front-line support: /)]);
  });
});

test('one line: "update <audience>: <text>" tells that audience; an unknown audience is answered with the list; "update <text>" is as before', async () => {
  const { thread, number } = await declare(3, false);
  const summary = `Rolled back ${randomUUID().slice(0, 6)}`;
  const one = await say(thread, `update leadership: ${summary}`);
  expect(one.texts).toEqual(['Sent to Managers and executives.']);
  const mail = await eventually(() => mailsTo('incident-leadership@example.com').find((m) => m.body.includes(summary)), 'the leadership mail', 15_000);
  expect(mail.body).toMatch(templatePattern('leadership', 'update', summary));
  expect(mail.body.startsWith(`INC-${number}: ${summary} Next update by `)).toBe(true);

  const byName = await say(thread, `update Front-line support: ${summary} again`);
  expect(byName.texts).toEqual(['Sent to Front-line support.']);

  const unknown = await say(thread, 'update execs: hello');
  expect(unknown.texts).toEqual(['There is no audience "execs". The audiences are: core (Core on-call team), support (Front-line support), leadership (Managers and executives), employees (All employees), customers (External customers).']);

  const customers = await say(thread, `update customers: ${summary}`);
  expect(customers.texts[0]).toMatch(/^External customers: publish it on the status page with "publish/);

  const plain = await say(thread, `update the database is back: ${summary} plain`);
  expect(plain.texts.join('\n')).toContain(`${summary} plain`);
  await eventually(() => mailsTo('incidents@contoso.test').find((m) => m.body.includes(`${summary} plain`)), 'today\'s update mail to the incidents list', 15_000);
});

(OWN_CLOCK ? test : test.skip)('reminders: the customers-facing audience is due within the hour with impact, and an overdue reminder repeats', async () => {
  const { thread, number } = await declare(3, true);
  await say(thread, `update support: investigating ${randomUUID().slice(0, 6)}`);
  await say(thread, `update leadership: investigating`);
  const reminders = () => postsIn(`19:ops-channel@thread.tacv2;messageid=${thread}`).filter((t) => /the update for/.test(t));
  try {
    setClock('+61m');
    const first = await eventually(() => reminders().find((t) => /Front-line support is (due now|overdue by 1 min)/.test(t)), 'the reminder for support, an hour on', 15_000);
    expect(first).toContain(`INC-${number}: the update for Front-line support`);
    expect(first).toContain('Alice Adams (incident commander): Front-line support were promised an update by');
    // Managers hear every 2 hours at severity 3 (not held to the hour): no reminder yet.
    expect(reminders().some((t) => /Managers and executives/.test(t))).toBe(false);
    // The first reminder's attempt records its next run after the post is seen: the clock jumps only once it has.
    // A jump while it is still in flight outlives its lease, so the attempt runs again at the later hour as the SAME
    // occurrence, whose post was already made (sent once): the repeat then never comes. The line must be this
    // incident's: earlier tests' incidents are reminded too (CI once saw another incident's line and jumped early).
    await eventually(
      () => firebreak.logs.some((l) => l.includes('effect runs again later') && l.includes(`"incidentNumber":"INC-${number}"`) && l.includes(':support:')) || undefined,
      'the support reminder set to run again',
      15_000,
    );
    setClock('+77m');
    await eventually(() => reminders().find((t) => /Front-line support is overdue by 1[5-7] min/.test(t)), 'the overdue reminder again a quarter hour on', 15_000);
  } catch (err) {
    process.stderr.write(`${firebreak.logs.filter((l) => /remind|effect|error|warn/i.test(l)).slice(-40).join('\n')}\n`);
    throw err;
  } finally {
    setClock('+0');
  }
}, 60_000);
