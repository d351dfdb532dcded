import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { docs_v1 } from '@googleapis/docs';
import { rowTime } from '../../src/domain/doc-time';
import type { GoogleClients } from '../../src/google/clients';
import { findTimeline, planRows } from '../../src/google/timeline';
import type { BotChannel } from '../../src/sandbox/botframework';
import type { GoogleSandbox } from '../../src/sandbox/google';
import { BOB, channelMessage, invoke, messageEvent, post, readable } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { googleDeployment, SUBJECT, type GoogleDeployment } from '../harness/google-deployment';
import { tableRows } from '../integration/google/setup';

/**
 * The doc timeline and the chat kept in step, both ways, end to end: the real server process (production mode,
 * service account, Drive push to its /api/google/notify), the Bot Framework channel and the Google sandbox with
 * the Docs write quota enforced (60 a minute per user), all over HTTP.
 */
let deployment: GoogleDeployment;
let channel: BotChannel;
let google: GoogleSandbox;
let firebreak: RunningFirebreak;
let env: Record<string, string>;

beforeAll(async () => {
  deployment = await googleDeployment({ appId: '9d6c3f1e-1111-4222-8333-955555555555', password: 'not-a-real-secret-e2e-timeline', sandbox: { writesPerMinute: 60, pushDelayMs: 20 } });
  ({ channel, google } = deployment);
  const port = String(20000 + Math.floor(Math.random() * 20000));
  env = {
    ...deployment.env,
    PORT: port,
    DATABASE_URL: `pglite:${path.join(tmpdir(), `firebreak-e2e-timeline-${randomUUID()}`)}`,
    GOOGLE_NOTIFY_URL: `http://127.0.0.1:${port}`,
    TIMELINE_POLL_SECONDS: '0.3',
    TIMELINE_SETTLE_MS: '50',
    TIMELINE_ROW_MAX_CHARS: '120',
    LOG_LEVEL: 'info',
  };
  firebreak = await startFirebreak(env);
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await deployment?.close();
});

const as = (user: string): GoogleClients => deployment.as(user);

const say = async (text: string, thread: string) => {
  const res = await post(firebreak.url, channelMessage(text, { serviceUrl: channel.serviceUrl, thread }), channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
};

/** Declares an incident and waits for its doc; later messages go to its thread, `conversation`. */
async function declare(title: string): Promise<{ thread: string; docId: string; conversation: string }> {
  const activity = channelMessage(`declare sev2 ${title}`, { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }))).status).toBe(200);
  const file = await eventually(() => google.files().find((f) => f.name.endsWith(` ${title}`)), 'the incident doc', 20_000);
  // The declaration's own row: the doc is ready and its timeline is being kept.
  await eventually(() => (entries(file.id).some((e) => e.startsWith('Declared:')) ? true : undefined), 'the declaration row', 20_000);
  return { thread: activity.id, docId: file.id, conversation: activity.conversation.id };
}

/** The timeline table's rows (header left out). */
function rows(docId: string): string[][] {
  const d = google.document(docId);
  const start = d.namedRanges['firebreak.timeline']?.namedRanges[0].ranges[0].startIndex;
  return tableRows(d, start).slice(1);
}
const entries = (docId: string) => rows(docId).map((r) => r[2]);
const tagged = (docId: string) => Object.keys(google.document(docId).namedRanges).filter((n) => n.startsWith('firebreak.row.')).length;
/** Everything Firebreak said in an incident's conversation, as read (each test has its own incident). */
const said = (conversation: string) => channel.recorded.filter((r) => r.conversationId.startsWith(conversation)).map((r) => readable(r.activity.text) ?? '').filter(Boolean);
const saidCount = (conversation: string, fragment: string) => said(conversation).filter((t) => t.includes(fragment)).length;

/** A person's new row, appended through the Docs API as that person (no Firebreak named range). */
async function addRowAs(user: string, docId: string, cells: { time: string; who: string; entry: string }): Promise<void> {
  const clients = as(user);
  const doc = (await clients.docs.documents.get({ documentId: docId })).data;
  const requests = planRows(findTimeline(doc)!, [{ key: 'x', time: cells.time, who: cells.who, entry: cells.entry }]).filter((r) => !r.createNamedRange);
  await clients.docs.documents.batchUpdate({ documentId: docId, requestBody: { requests } });
}

