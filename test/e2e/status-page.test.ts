import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { freshPostgresUrl } from '../harness/databases';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { STATUSPAGE_DOCUMENTS, statuspageErrors } from '../harness/statuspage';

/**
 * The status page end to end, through the real server process: declare in Teams → `publish` → the page, the
 * Statuspage-compatible API (validated against a schema written from Statuspage's reference), the Atom feed and the
 * embed show what was published and nothing internal; an update and a resolve follow through.
 */
const APP_ID = '3f0c6a55-2222-4333-8444-955555555516';
const STATUS_HOST = 'status.firebreak.test';
const ORG_FILE = path.resolve(__dirname, '../../firebreak.org.example.yml');

let channel: BotChannel;
let firebreak: RunningFirebreak;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = process.env.TEST_DATABASE_URL ? await freshPostgresUrl() : `pglite:${path.join(require('node:os').tmpdir(), `firebreak-status-${randomUUID()}`)}`;
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'status-e2e-secret', tenantId: TENANT });
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'status-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: databaseUrl,
    FIREBREAK_ORG_FILE: ORG_FILE,
    STATUS_URL: `https://${STATUS_HOST}`,
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

/** Says `text` in a thread (delivered twice: a retry) and returns the bot's plain answers there after it, as read. */
async function say(thread: string, text: string, from = ALICE): Promise<string[]> {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread, from });
  await send(activity);
  await send(activity);
  await eventually(() => (channel.recorded.slice(before).some((r) => !r.activity.attachments && r.conversationId === activity.conversation.id) ? true : undefined), `an answer to "${text}"`);
  return channel.recorded
    .slice(before)
    .filter((r) => !r.activity.attachments && r.op !== 'update' && r.conversationId === activity.conversation.id)
    .map((r) => readable(r.activity.text) as string);
}

async function declareInThread(title: string): Promise<{ thread: string; number: number }> {
  const thread = `thread-${randomUUID()}`;
  const [answer] = await say(thread, `declare sev2 ${title}`);
  const number = Number(/Declared INC-(\d+)/.exec(answer)?.[1]);
  expect(number).toBeGreaterThan(0);
  return { thread, number };
}

