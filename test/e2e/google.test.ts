import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BotChannel } from '../../src/sandbox/botframework';
import type { GoogleSandbox } from '../../src/sandbox/google';
import { channelMessage, post } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { googleDeployment, isFill, type GoogleDeployment } from '../harness/google-deployment';

/**
 * The incident doc end to end: the real server process in production mode, configured like a real deployment
 * (a service account key file, domain-wide delegation, a template in a shared drive), talking to the local
 * Bot Framework channel and the Google sandbox over HTTP. The card gains its doc link.
 */
let deployment: GoogleDeployment;
let channel: BotChannel;
let google: GoogleSandbox;
let firebreak: RunningFirebreak;
let driveId: string;

beforeAll(async () => {
  deployment = await googleDeployment({ appId: '9d6c3f1e-1111-4222-8333-944444444444', password: 'not-a-real-secret-e2e-google' });
  ({ channel, google, driveId } = deployment);
  firebreak = await startFirebreak({
    ...deployment.env,
    DATABASE_URL: `pglite:${path.join(tmpdir(), `firebreak-e2e-google-${randomUUID()}`)}`,
    GOOGLE_SHARE_GROUPS: 'oncall@example.com',
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await deployment?.close();
});

const declare = (title: string) => {
  const activity = channelMessage(`declare sev2 ${title}`, { serviceUrl: channel.serviceUrl });
  return { activity, sent: post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl })) };
};
const cardTexts = (conversationId: string) =>
  channel.recorded.filter((r) => r.conversationId === conversationId && r.activity.attachments).map((r) => JSON.stringify(r.activity.attachments[0].content));

test('declaring an incident makes its doc, filled and shared, and the card gains the link', async () => {
  const { activity, sent } = declare('Checkout API returning 500s');
  expect((await sent).status).toBe(200);
  await eventually(() => cardTexts(activity.conversation.id).find((t) => t.includes('Incident doc: assembling')), 'the card saying the doc is on its way');

  const link = await eventually(
    () => cardTexts(activity.conversation.id).map((t) => /Incident doc: \[INC-(\d+) Checkout API returning 500s\]\(([^)]+)\)/.exec(t)).find((m) => m !== null),
    'the card with the doc link',
  );
  const file = google.files().find((f) => f.name === `INC-${link[1]} Checkout API returning 500s`)!;
  expect(link[2]).toBe(`${google.url}/sandbox/docs/${file.id}`);
  expect(file).toMatchObject({ driveId, appProperties: { firebreakKind: 'incident-doc' } });
  expect(file.permissions.map((p) => [p.type, p.domain ?? p.emailAddress, p.role])).toEqual([
    ['domain', 'example.com', 'writer'],
    ['group', 'oncall@example.com', 'writer'],
  ]);
  const html = await (await fetch(link[2])).text();
  expect(html).toContain(`INC-${link[1]}: Checkout API returning 500s`);
  expect(html).toContain('Incident commander: Alice Adams');
  expect(html).not.toContain('{{');
});

test('while Google fails the card says the doc is retrying, and the link arrives once Google is back', async () => {
  google.fault({ match: 'drive.files.copy', status: 503 });
  const { activity, sent } = declare('Search is slow');
  expect((await sent).status).toBe(200);
  await eventually(() => cardTexts(activity.conversation.id).find((t) => t.includes('Incident doc: retrying (creating the incident doc: Google answered 503')), 'the retrying card', 20_000);
  google.fault(undefined);
  await eventually(() => cardTexts(activity.conversation.id).find((t) => /Incident doc: \[INC-\d+ Search is slow\]/.test(t)), 'the doc link after the outage', 20_000);
  expect(google.files().filter((f) => f.name.endsWith(' Search is slow'))).toHaveLength(1);
}, 45_000);

test('no secret of the service account reaches the logs', async () => {
  // Its own doc, made with a token signed by the service account's key, so the logs below saw it used.
  const { activity, sent } = declare('Status page slow to load');
  expect((await sent).status).toBe(200);
  await eventually(() => cardTexts(activity.conversation.id).find((t) => /Incident doc: \[INC-\d+ Status page slow to load\]/.test(t)), 'the card with the doc link');
  const logs = firebreak.logs.join('\n');
  expect(logs).not.toContain('PRIVATE KEY');
  expect(logs).not.toMatch(/ya29\.[A-Za-z0-9._-]{10,}/);
});

test('the doc is filled once, with what changed while it was being copied, and no write races another', async () => {
  // The copy is made, but its answer waits until the severity changes: the one fill must carry the new severity.
  let changed: Promise<unknown> | undefined;
  const title = 'Payments queue backing up';
  const { activity, sent } = declare(title);
  google.fault({
    match: 'drive.files.copy',
    times: 1,
    after: () => (changed = (async () => {
      await sent;
      const res = await post(firebreak.url, channelMessage('sev 1', { serviceUrl: channel.serviceUrl, thread: activity.id }), channel.signInbound({ serviceUrl: channel.serviceUrl }));
      expect(res.status).toBe(200);
    })()),
  });
  expect((await sent).status).toBe(200);
  const file = await eventually(() => google.files().find((f) => f.name.endsWith(` ${title}`)), 'the doc', 20_000);
  await eventually(() => (changed ? true : undefined), 'the copy, answered once the severity changed');
  await changed;
  const html = await eventually(async () => {
    const page = await (await fetch(`${google.url}/sandbox/docs/${file.id}`)).text();
    return page.includes('Severity: 1 (') && page.includes('Declared:') && page.includes('Severity raised from 2 to 1') ? page : undefined;
  }, 'the doc filled at severity 1, its timeline written', 20_000);
  expect(html).not.toContain('{{');
  const calls = google.calls.filter((c) => c.documentId === file.id);
  expect(calls.filter(isFill)).toHaveLength(1);
  expect(calls.filter((c) => c.status === 400)).toEqual([]);
}, 45_000);