/** Replaces the entry cell of the row whose entry is `from`, as `user` in the Docs API. */
async function editRowAs(user: string, docId: string, from: string, to: string): Promise<void> {
  const clients = as(user);
  const doc = (await clients.docs.documents.get({ documentId: docId })).data;
  const table = doc.body!.content!.find((el) => el.table && el.startIndex === findTimeline(doc)!.start)!.table!;
  const cell = table.tableRows!.map((r) => r.tableCells![2]).find((c) => cellText(c) === from)!;
  const start = cell.startIndex! + 1;
  await clients.docs.documents.batchUpdate({
    documentId: docId,
    requestBody: { requests: [{ deleteContentRange: { range: { startIndex: start, endIndex: cell.endIndex! - 1 } } }, { insertText: { location: { index: start }, text: to } }] },
  });
}
/** The text style of the entry cell whose text is `text`. */
function entryStyle(docId: string, text: string): Record<string, any> | undefined {
  const cells = google.document(docId).body.content.filter((el: any) => el.table).flatMap((el: any) => el.table.tableRows.map((r: any) => r.tableCells[2]));
  const cell = cells.find((c: any) => cellText(c) === text);
  return cell?.content[0].paragraph.elements[0].textRun.textStyle;
}
const cellText = (c: docs_v1.Schema$TableCell) => (c.content ?? []).map((p) => (p.paragraph?.elements ?? []).map((e) => e.textRun?.content ?? '').join('')).join('').replace(/\n$/, '');

test('a burst of 300 notes reaches the doc complete, in order, once each, without one write over the quota', async () => {
  const { thread, docId } = await declare('Burst of notes');
  const notes = Array.from({ length: 300 }, (_, i) => `burst note ${String(i + 1).padStart(3, '0')}`);
  for (const note of notes) await say(`note ${note}`, thread);
  await eventually(() => (entries(docId).filter((e) => e.startsWith('burst note')).length >= 300 ? true : undefined), 'all 300 rows', 90_000);
  expect(entries(docId).filter((e) => e.startsWith('burst note'))).toEqual(notes);
  expect(google.calls.filter((c) => c.status === 429)).toEqual([]);
  expect(google.writesUsed(SUBJECT)).toBeLessThanOrEqual(60);
}, 120_000);

/**
 * Every time cell Firebreak may write for a note made between `from` and `to` on an incident declared in that span:
 * the domain's own format, which adds the date when the note falls on another day than the declaration.
 */
function rowTimesBetween(from: Date, to: Date): string[] {
  const minutes: string[] = [];
  for (let t = Math.floor(from.getTime() / 60_000) * 60_000; t <= to.getTime(); t += 60_000) minutes.push(new Date(t).toISOString());
  return [...new Set(minutes.flatMap((declaredAt, i) => minutes.slice(i).map((at) => rowTime(at, declaredAt))))];
}

test('emoji and multi-line notes are written whole, with time and who; a too-long note is cut with a marker', async () => {
  const from = new Date();
  const { thread, docId } = await declare('Emoji and lines');
  await say('note Rolled back 🚀 to v41\nsecond line ✅ done', thread);
  const long = `Long ${'x'.repeat(200)} end`;
  await say(`note ${long}`, thread);
  await say('note after 🇪🇺 the long one', thread);
  await eventually(() => (entries(docId).includes('after 🇪🇺 the long one') ? true : undefined), 'the rows');
  const to = new Date();
  const table = rows(docId);
  const emoji = table.find((r) => r[2].startsWith('Rolled back'))!;
  expect(emoji[2]).toBe('Rolled back 🚀 to v41\nsecond line ✅ done');
  expect(rowTimesBetween(from, to)).toContain(emoji[0]);
  expect(emoji[1]).toBe('Alice Adams');
  const cut = table.find((r) => r[2].startsWith('Long '))![2];
  expect(cut.length).toBeLessThanOrEqual(120);
  expect(cut.endsWith('… [cut; full text in Firebreak]')).toBe(true);
});

