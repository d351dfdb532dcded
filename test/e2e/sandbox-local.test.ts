import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post, readable } from '../harness/activities';
import { chromiumAvailable, launchChromium, localPage, screenshotOnFailure } from '../harness/browser';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Local mode's sandbox as a person uses it, through the real server process: the card's channel and bridge links
 * open sandbox pages, the emulators' state survives a crash and restart, the doc page's rows reach the chat, and a
 * resolved incident's sidebar is read-only. One server for the file; the restart test restarts it on the same port
 * and data folder, so the other tests (each with its own incident) run against either.
 */
let channel: BotChannel;
let firebreak: RunningFirebreak;
const port = String(20000 + Math.floor(Math.random() * 20000));
const dataDir = mkdtempSync(path.join(tmpdir(), 'firebreak-sandbox-e2e-'));
const env = { PORT: port, FIREBREAK_DATA_DIR: dataDir, EFFECT_RETRY_BASE_MS: '50', EFFECT_RETRY_CAP_MS: '500', TIMELINE_SETTLE_MS: '50', LOG_LEVEL: 'info' };
/** PUBLIC_URL's default in local mode: where the card's links lead. */
const publicUrl = `http://localhost:${port}`;

beforeAll(async () => {
  channel = await startBotChannel({ requireAuth: false });
  firebreak = await startFirebreak(env);
}, 60_000);
afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
});

interface SandboxIncident {
  number: number;
  title: string;
  status: string;
  doc?: { state: string; url?: string; id?: string };
  channel?: { state: string; url?: string; name?: string; missing?: boolean };
  bridge?: { state: string; url?: string; subject?: string; missing?: boolean };
  mails: { id: string; subject: string }[];
}

const sandboxIncident = async (number: number): Promise<SandboxIncident | undefined> => {
  const res = await fetch(`${firebreak.url}/sandbox/state`);
  return res.ok ? ((await res.json()) as { incidents: SandboxIncident[] }).incidents.find((i) => i.number === number) : undefined;
};

/** Declares an incident and waits until its channel, bridge, doc and mail are all there. */
async function declare(title: string): Promise<{ number: number; conversation: string; thread: string; incident: SandboxIncident; card: () => string }> {
  const activity = channelMessage(`declare sev2 ${title}`, { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity)).status).toBe(200);
  const conversation = activity.conversation.id;
  const first = await eventually(() => channel.recorded.find((r) => r.conversationId === conversation && r.activity.attachments), 'the card');
  const number = Number(/^INC-(\d+): /.exec(first.activity.summary)![1]);
  const incident = await eventually(async () => {
    const i = await sandboxIncident(number);
    return i?.channel?.name && i.bridge?.subject && i.doc?.state === 'ready' && i.mails.length ? i : undefined;
  }, 'channel, bridge, doc and mail', 30_000);
  const card = () => JSON.stringify(channel.current(first.conversationId, first.activityId) ?? {});
  return { number, conversation, thread: activity.id, incident, card };
}

const said = (conversation: string) => channel.recorded.filter((r) => r.conversationId.startsWith(conversation)).map((r) => readable(r.activity.text) ?? '').filter(Boolean);

