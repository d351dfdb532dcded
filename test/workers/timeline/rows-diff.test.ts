import { evolve, type Incident } from '../../../src/domain/incident';
import type { TimelineEntry } from '../../../src/domain/timeline';
import type { KnownRow } from '../../../src/store/timeline-store';
import { diffTable } from '../../../src/workers/timeline/diff';
import { cut, CUT_MARKER, wantedRows } from '../../../src/workers/timeline/rows';

const entry = (n: number, text: string, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({ id: `i:${n}`, at: '2026-03-15T00:0' + n + ':00.000Z', who: 'Jo', text, ...extra });
const known = (...rows: [key: string, text: string | null, pending?: string | null, struck?: boolean][]) =>
  new Map<string, KnownRow>(rows.map(([key, text, pending, struck]) => [key, { key, text, pending: pending ?? null, struck: struck ?? false }]));
const incident = { declaredAt: '2026-03-15T00:00:00.000Z' } as Incident;

test('a long entry is cut with a visible marker, never inside an emoji', () => {
  expect(cut('short', 100)).toBe('short');
  const long = `${'🚀'.repeat(80)}`;
  const out = cut(long, 100);
  expect(out.length).toBeLessThanOrEqual(100);
  expect(out.endsWith(CUT_MARKER)).toBe(true);
  expect(out.slice(0, -CUT_MARKER.length)).toMatch(/^(🚀)+$/);
});

test('rows to write: the cut text, struck when deleted, rewritten only when Firebreak\'s own text changed', () => {
  const entries = [entry(1, 'a'), entry(2, 'b edited', { edited: true }), entry(3, 'c', { deleted: true }), entry(4, 'typed in the doc', { fromDoc: true }), entry(5, 'x'.repeat(300))];
  const rows = wantedRows(incident, entries, known(['i:1', 'a'], ['i:2', 'b'], ['i:3', 'c'], ['i:4', 'typed in the doc']), 120);
  expect(rows.map((r) => [r.key, r.time, r.rewrite, r.struck, r.fromDoc])).toEqual([
    ['i:1', '00:01', false, false, false],
    ['i:2', '00:02', true, false, false],
    ['i:3', '00:03', true, true, false],
    ['i:4', '00:04', false, false, true],
    ['i:5', '00:05', false, false, false],
  ]);
  expect(rows[4].entry.endsWith(CUT_MARKER)).toBe(true);
});

test('the diff: people\'s rows are new once, edits are edits, Firebreak\'s own writes are never news', () => {
  const entries = [entry(1, 'ours'), entry(2, 'being rewritten'), entry(3, 'fresh'), entry(4, 'Paged the DB team', { fromDoc: true })];
  const rows = [
    { key: 'i:1', time: '00:01', who: 'Jo', entry: 'ours, but changed by Bob' },
    { key: 'i:2', time: '00:02', who: 'Jo', entry: 'the new text' },
    { key: 'i:3', time: '00:03', who: 'Jo', entry: 'fresh' },
    { time: '00:04', who: 'Bob', entry: 'Paged the DB team' }, // recorded already, its tag on the way
    { time: '', who: '', entry: '   ' }, // an empty row someone is about to fill
    { time: 'now-ish', who: 'Carol', entry: 'Called the vendor' },
    { key: 'other:9', time: '', who: '', entry: 'copied from another doc' },
  ];
  const diff = diffTable(rows, entries, known(['i:1', 'ours'], ['i:2', 'being rewritten', 'the new text'], ['i:3', null, 'fresh']));
  expect(diff.added.map((r) => r.entry)).toEqual(['Called the vendor']);
  expect(diff.edited).toEqual([{ key: 'i:1', text: 'ours, but changed by Bob', struck: false }]);
  expect(diff.accepted.map((a) => [a.key, a.text])).toEqual([
    ['i:2', 'the new text'],
    ['i:3', 'fresh'],
  ]);
});

test('a second copy of a person\'s row with the same text is new (only one awaits its tag)', () => {
  const entries = [entry(4, 'Same', { fromDoc: true })];
  const diff = diffTable([{ time: '', who: '', entry: 'Same' }, { time: '', who: '', entry: 'Same' }], entries, known());
  expect(diff.added).toHaveLength(1);
});

test('evolve keeps a doc edit\'s text, for a repeated read to change nothing', () => {
  const base = evolve(null, { type: 'IncidentDeclared', incidentId: 'i', number: 1, title: 't', description: '', severity: 3, customerImpact: false, private: false, commander: { id: 'a', name: 'A' }, origin: { id: 'c', serviceUrl: 's' }, places: [], provisioning: [], at: 'x', by: { id: 'a', name: 'A' } });
  expect(evolve(base, { type: 'DocRowEdited', entryId: 'i:1', text: 'new', at: 'x', by: { id: 'b', name: 'B' } }).docTexts).toEqual({ 'i:1': 'new' });
});

test('a person\'s row read while they were typing: its start was recorded, the rest is one edit, never a second new row', () => {
  const entries = [entry(4, 'Restarted the db', { fromDoc: true })];
  const diff = diffTable([{ time: '03:04', who: 'Bob', entry: 'Restarted the db pods on node 3' }], entries, known());
  expect(diff.added).toEqual([]);
  expect(diff.edited).toEqual([{ key: 'i:4', text: 'Restarted the db pods on node 3', struck: false }]);
  // Once the edit is recorded the entry has the whole text: the same row is nothing new.
  const later = diffTable([{ time: '03:04', who: 'Bob', entry: 'Restarted the db pods on node 3' }], [entry(4, 'Restarted the db pods on node 3', { fromDoc: true })], known());
  expect(later).toEqual({ added: [], edited: [], accepted: [] });
});