test('"Add to timeline" makes a row linked to the Teams message; editing the message rewrites it, deleting strikes it', async () => {
  const { thread, docId, conversation } = await declare('Recorded messages');
  const send = async (activity: unknown) => expect((await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }))).status).toBe(200);
  const link = 'https://teams.microsoft.com/l/message/x/msg-600';
  await send(
    invoke('composeExtension/fetchTask', {
      commandId: 'addToTimeline',
      commandContext: 'message',
      messagePayload: { id: 'msg-600', body: { contentType: 'html', content: 'db-2 replica lag is 40 s' }, from: { user: { id: BOB.id, displayName: BOB.name } }, createdDateTime: new Date().toISOString(), linkToMessage: link },
    }, { serviceUrl: channel.serviceUrl, thread }),
  );
  await eventually(() => (entries(docId).includes('db-2 replica lag is 40 s') ? true : undefined), 'the recorded message row');
  expect(rows(docId).find((r) => r[2] === 'db-2 replica lag is 40 s')![1]).toBe('Bob Brown');
  await send(messageEvent('edit', 'msg-600', 'db-2 replica lag is 4 s', { serviceUrl: channel.serviceUrl, thread }));
  await eventually(() => (entries(docId).includes('db-2 replica lag is 4 s') ? true : undefined), 'the row rewritten');
  await send(messageEvent('delete', 'msg-600', '', { serviceUrl: channel.serviceUrl, thread }));
  const style = () => entryStyle(docId, 'db-2 replica lag is 4 s');
  await eventually(() => (style()?.strikethrough ? true : undefined), 'the row struck through');
  expect(style()).toMatchObject({ link: { url: link } });
  expect(entries(docId).filter((e) => e.startsWith('db-2 replica lag'))).toEqual(['db-2 replica lag is 4 s']);
  expect(saidCount(conversation, 'in the doc by')).toBe(0);
});

test('a row a person adds in the doc reaches the chat once, and an edit of a Firebreak row is told once; nothing is echoed', async () => {
  const { thread, docId, conversation } = await declare('People write in the doc');
  await say('note Restarted the API pods', thread);
  await eventually(() => (entries(docId).includes('Restarted the API pods') ? true : undefined), 'the note row');

  await addRowAs('bob@example.com', docId, { time: '03:04', who: 'Bob', entry: 'Paged the database team 📟' });
  await eventually(() => (saidCount(conversation, 'added in the doc by bob@example.com') ? true : undefined), 'the chat told of the new row');
  await eventually(() => (tagged(docId) === rows(docId).length ? true : undefined), "Bob's row tagged");
  await editRowAs('bob@example.com', docId, 'Restarted the API pods', 'Restarted the API pods (all 12)');
  await eventually(() => (saidCount(conversation, 'changed in the doc by bob@example.com') ? true : undefined), 'the chat told of the edit');
  // Firebreak goes on writing; its own rows and the tag it puts on Bob's row are never told back.
  await say('note Error rate back to normal', thread);
  await eventually(() => (entries(docId).includes('Error rate back to normal') ? true : undefined), 'the later row');
  await eventually(() => (tagged(docId) === rows(docId).length ? true : undefined), 'every row tagged');

  expect(said(conversation).filter((t) => t.includes('in the doc by'))).toEqual([
    expect.stringContaining('Paged the database team 📟'),
    expect.stringContaining('Now: Restarted the API pods (all 12)'),
  ]);
  expect(entries(docId).filter((e) => e.startsWith('Paged the database team'))).toHaveLength(1);
  expect(entries(docId)).toContain('Restarted the API pods (all 12)');

  // Resolved: the doc's push channel is stopped.
  expect(google.channels().filter((c) => c.fileId === docId)).toHaveLength(1);
  await say('resolve confirm Pods healthy', thread);
  await eventually(() => (google.channels().some((c) => c.fileId === docId) ? undefined : true), 'the watch channel stopped');
});

