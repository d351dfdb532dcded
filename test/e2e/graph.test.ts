import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graph/server';
import { channelMessage, post, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * Graph end to end: the real server process in production mode, the local Bot Framework channel, and the
 * Graph emulator over HTTPS trusted only through NODE_EXTRA_CA_CERTS, as a deployment would trust a CA.
 */
const APP_ID = '9d6c3f1e-1111-4222-8333-944444444444';
const TENANT_ID = TENANT; // the tenant the harness's activities come from: Firebreak serves no other
const PASSWORD = 'not-a-real-secret-graph-e2e';
const TEAM = '22222222-3333-4444-5555-666666666666';
const ORGANIZER = '33333333-4444-4555-8666-777777777777';

let channel: BotChannel;
let graph: GraphEmulator;
let firebreak: RunningFirebreak;
const caFile = path.join(tmpdir(), `firebreak-graph-ca-${randomUUID()}.pem`);
const databaseDir = path.join(tmpdir(), `firebreak-graph-e2e-${randomUUID()}`);

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT_ID });
  graph = await startGraphEmulator({
    tenantId: TENANT_ID,
    // The bot's own app registration calls Graph too (GRAPH_CLIENT_ID defaults to MICROSOFT_APP_ID).
    apps: [{ clientId: APP_ID, clientSecret: PASSWORD, roles: ['Channel.Create', 'Channel.ReadBasic.All', 'OnlineMeetings.ReadWrite.All', 'Mail.Send'] }],
    users: [
      { id: ORGANIZER, userPrincipalName: 'bridges@contoso.test', displayName: 'Incident bridges' },
      { id: '44444444-5555-4666-8777-888888888888', userPrincipalName: 'firebreak@contoso.test', displayName: 'Firebreak', mail: 'firebreak@contoso.test' },
    ],
    teams: [{ id: TEAM, displayName: 'Incidents' }],
    accessPolicies: [{ appIds: [APP_ID], users: [ORGANIZER] }],
  });
  writeFileSync(caFile, graph.ca);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${databaseDir}`,
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTHORITY_HOST: graph.url,
    GRAPH_INCIDENT_TEAM_ID: TEAM,
    GRAPH_MEETING_ORGANIZER_ID: ORGANIZER,
    GRAPH_MAIL_SENDER: 'firebreak@contoso.test',
    INCIDENT_MAIL_TO: 'incidents@contoso.test',
    NODE_EXTRA_CA_CERTS: caFile,
    EFFECT_RETRY_BASE_MS: '50',
    EFFECT_RETRY_CAP_MS: '500',
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
  await graph?.close();
  rmSync(caFile, { force: true });
  rmSync(databaseDir, { recursive: true, force: true });
});

const cardText = (activity: Record<string, any>) => JSON.stringify(activity.attachments?.[0]?.content ?? {});

/** Declares in a thread of its own; its card, and the channel and bridge Graph made for it (found by its number). */
async function declare(title: string, slug: string) {
  const activity = channelMessage(`declare sev2 ${title}`, { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }))).status).toBe(200);
  const card = await eventually(
    () => channel.recorded.find((r) => r.conversationId === activity.conversation.id && r.activity.attachments),
    'the card in the conversation it was declared in',
  );
  const number = Number(/^INC-(\d+): /.exec(card.activity.summary)![1]);
  const channelName = `inc-${number}-${slug}`;
  const incidentChannel = await eventually(() => graph.channels(TEAM).find((c) => c.displayName === channelName), `the incident channel ${channelName}`, 15_000);
  const meeting = await eventually(() => graph.meetings().find((m) => m.subject === `INC-${number}: ${title}`), 'the meeting bridge', 15_000);
  return { activity, card, number, channelName, incidentChannel, meeting };
}

test('a declaration: the card gains its channel and bridge links, and is posted into the new channel', async () => {
  const { activity, card, number, channelName, incidentChannel, meeting } = await declare('Checkout API returning 500s', 'checkout-api-returning-500s');

  // card.refresh: the same activity updated in place (PUT) until it shows both links.
  const updated = await eventually(() => {
    const current = channel.current(card.conversationId, card.activityId);
    const text = current ? cardText(current) : '';
    return text.includes(incidentChannel.webUrl) && text.includes(meeting.joinWebUrl) ? current : undefined;
  }, 'the card updated with the channel and bridge links', 15_000);
  expect(channel.recorded.some((r) => r.op === 'update' && r.activityId === card.activityId)).toBe(true);
  expect(cardText(updated)).toContain(`Channel: [#${channelName}](${incidentChannel.webUrl})`);
  expect(cardText(updated)).toContain(`Meeting bridge: [Meeting bridge](${meeting.joinWebUrl})`);
  expect(adaptiveCardErrors(updated.attachments[0].content)).toEqual([]);

  // The card opens a thread in the new channel: POST v3/conversations with channelData.channel.id.
  const inChannel = await eventually(
    () => channel.recorded.find((r) => r.op === 'create' && r.conversationId.startsWith(`${incidentChannel.id};messageid=`)),
    'the card posted into the incident channel',
    15_000,
  );
  expect(inChannel.activity.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(inChannel.conversationId).toBe(`${incidentChannel.id};messageid=${inChannel.activityId}`);

  // And the incidents list got the declaration, with both links.
  const mail = await eventually(() => graph.mailbox().find((m) => m.subject === `INC-${number}: Checkout API returning 500s`), 'the declaration mail', 15_000);
  expect(mail).toMatchObject({ from: 'firebreak@contoso.test', to: ['incidents@contoso.test'] });
  expect(mail.body.split('\n\n')[0]).toBe(
    `Severity 2, phase 1. Alice Adams is incident commander. Coordinating via #${channelName} (${incidentChannel.webUrl}) and Meeting bridge (${meeting.joinWebUrl}).`,
  );

  // `status` in the conversation shows the channel and the bridge as links by their names, not as long URLs.
  const ask = channelMessage('status', { serviceUrl: channel.serviceUrl, thread: activity.conversation.id.split('=')[1] });
  ask.conversation = { ...ask.conversation, id: activity.conversation.id };
  await post(firebreak.url, ask, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  const status = await eventually(() => channel.recorded.find((r) => r.activity.text?.startsWith(`INC-${number}: Checkout`)), 'the status answer', 15_000);
  expect(status.activity.text).toContain(`Coordinating via [#${channelName}](${incidentChannel.webUrl}) and [Meeting bridge](${meeting.joinWebUrl}).`);
}, 30_000);

test('Graph saw app-only tokens from the bot app and nothing it does not emulate; one channel and one bridge an incident', async () => {
  const { number, channelName } = await declare('Search is slow', 'search-is-slow');
  await eventually(() => graph.mailbox().find((m) => m.subject === `INC-${number}: Search is slow`), 'the declaration mail', 15_000);
  const statuses = graph.requests.map((r) => r.status);
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses).not.toContain(401);
  expect(statuses).not.toContain(501);
  expect(graph.channels(TEAM).filter((c) => c.displayName === channelName)).toHaveLength(1);
  expect(graph.meetings().filter((m) => m.subject === `INC-${number}: Search is slow`)).toHaveLength(1);
  expect(firebreak.logs.join('\n')).not.toContain(PASSWORD);
}, 30_000);
