import { createDocTimeline, type DocTimeline, type WantedRow } from '../../../src/google/timeline-sync';
import { findTimeline, planRows } from '../../../src/google/timeline';
import { FAST, googleWorld, incident, tableRows, type GoogleWorld } from './setup';

/** The timeline sync adapter against the sandbox over HTTP: appends, tags, rewrites, strikes, in UTF-16 indices. */
let world: GoogleWorld;
let timeline: DocTimeline;
beforeAll(async () => {
  world = await googleWorld();
  timeline = createDocTimeline(world.clients, FAST);
});
afterAll(() => world?.close());

const row = (key: string, entry: string, extra: Partial<WantedRow> = {}): WantedRow => ({ key, time: '00:02', who: 'Alice Adams', entry, struck: false, fromDoc: false, rewrite: false, ...extra });
const table = (id: string) => {
  const d = world.sandbox.document(id);
  return tableRows(d, d.namedRanges['firebreak.timeline']?.namedRanges[0].ranges[0].startIndex).slice(1);
};
const writes = () => world.sandbox.calls.filter((c) => c.method === 'docs.documents.batchUpdate' && c.status === 200).length;
/** The entry cell's text runs of the row whose entry starts with `prefix`, with their styles. */
const runs = (id: string, prefix: string) => {
  const cells = world.sandbox.document(id).body.content.filter((el: any) => el.table).flatMap((el: any) => el.table.tableRows.flatMap((r: any) => r.tableCells));
  const cell = cells.find((c: any) => c.content[0].paragraph.elements[0].textRun?.content.startsWith(prefix));
  return cell.content.flatMap((p: any) => p.paragraph.elements.map((e: any) => e.textRun.textStyle ?? {}));
};

test('append, then rewrite an edited row and strike a deleted one in one write; a rerun writes nothing', async () => {
  const { id } = await world.docs.create(incident(70));
  const first = await timeline.sync(id, [row('e1', 'Declared 🚨'), row('e2', 'Rolled back'), row('e3', 'Restart pods', { link: 'https://teams.example/m/3' })]);
  expect(first.written).toEqual(['e1', 'e2', 'e3']);
  expect(table(id).map((r) => r[2])).toEqual(['Declared 🚨', 'Rolled back', 'Restart pods']);

  const before = writes();
  const second = await timeline.sync(id, [
    row('e1', 'Declared 🚨'),
    row('e2', 'Rolled back to v41 🚀\nand verified', { rewrite: true, known: 'Rolled back' }),
    row('e3', 'Restart pods', { rewrite: true, struck: true, link: 'https://teams.example/m/3', known: 'Restart pods' }),
    row('e4', 'New note ✅'),
  ]);
  expect(writes()).toBe(before + 1);
  expect([...second.written].sort()).toEqual(['e2', 'e3', 'e4']);
  expect(table(id).map((r) => r[2])).toEqual(['Declared 🚨', 'Rolled back to v41 🚀\nand verified', 'Restart pods', 'New note ✅']);
  expect(runs(id, 'Restart pods')[0]).toMatchObject({ strikethrough: true, link: { url: 'https://teams.example/m/3' } });
  expect(second.present.get('e2')).toBe('Rolled back');
  expect(second.revisionId).toBe(world.sandbox.document(id).revisionId);

  const third = await timeline.sync(id, [row('e1', 'Declared 🚨'), row('e2', 'Rolled back to v41 🚀\nand verified'), row('e3', 'Restart pods', { struck: true }), row('e4', 'New note ✅')]);
  expect(third.written).toEqual([]);
  expect(writes()).toBe(before + 1);
});

test("a person's row is tagged where it is, never appended; one deleted meanwhile stays out", async () => {
  const { id } = await world.docs.create(incident(71));
  await timeline.sync(id, [row('e1', 'Declared')]);
  const doc = (await world.clients.docs.documents.get({ documentId: id })).data;
  const requests = planRows(findTimeline(doc)!, [{ key: 'x', time: '00:03', who: 'Bob', entry: 'Paged the DB team' }]).filter((r) => !r.createNamedRange);
  world.sandbox.edit(id, requests as Record<string, unknown>[], 'bob@example.com');

  const read = await timeline.read(id);
  expect(read.rows).toEqual([
    { key: 'e1', time: '00:02', who: 'Alice Adams', entry: 'Declared' },
    { time: '00:03', who: 'Bob', entry: 'Paged the DB team' },
  ]);
  const result = await timeline.sync(id, [row('e1', 'Declared'), row('e2', 'Paged the DB team', { fromDoc: true }), row('e3', 'Typed then deleted', { fromDoc: true })]);
  expect(result.written).toEqual(['e2']);
  expect((await timeline.read(id)).rows!.map((r) => [r.key, r.entry])).toEqual([
    ['e1', 'Declared'],
    ['e2', 'Paged the DB team'],
  ]);
  expect(await timeline.lastEditor(id)).toBeUndefined(); // Firebreak's own tag was the last change
  expect(await timeline.revision(id)).toBe(world.sandbox.document(id).revisionId);
});