test("a person's edit ending in whitespace is told once and left as typed: no rewrite of the trimmed text", async () => {
  const { thread, docId, conversation } = await declare('Edit with trailing space');
  await say('note Drained node 7', thread);
  await eventually(() => (entries(docId).includes('Drained node 7') ? true : undefined), 'the note row');
  await editRowAs('bob@example.com', docId, 'Drained node 7', 'Drained node 7 and 8  ');
  await eventually(() => (saidCount(conversation, 'Now: Drained node 7 and 8') ? true : undefined), 'the chat told of the edit');
  await say('note Traffic shifted back', thread);
  await eventually(() => (entries(docId).includes('Traffic shifted back') ? true : undefined), 'the later row');
  await say('note One more', thread);
  await eventually(() => (entries(docId).includes('One more') ? true : undefined), 'the last row');
  expect(entries(docId)).toContain('Drained node 7 and 8  ');
  expect(saidCount(conversation, 'Now: Drained node 7 and 8')).toBe(1);
});

test("a row read while its author is still typing is told once as new and once as an edit, then tagged; never told twice as new", async () => {
  const { thread, docId, conversation } = await declare('Typing in the doc');
  await addRowAs('bob@example.com', docId, { time: '03:10', who: 'Bob', entry: 'Restarted the db' });
  // Bob types on just as Firebreak comes to tag his row: the tag lands on the longer row.
  let typed = false;
  google.fault({
    match: 'docs.documents.batchUpdate',
    times: 1,
    before: () => {
      const doc = google.document(docId);
      const table = doc.body.content.find((el: any) => el.table && el.startIndex === findTimeline(doc)!.start).table;
      const cell = table.tableRows.map((r: any) => r.tableCells[2]).find((c: any) => cellText(c) === 'Restarted the db');
      google.edit(docId, [{ insertText: { location: { index: cell.endIndex - 1 }, text: ' pods on node 3' } }], 'bob@example.com');
      typed = true;
    },
  });
  await eventually(() => (saidCount(conversation, 'Now: Restarted the db pods on node 3') ? true : undefined), 'the rest told as an edit', 20_000);
  await eventually(() => (tagged(docId) === rows(docId).length ? true : undefined), "Bob's row tagged", 20_000);
  expect(typed).toBe(true);
  await say('note Pods are healthy', thread);
  await eventually(() => (entries(docId).includes('Pods are healthy') ? true : undefined), 'a later row');
  expect(said(conversation).filter((t) => t.includes('in the doc by') && t.includes('Restarted the db'))).toHaveLength(2);
  expect(saidCount(conversation, 'Now: Restarted the db pods on node 3')).toBe(1);
  expect(entries(docId).filter((e) => e.startsWith('Restarted the db'))).toEqual(['Restarted the db pods on node 3']);
});

test('a person editing the doc between Firebreak\'s read and its write: the revision conflict is retried, nothing lost', async () => {
  const { thread, docId, conversation } = await declare('Concurrent edit');
  let racedIn = false;
  google.fault({
    match: 'docs.documents.batchUpdate',
    times: 1,
    before: () => {
      const doc = google.document(docId);
      google.edit(docId, planRows(findTimeline(doc)!, [{ key: 'x', time: '04:05', who: 'Carol', entry: 'Carol typed this meanwhile' }]).filter((r) => !r.createNamedRange) as Record<string, unknown>[], 'carol@example.com');
      racedIn = true;
    },
  });
  const callsBefore = google.calls.length;
  await say('note Failover started', thread);
  await eventually(() => (entries(docId).includes('Failover started') ? true : undefined), 'the note row');
  expect(racedIn).toBe(true);
  expect(google.calls.slice(callsBefore).filter((c) => c.method === 'docs.documents.batchUpdate' && c.status === 400).length).toBeGreaterThan(0);
  expect(entries(docId).filter((e) => e === 'Carol typed this meanwhile' || e === 'Failover started')).toHaveLength(2);
  await eventually(() => (saidCount(conversation, 'Carol typed this meanwhile') === 1 ? true : undefined), "Carol's row told in the chat");
});

test('a write whose answer is lost (as a crash between the write and its recording) is not written twice', async () => {
  const { thread, docId } = await declare('Lost answer');
  google.fault({ match: 'docs.documents.batchUpdate', times: 1, drop: 'after' });
  await say('note Cache flushed', thread);
  await eventually(() => (entries(docId).includes('Cache flushed') ? true : undefined), 'the note row');
  await say('note Cache warm again', thread);
  await eventually(() => (entries(docId).includes('Cache warm again') ? true : undefined), 'the next row');
  expect(entries(docId).filter((e) => e.startsWith('Cache'))).toEqual(['Cache flushed', 'Cache warm again']);
});