const api = async (document: string) => {
  const res = await fetch(`${firebreak.url}/status/api/v2/${document}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
  const body = await res.json();
  expect(statuspageErrors(document, body)).toEqual([]);
  return body as any;
};
const text = async (p: string) => (await fetch(`${firebreak.url}/status${p}`)).text();

/** A GET with a Host header of our choosing (fetch does not let one set Host). */
function getWithHost(host: string, p: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(firebreak.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: p, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('declare → publish → the page, the API, the feed and the embed show it; an update and a resolve follow through', async () => {
  const secret = `db-7 primary OOM after Dave's deploy ${randomUUID().slice(0, 8)}`;
  const { thread, number } = await declareInThread(secret);

  // Only the commander publishes; nothing reaches the page.
  expect(await say(thread, 'publish checkout: Bob says hi', BOB)).toEqual([`Only the incident commander (Alice Adams) or the customer liaison publishes INC-${number} to the status page.`]);

  const first = await say(thread, 'publish checkout: Some customers cannot complete checkout.');
  expect(first).toHaveLength(1); // delivered twice, published and answered once
  expect(first[0]).toMatch(new RegExp(`^Published INC-${number} to the status page as "Investigating degraded service" \\(investigating\\)`));

  const summary = await api('summary.json');
  const published = summary.incidents.filter((i: any) => i.incident_updates.some((u: any) => u.body.startsWith('Some customers cannot complete checkout.')));
  expect(published).toHaveLength(1);
  const [incident] = published;
  expect(incident).toMatchObject({ name: 'Investigating degraded service', status: 'investigating', impact: 'major', resolved_at: null });
  expect(incident.incident_updates).toHaveLength(1);
  expect(incident.incident_updates[0].body).toMatch(/^Some customers cannot complete checkout\. We will post an update by (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\.$/);
  expect(incident.incident_updates[0].affected_components).toEqual([{ code: 'checkout', name: 'Checkout', old_status: expect.any(String), new_status: 'partial_outage' }]);
  expect(summary.components.find((c: any) => c.id === 'checkout').status).toBe('partial_outage');
  expect(summary.status).toEqual({ indicator: expect.stringMatching(/^(major|critical)$/), description: expect.stringMatching(/Outage$/) });
  for (const document of STATUSPAGE_DOCUMENTS) await api(document);
  expect((await api('incidents/unresolved.json')).incidents.map((i: any) => i.id)).toContain(incident.id);

  // Nothing internal anywhere: not the title, not a name.
  const everything = [JSON.stringify(summary), await text(''), await text('/history.atom'), await text('/embed.js'), JSON.stringify(await api('incidents.json'))];
  for (const served of everything) {
    expect(served).not.toContain('db-7');
    expect(served).not.toContain('Alice');
  }
  const page = await text('');
  expect(page).toContain('<main>');
  expect(page).toContain('Investigating degraded service');
  expect(page).toContain('Some customers cannot complete checkout.');
  const feed = await text('/history.atom');
  expect(feed).toContain(`<id>https://${STATUS_HOST}/#update-${incident.incident_updates[0].id}</id>`);
  expect(await text('/embed.js')).toContain('"name":"Investigating degraded service"');

  // The status origin: Host routing puts the page and the API at the root of STATUS_URL's host.
  const atRoot = await getWithHost(STATUS_HOST, '/api/v2/summary.json');
  expect(atRoot.status).toBe(200);
  expect(JSON.parse(atRoot.body).incidents.map((i: any) => i.id)).toContain(incident.id);
  expect((await getWithHost(STATUS_HOST, '/')).body).toContain('Investigating degraded service');
  expect((await getWithHost(STATUS_HOST, '/healthz')).status).toBe(404); // the status host is the page's only

  // ETag: a client that has it gets 304.
  const res = await fetch(`${firebreak.url}/status/api/v2/status.json`);
  const etag = res.headers.get('etag')!;
  expect((await fetch(`${firebreak.url}/status/api/v2/status.json`, { headers: { 'if-none-match': etag } })).status).toBe(304);

  // An update, then the resolution.
  expect(await say(thread, 'publish identified The cause is found; a fix is rolling out.')).toEqual([expect.stringMatching(/^Published INC-\d+ to the status page as "Investigating degraded service" \(identified\)/)]);
  expect(await say(thread, 'publish resolved Checkout works again for everyone.')).toEqual([expect.stringMatching(/\(resolved\): Checkout works again for everyone\. We apologise for the disruption\.$/m)]);
  const after = await api('incidents.json');
  const resolved = after.incidents.find((i: any) => i.id === incident.id);
  expect(resolved.status).toBe('resolved');
  expect(resolved.resolved_at).toEqual(expect.any(String));
  expect(resolved.incident_updates.map((u: any) => u.status)).toEqual(['resolved', 'identified', 'investigating']);
  expect(resolved.incident_updates[0].affected_components).toEqual([{ code: 'checkout', name: 'Checkout', old_status: 'partial_outage', new_status: 'operational' }]);
  expect((await api('incidents/unresolved.json')).incidents.map((i: any) => i.id)).not.toContain(incident.id);
  expect((await text('')).indexOf('Checkout works again for everyone.')).toBeGreaterThan((await text('')).indexOf('Past incidents'));
  expect(await text('/history.atom')).toContain('Checkout works again for everyone.');
  expect(await text('/embed.js')).not.toContain(incident.id);

  // Each publication is in the incident's timeline, once.
  if (databaseUrl.startsWith('postgres')) {
    const store = await openStore(databaseUrl);
    try {
      const id = (await store.byNumber(number))!.id;
      // Told as the customers' update (their clock and the incident's start again), in the timeline once each.
      const events = (await store.events(id)).map((e) => e.event) as any[];
      expect(events.filter((e) => e.type === 'NoteAdded' && e.text.startsWith('Published'))).toEqual([]);
      const told = events.filter((e) => e.type === 'AudienceUpdateSent');
      expect(told.map((e) => [e.audiences.map((a: any) => [a.customers, a.channels]), e.at === told[0].at || e.at > told[0].at])).toEqual(told.map(() => [[[true, {}]], true]));
      const notes = told.map((e) => e.audiences[0].text);
      expect(notes).toEqual([
        expect.stringMatching(/^Published to the status page \(investigating\): "Investigating degraded service" — Some customers/),
        expect.stringMatching(/^Published to the status page \(identified\)/),
        expect.stringMatching(/^Published to the status page \(resolved\)/),
      ]);
    } finally {
      await store.close();
    }
  }
});

test('a private incident is not published', async () => {
  const threadId = `thread-${randomUUID()}`;
  const data = { formId: randomUUID(), title: 'Secret thing', description: '', severity: '2', customerImpact: 'true', commander: ALICE.id, private: 'true' };
  const answer = await send(invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'message', data }, { serviceUrl: channel.serviceUrl, thread: threadId }));
  const number = Number(/^Declared INC-(\d+)/.exec(answer?.task?.value ?? '')?.[1]);
  expect(number).toBeGreaterThan(0);
  const said = await say(threadId, 'publish Checkout is down');
  expect(said).toEqual([`INC-${number} is private, so it is not published unless you say so explicitly: type "publish private <public text>", or tick "Publish although private" on the card's form.`]);
  expect(JSON.stringify(await api('incidents.json'))).not.toContain('Checkout is down');
});

test('the status API refuses what it does not serve with a reason', async () => {
  const res = await fetch(`${firebreak.url}/status/api/v2/nothing.json`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as any).error).toMatch(/no such status page resource/);
  const put = await fetch(`${firebreak.url}/status/api/v2/summary.json`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(put.status).toBeGreaterThanOrEqual(400);
  expect(put.status).toBeLessThan(500);
});

test('without a mail sender the page offers no subscription, and subscribing says why', async () => {
  expect(await text('')).not.toContain('<form');
  const res = await fetch(`${firebreak.url}/status/subscriptions`, { method: 'POST', body: JSON.stringify({ email: 'a@example.com' }), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(404);
  expect(((await res.json()) as any).error).toMatch(/^subscriptions are off here: no mail sender/);
});