/** A GET with a Host header of our choosing (fetch sets its own), as a page that rebinds its name to 127.0.0.1. */
function statusWithHost(url: string, host: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: u.port, path: u.pathname, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('the card links to sandbox pages: the channel with its messages, the bridge with its join link and people, the mailbox', async () => {
  const { number, incident, card } = await declare('Cart "A&B" <5% broken');
  const links = await eventually(() => {
    const text = card();
    const channelUrl = /http:\/\/localhost:\d+\/sandbox\/channels\/[^)"\s\\]+/.exec(text)?.[0];
    const bridgeUrl = /http:\/\/localhost:\d+\/sandbox\/meetings\/[^)"\s\\]+/.exec(text)?.[0];
    return channelUrl && bridgeUrl ? { channelUrl, bridgeUrl, text } : undefined;
  }, 'the card with both sandbox links', 15_000);
  expect(links.text).not.toContain('teams.microsoft.com');
  expect(links.channelUrl.startsWith(`${publicUrl}/`)).toBe(true);

  const channelPage = await fetch(links.channelUrl);
  expect(channelPage.status).toBe(200);
  expect(channelPage.headers.get('content-security-policy')).toContain("script-src 'self'");
  const channelHtml = await channelPage.text();
  expect(channelHtml).toContain(`#${incident.channel!.name}`);
  expect(channelHtml).toContain('The incident card');
  expect(channelHtml).toContain(`INC-${number}: Cart &#34;A&#38;B&#34; &#60;5% broken`);
  expect(channelHtml).not.toContain('<5%');
  expect(channelHtml).toContain('<a href="/sandbox">Back to the sandbox</a>');

  const bridgePage = await fetch(links.bridgeUrl);
  expect(bridgePage.status).toBe(200);
  const bridgeHtml = await bridgePage.text();
  expect(bridgeHtml).toContain('Join link');
  expect(bridgeHtml).toContain(`href="${links.bridgeUrl}"`);
  expect(bridgeHtml).toContain('Attendees');
  expect(bridgeHtml).toContain('Alice Adams');
  expect(bridgeHtml).not.toContain('<5%');

  const mailbox = await (await fetch(`${firebreak.url}/sandbox/mail`)).text();
  expect(mailbox).toContain(`id="mail-${incident.mails[0].id}"`);
  expect(mailbox).toContain(`INC-${number}: Cart &#34;A&#38;B&#34; &#60;5% broken`);
  expect(mailbox).not.toContain('<5%');
  expect(mailbox).toContain(`href="${links.bridgeUrl}"`); // the announcement's bridge link leads to the sandbox too

  // Behind the same host check as every local endpoint; unknown ids are a plain 404.
  expect(await statusWithHost(links.channelUrl, `rebind.example:${port}`)).toBe(421);
  expect(await statusWithHost(`${firebreak.url}/sandbox/mail`, `rebind.example:${port}`)).toBe(421);
  expect((await fetch(`${firebreak.url}/sandbox/channels/19%3Anope`)).status).toBe(404);
  expect((await fetch(`${firebreak.url}/sandbox/meetings/%E0%A4%A`)).status).toBe(404);
}, 60_000);

test('after a crash and restart the channel, bridge, mail and doc are still there: nothing shows as being assembled', async () => {
  const { number, incident } = await declare('Search results empty');
  await firebreak.kill(); // SIGKILL: whatever the emulators answered must already be on disk
  firebreak = await startFirebreak(env);

  const after = (await sandboxIncident(number))!;
  expect(after.channel).toMatchObject({ state: 'ready', name: incident.channel!.name, url: incident.channel!.url });
  expect(after.channel!.missing).toBeUndefined();
  expect(after.bridge).toMatchObject({ state: 'ready', subject: incident.bridge!.subject });
  expect(after.bridge!.missing).toBeUndefined();
  expect(after.mails.map((m) => m.id)).toEqual(incident.mails.map((m) => m.id));
  expect((await fetch(incident.channel!.url!)).status).toBe(200);
  expect((await fetch(incident.bridge!.url!)).status).toBe(200);
  expect((await fetch(incident.doc!.url!)).status).toBe(200);
}, 90_000);

/** What the doc page polls: the doc's revision, its article, the timeline rows (header left out). */
const docState = async (docUrl: string) => (await (await fetch(`${docUrl}/state`)).json()) as { revision: string; article: string; timeline: string[][] };

/** A POST to the doc page's one write, as its script sends it (JSON), with extra headers when told. */
function postRow(docUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const u = new URL(`${docUrl}/timeline`);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

test('a row typed on the doc page goes through Docs batchUpdate as that person and arrives in chat; so does an edit of it', async () => {
  const { conversation, incident } = await declare('Checkout slow in EU');
  const docUrl = incident.doc!.url!;
  const page = await (await fetch(docUrl)).text();
  expect(page).toContain('Add a timeline row');
  expect(page).toContain('<option value="meganb@firebreak.test" data-name="Megan Bowen">');

  // Firebreak has written what it writes at first (the links, the declaration's row): Drive then names the last
  // editor of a person's row (a write of Firebreak's in between would make it "someone": Drive names only the last).
  await eventually(async () => {
    const s = await docState(docUrl);
    const entries = (s.timeline as string[][]).map((r) => r[2]);
    const written = ['Declared', 'Channel ', 'Meeting bridge opened.'].every((start) => entries.some((e) => e.startsWith(start)));
    return written && !s.article.includes('being set up') ? true : undefined;
  }, 'the doc filled in', 20_000);
  const megan = 'meganb@firebreak.test';
  const added = await postRow(docUrl, { by: megan, add: { time: '10:42', who: 'Megan', entry: 'Failed over to <b>eu-west-2</b>' } });
  expect(added).toMatchObject({ status: 200, body: { revision: expect.any(String) } });
  await eventually(() => said(conversation).find((t) => t.includes('added in the doc by Megan Bowen') && t.includes('10:42: Failed over to <b>eu-west-2</b>')), 'the new row in chat', 20_000);

  // Firebreak tags the person's row (a named range: a write of its own); an edit made before that would be
  // Firebreak's last write by the time it is read, so the edit comes after, as people edit a row later.
  const state = await eventually(async () => {
    const s = await docState(docUrl);
    return s.revision !== added.body.revision ? s : undefined;
  }, "Firebreak's tag on the new row");
  const row = (state.timeline as string[][]).findIndex((r) => r[2] === 'Failed over to <b>eu-west-2</b>') + 1;
  expect(row).toBeGreaterThan(0);
  const was = { time: '10:42', who: 'Megan', entry: 'Failed over to <b>eu-west-2</b>' };
  expect(await postRow(docUrl, { by: megan, edit: { row, was, cells: { ...was, entry: 'Failed over to eu-west-2 and eu-central-1' } } })).toMatchObject({ status: 200 });
  await eventually(() => said(conversation).find((t) => t.includes('changed in the doc by Megan Bowen') && t.includes('Now: Failed over to eu-west-2 and eu-central-1')), 'the edit in chat', 20_000).catch((err) => {
    throw new Error(`${err.message}; said: ${JSON.stringify(said(conversation))}`);
  });
  // Told once each, never echoed back as new.
  expect(said(conversation).filter((t) => t.includes('Failed over to'))).toHaveLength(2);

  // What the write refuses, each with a one-line reason and nothing written.
  const before = (await docState(docUrl)).revision;
  expect(await postRow(docUrl, { by: megan, edit: { row, was, cells: { ...was, entry: 'stale' } } })).toMatchObject({ status: 409, body: { error: expect.stringContaining('changed while you were editing') } });
  expect(await postRow(docUrl, { by: 'mallory@evil.test', add: { time: '', who: '', entry: 'x' } })).toMatchObject({ status: 400 });
  expect(await postRow(docUrl, { by: megan, add: { time: '', who: '', entry: '  ' } })).toMatchObject({ status: 400, body: { error: 'Write the entry: what happened.' } });
  expect(await postRow(docUrl, { by: megan, add: { time: '', who: '', entry: 'x' } }, { 'content-type': 'text/plain' })).toMatchObject({ status: 415 });
  expect(await postRow(docUrl, { by: megan, add: { time: '', who: '', entry: 'x' } }, { 'sec-fetch-site': 'cross-site' })).toMatchObject({ status: 403 });
  expect(await statusWithHost(docUrl, `rebind.example:${new URL(docUrl).port}`)).toBe(421);
  expect((await docState(docUrl)).revision).toBe(before);
}, 60_000);

/** The sandbox page's sidebar: the real add-on endpoint, called with signed requests as the Playground's user. */
async function sidebar(docId: string, action?: { parameters: Record<string, string>; formInputs?: Record<string, string> }): Promise<{ card: any; notification?: string }> {
  const res = await fetch(`${firebreak.url}/sandbox/addon`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docId, ...action }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { card: any; notification?: string };
}

test('a resolved incident shows in the sidebar as resolved, read-only, with the time; an entry from an older card is refused in plain words', async () => {
  const { number, thread, incident } = await declare('Login page times out');
  const active = await sidebar(incident.doc!.id!);
  expect(active.card.header.subtitle).toBe('Severity 2 · Phase 1');
  const addEntry = JSON.stringify(active.card).match(/"parameters":\[[^\]]*"addEntry"[^\]]*\]/)?.[0];
  const parameters = Object.fromEntries(JSON.parse(addEntry!.slice('"parameters":'.length)).map((p: { key: string; value: string }) => [p.key, p.value]));

  // `resolve confirm <summary>` resolves in one step once issue 14 item 13 lands; until then it resolves at once too.
  expect((await post(firebreak.url, channelMessage('resolve confirm Raised the session pool', { serviceUrl: channel.serviceUrl, thread }))).status).toBe(200);
  await eventually(async () => ((await sandboxIncident(number))?.status === 'resolved' ? true : undefined), 'the resolution');

  const resolved = await sidebar(incident.doc!.id!);
  expect(resolved.card.header.subtitle).toMatch(/^Resolved \d\d:\d\d UTC$/);
  const text = JSON.stringify(resolved.card);
  expect(text).toContain('Resolved: read-only');
  expect(text).not.toContain('textInput');
  expect(text).not.toContain('selectionInput');
  expect(text).not.toContain('"addEntry"');

  const refused = await sidebar(incident.doc!.id!, { parameters, formInputs: { entry: 'A late note from the sidebar' } });
  expect(refused.notification).toBe(
    `INC-${number} was resolved at ${resolved.card.header.subtitle.slice('Resolved '.length)}, so the sidebar is read-only and nothing was added. Add notes in its Teams conversation.`,
  );
  expect(JSON.stringify(refused.card)).not.toContain('A late note from the sidebar'); // the card's timeline is read from the store
}, 60_000);