test('a doc deleted mid-incident is said once in the conversation; the chat keeps the timeline', async () => {
  const { thread, docId, conversation } = await declare('Doc goes away');
  await as(SUBJECT).drive.files.delete({ fileId: docId, supportsAllDrives: true });
  await say('note Still working on it', thread);
  await eventually(() => (saidCount(conversation, 'Firebreak can no longer write to the incident doc') ? true : undefined), 'the doc lost message');
  await say('note And still recorded', thread);
  await eventually(() => (saidCount(conversation, 'Added to the timeline') >= 2 ? true : undefined), 'the notes acknowledged');
  expect(saidCount(conversation, 'Firebreak can no longer write to the incident doc')).toBe(1);
  expect(firebreak.logs.join('\n')).not.toMatch(/unhandled|uncaught/i);
});

test('notifications: headers missing 400, unknown channel 404, a wrong token or a wrong resource id each 401; the real one 200', async () => {
  const notify = (headers: Record<string, string>) => fetch(`${firebreak.url}/api/google/notify`, { method: 'POST', headers });
  expect((await notify({})).status).toBe(400);
  expect((await notify({ 'X-Goog-Channel-ID': 'x', 'X-Goog-Resource-ID': 'r', 'X-Goog-Resource-State': 'update', 'X-Goog-Message-Number': 'two' })).status).toBe(400);
  expect((await notify({ 'X-Goog-Channel-ID': 'nope', 'X-Goog-Resource-ID': 'r', 'X-Goog-Resource-State': 'update', 'X-Goog-Message-Number': '2' })).status).toBe(404);
  const { docId } = await declare('Push checks');
  // What Drive sends on the doc's channel; each check is tried with everything else right, so each must hold on its own.
  const open = await eventually(() => google.channels().find((c) => c.fileId === docId), "the doc's watch channel");
  const real = { 'X-Goog-Channel-ID': open.id, 'X-Goog-Channel-Token': open.token!, 'X-Goog-Resource-ID': open.resourceId, 'X-Goog-Resource-State': 'update', 'X-Goog-Message-Number': '9' };
  expect((await notify({ ...real, 'X-Goog-Channel-Token': 'guessed' })).status).toBe(401);
  expect((await notify({ ...real, 'X-Goog-Channel-Token': `${open.token}x` })).status).toBe(401);
  const sameLength = `${open.token!.slice(0, -1)}${open.token!.endsWith('A') ? 'B' : 'A'}`;
  expect((await notify({ ...real, 'X-Goog-Channel-Token': sameLength })).status).toBe(401);
  expect((await notify({ ...real, 'X-Goog-Resource-ID': `${open.resourceId}x` })).status).toBe(401);
  expect((await notify(real)).status).toBe(200);
  // What Drive itself delivered on this doc's channels was taken (other tests restart the server: theirs may not be).
  const ours = new Set(google.channels().filter((c) => c.fileId === docId).map((c) => c.id));
  expect(google.pushes.filter((p) => ours.has(p.channelId) && p.status !== 200)).toEqual([]);
});

test('a crash between the write and its recording: after a restart nothing is written twice, nothing echoed', async () => {
  const { thread, docId, conversation } = await declare('Crash mid-write');
  // The write carrying this note, not whichever write comes first (a fill of the new doc may still be on its way).
  google.fault({ match: 'docs.documents.batchUpdate', bodyIncludes: 'Written just before the crash', times: 1, after: () => void firebreak.kill() });
  await say('note Written just before the crash', thread);
  await eventually(() => (entries(docId).includes('Written just before the crash') ? true : undefined), 'the row written');
  await firebreak.kill();
  firebreak = await startFirebreak(env);
  await say('note After the restart', thread);
  await eventually(() => (entries(docId).includes('After the restart') ? true : undefined), 'the next row after the restart', 20_000);
  expect(entries(docId).filter((e) => e === 'Written just before the crash' || e === 'After the restart')).toEqual(['Written just before the crash', 'After the restart']);
  expect(said(conversation).filter((t) => t.includes('in the doc by') && t.includes('Written just before the crash'))).toEqual([]);
}, 60_000);