test("a person's row recorded while they were still typing is tagged by the start of its text", async () => {
  const { id } = await world.docs.create(incident(72));
  await timeline.sync(id, [row('e1', 'Declared')]);
  const doc = (await world.clients.docs.documents.get({ documentId: id })).data;
  const requests = planRows(findTimeline(doc)!, [{ key: 'x', time: '00:03', who: 'Bob', entry: 'Restarted the db pods on node 3' }]).filter((r) => !r.createNamedRange);
  world.sandbox.edit(id, requests as Record<string, unknown>[], 'bob@example.com');
  const result = await timeline.sync(id, [row('e1', 'Declared'), row('e2', 'Restarted the db', { fromDoc: true })]);
  expect(result.written).toEqual(['e2']);
  expect((await timeline.read(id)).rows!.map((r) => [r.key, r.entry])).toEqual([
    ['e1', 'Declared'],
    ['e2', 'Restarted the db pods on node 3'],
  ]);
});

test("a rewrite never overwrites a cell a person changed since Firebreak wrote it (the watcher tells theirs)", async () => {
  const { id } = await world.docs.create(incident(73));
  await timeline.sync(id, [row('e1', 'Rolled back'), row('e2', 'Restart pods')]);
  const doc = world.sandbox.document(id);
  const cell = doc.body.content.find((el: any) => el.table && el.startIndex === findTimeline(doc as any)!.start).table.tableRows[1].tableCells[2];
  world.sandbox.edit(id, [{ insertText: { location: { index: cell.endIndex - 1 }, text: ' by Bob' } }], 'bob@example.com');
  expect(table(id).map((r) => r[2])).toEqual(['Rolled back by Bob', 'Restart pods']);

  const result = await timeline.sync(id, [
    row('e1', 'Rolled back to v41', { rewrite: true, known: 'Rolled back' }),
    row('e2', 'Restart all pods', { rewrite: true, known: 'Restart pods' }),
  ]);
  expect(result.written).toEqual(['e2']);
  expect(table(id).map((r) => r[2])).toEqual(['Rolled back by Bob', 'Restart all pods']);
});

test('a row Firebreak wrote that a person removed or moved (its tag gone) is not appended again', async () => {
  const { id } = await world.docs.create(incident(74));
  await timeline.sync(id, [row('e1', 'Declared'), row('e2', 'Wrong note')]);
  world.sandbox.edit(id, [{ deleteNamedRange: { name: 'firebreak.row.e2' } }], 'bob@example.com');
  const result = await timeline.sync(id, [row('e1', 'Declared', { known: 'Declared' }), row('e2', 'Wrong note', { known: 'Wrong note' }), row('e3', 'Next note')]);
  expect(result.written).toEqual(['e3']);
  expect(table(id).map((r) => r[2])).toEqual(['Declared', 'Wrong note', 'Next note']);
});

test('a late entry goes in time order, below the nearest earlier one, in the same write as a rewrite below it and a new row', async () => {
  const { id } = await world.docs.create(incident(79));
  await timeline.sync(id, [row('e1', 'Declared'), row('e2', 'Rolled back'), row('e3', 'Error rate 0.1%')]);
  const before = writes();
  // "Add to timeline" on two older messages: one said before everything, one between e1 and e2.
  const result = await timeline.sync(id, [
    row('e0', 'Alert fired 🔥'),
    row('e1', 'Declared'),
    row('late', 'db-2 replica lag is 40 s'),
    row('late2', 'db-3 too'),
    row('e2', 'Rolled back'),
    row('e3', 'Error rate back to 0.1% ✅', { rewrite: true, known: 'Error rate 0.1%' }),
    row('e4', 'Monitoring'),
  ]);
  expect(writes()).toBe(before + 1);
  expect(table(id).map((r) => r[2])).toEqual(['Alert fired 🔥', 'Declared', 'db-2 replica lag is 40 s', 'db-3 too', 'Rolled back', 'Error rate back to 0.1% ✅', 'Monitoring']);
  expect([...result.written].sort()).toEqual(['e0', 'e3', 'e4', 'late', 'late2']);
  // Each row's tag covers its own row: a rerun finds them all and writes nothing.
  expect((await timeline.read(id)).rows!.map((r) => r.key)).toEqual(['e0', 'e1', 'late', 'late2', 'e2', 'e3', 'e4']);
  expect((await timeline.sync(id, [row('e0', 'Alert fired 🔥'), row('e1', 'Declared'), row('late', 'db-2 replica lag is 40 s'), row('late2', 'db-3 too'), row('e2', 'Rolled back'), row('e3', 'Error rate back to 0.1% ✅'), row('e4', 'Monitoring')])).written).toEqual([]);
});