// The same through the page itself, in headless Chromium: its form and its Edit button (assets/doc.js).
(chromiumAvailable() ? test : test.skip)('in the browser: a row added with the doc page\'s form, then changed with its Edit button, each arrives in chat', async () => {
  const { conversation, incident } = await declare('Payments retries piling up');
  const docUrl = incident.doc!.url!;
  await eventually(async () => ((await docState(docUrl)).timeline.some((r) => r[2] === 'Meeting bridge opened.') ? true : undefined), 'the doc filled in', 20_000);
  const browser = await launchChromium();
  const page = await localPage(browser);
  try {
    await screenshotOnFailure(page, 'sandbox doc page', async () => {
      await page.goto(docUrl);
      await page.locator('select[name="by"]').selectOption('adelev@firebreak.test');
      await page.locator('textarea[name="entry"]').fill('Paused the retry queue');
      await page.getByRole('button', { name: 'Add row' }).click();
      const row = page.locator('table[data-timeline] tr').filter({ hasText: 'Paused the retry queue' });
      await row.first().waitFor({ timeout: 15_000 });
      await eventually(() => said(conversation).find((t) => t.includes('added in the doc by Adele Vance') && t.includes('Paused the retry queue')), 'the row in chat', 20_000);

      await row.first().getByRole('button', { name: 'Edit' }).click();
      const editing = page.locator('table[data-timeline] tr').filter({ has: page.locator('textarea[name="entry"]') });
      expect(await editing.locator('textarea[name="entry"]').inputValue()).toBe('Paused the retry queue');
      await editing.locator('textarea[name="entry"]').fill('Paused the retry queue for payments-eu');
      await editing.getByRole('button', { name: 'Save' }).click();
      await page.locator('table[data-timeline] tr').filter({ hasText: 'Paused the retry queue for payments-eu' }).first().waitFor({ timeout: 15_000 });
      // Who is named depends on whether Firebreak's tag on the row landed before the edit (Drive names the last
      // editor); the HTTP test above pins the name. Here: the page's edit reaches the chat as an edit, once.
      await eventually(() => said(conversation).find((t) => t.includes('changed in the doc by') && t.includes('Now: Paused the retry queue for payments-eu')), 'the edit in chat', 20_000);
      expect(said(conversation).filter((t) => t.includes('Paused the retry queue'))).toHaveLength(2);
    });
  } finally {
    await browser.close();
  }
}, 90_000);
