import { lockedWrite } from '../../../src/google/locked-write';
import { findTimeline, planRows } from '../../../src/google/timeline';
import { FAST, googleWorld, incident, plainText, tableRows, type GoogleWorld } from './setup';

/** The timeline table: found by its header row, remembered by a named range, rows written in UTF-16 indices. */
let world: GoogleWorld;
beforeAll(async () => {
  world = await googleWorld();
});
afterAll(() => world?.close());

const doc = (id: string) => world.sandbox.document(id);
const timeline = (id: string) => {
  const d = doc(id);
  const start = d.namedRanges['firebreak.timeline']?.namedRanges[0].ranges[0].startIndex;
  return tableRows(d, start);
};
const paragraphStarting = (id: string, text: string) =>
  doc(id).body.content.find((el: any) => el.paragraph?.elements.map((e: any) => e.textRun?.content).join('').startsWith(text));

test('rows land in the timeline table after people renamed its heading and edited around it', async () => {
  const { id } = await world.docs.create(incident(60));
  const heading = paragraphStarting(id, 'Timeline');
  const impact = paragraphStarting(id, 'Who is affected');
  // A person renames the heading, rewrites the Impact section (before the table: every index after it moves).
  await world.clients.docs.documents.batchUpdate({
    documentId: id,
    requestBody: {
      requests: [
        { deleteContentRange: { range: { startIndex: heading.startIndex, endIndex: heading.endIndex - 1 } } },
        { insertText: { location: { index: heading.startIndex }, text: 'Chronologie 🕐 (ce qui s’est passé)' } },
        { deleteContentRange: { range: { startIndex: impact.startIndex, endIndex: impact.endIndex - 1 } } },
        { insertText: { location: { index: impact.startIndex }, text: 'EU customers 🇪🇺 cannot pay.\nSince 00:02 UTC.' } },
      ],
    },
  });

  await world.docs.appendTimeline(id, [{ key: 'e1', time: '00:02', who: 'Alice Adams', entry: 'Declared severity 2' }]);
  expect(timeline(id)).toEqual([
    ['Time (UTC)', 'Who', 'Entry'],
    ['00:02', 'Alice Adams', 'Declared severity 2'],
  ]);

  // Later someone renames the header cells too: the named range still knows the table.
  const header = doc(id).body.content.find((el: any) => el.table).table.tableRows[0].tableCells[0].content[0];
  await world.clients.docs.documents.batchUpdate({
    documentId: id,
    requestBody: {
      requests: [
        { deleteContentRange: { range: { startIndex: header.startIndex, endIndex: header.endIndex - 1 } } },
        { insertText: { location: { index: header.startIndex }, text: 'Quand' } },
      ],
    },
  });
  await world.docs.appendTimeline(id, [{ key: 'e2', time: '00:07', who: 'Bob Brown', entry: 'Rolled back the deploy' }]);
  expect(timeline(id).slice(-2)).toEqual([
    ['00:02', 'Alice Adams', 'Declared severity 2'],
    ['00:07', 'Bob Brown', 'Rolled back the deploy'],
  ]);
  expect(timeline(id)[0][0]).toBe('Quand');
});

test('emoji, right-to-left and multi-line rows keep every index right', async () => {
  const { id } = await world.docs.create(incident(61));
  const rows = [
    { key: 'a', time: '00:03', who: 'Zoë 👩‍🚒', entry: 'Failover started 🔥🔥 — watching 📉' },
    { key: 'b', time: '00:04', who: 'דנה כהן', entry: 'השרת הראשי לא מגיב; עברנו לגיבוי' },
    { key: 'c', time: '00:05', who: 'سارة', entry: 'تم التراجع عن النشر ✅\nالأخطاء تنخفض 📉 (mixed: p95 = 210 ms)' },
    { key: 'd', time: '00:06', who: '𝒜𝓁𝑒𝓍 (astral letters)', entry: 'Link back', link: 'https://teams.example/l/message/1' },
  ];
  await world.docs.appendTimeline(id, rows.slice(0, 2));
  await world.docs.appendTimeline(id, rows.slice(2));
  expect(timeline(id).slice(1)).toEqual(rows.map((r) => [r.time, r.who, r.entry]));

  // Each row's named range covers exactly that table row, whatever its characters.
  const d = doc(id);
  const table = d.body.content.find((el: any) => el.table);
  rows.forEach((r, i) => {
    const range = d.namedRanges[`firebreak.row.${r.key}`].namedRanges[0].ranges[0];
    const row = table.table.tableRows[i + 1];
    expect([range.startIndex, range.endIndex]).toEqual([row.startIndex, row.endIndex]);
  });
  const entry = table.table.tableRows[4].tableCells[2].content[0].paragraph.elements[0];
  expect(entry.textRun.textStyle).toEqual({ bold: false, link: { url: 'https://teams.example/l/message/1' } });
  const who = table.table.tableRows[1].tableCells[1].content[0];
  expect('Zoë 👩‍🚒'.length).toBe(9); // UTF-16 code units: the firefighter is woman + ZWJ + fire engine, 2 + 1 + 2
  expect(who.endIndex - who.startIndex).toBe(9 + 1); // plus the cell's newline
});

test('a row is written once, however often it is asked for', async () => {
  const { id } = await world.docs.create(incident(62));
  const row = { key: 'once', time: '00:09', who: 'Alice Adams', entry: 'Customer comms sent' };
  expect(await world.docs.appendTimeline(id, [row])).toEqual({ written: 1 });
  expect(await world.docs.appendTimeline(id, [row, { ...row, key: 'twice', entry: 'Second' }])).toEqual({ written: 1 });
  expect(timeline(id).slice(1).map((r) => r[2])).toEqual(['Customer comms sent', 'Second']);
});

test('a person editing between the read and the write makes the write re-read instead of writing at stale indices', async () => {
  const { id } = await world.docs.create(incident(63));
  const rows = [{ key: 'x', time: '00:11', who: 'Alice Adams', entry: 'Paged the database team 🧯' }];
  let plans = 0;
  const written = await lockedWrite(world.clients, 'test write', id, (read) => {
    if (++plans === 1) {
      // Someone types at the top of the doc after our read: every index we are about to send is off by 26.
      world.sandbox.edit(id, [{ insertText: { location: { index: 1 }, text: 'Handover at 01:00 to Bob.\n' } }]);
    }
    return { requests: planRows(findTimeline(read)!, rows), result: rows.length };
  }, FAST);

  expect([written, plans]).toEqual([1, 2]);
  expect(world.sandbox.calls.filter((c) => c.method === 'docs.documents.batchUpdate').slice(-2).map((c) => c.status)).toEqual([400, 200]);
  expect(timeline(id)).toEqual([
    ['Time (UTC)', 'Who', 'Entry'],
    ['00:11', 'Alice Adams', 'Paged the database team 🧯'],
  ]);
  expect(plainText(doc(id))).toMatch(/^Handover at 01:00 to Bob\.\nINC-63/);
});
