import type { docs_v1 } from '@googleapis/docs';
import { cellText, docsSafe, namedRanges } from './doc-text';

/**
 * The doc's timeline table: found by its header row `Time (UTC) | Who | Entry`, never by the heading above it
 * (people rename headings), and then remembered by the named range `firebreak.timeline` so that renaming the
 * header cells later cannot lose it either. A named range over a table grows with rows inserted inside it.
 */
export const TIMELINE = 'firebreak.timeline';
export const ROW = 'firebreak.row.';
export const TIMELINE_HEADER = ['Time (UTC)', 'Who', 'Entry'];

export interface TimelineTable {
  start: number;
  end: number;
  columns: number;
  rows: { start: number; end: number; cells: string[] }[];
  /** Unset when the table was found by its header and still needs its named range. */
  namedRangeId?: string;
}

export interface TimelineRow {
  /** Stable per row (an event id): a row is written once, whatever retries happen. */
  key: string;
  time: string;
  who: string;
  entry: string;
  /** Links the entry (e.g. back to the Teams message). */
  link?: string;
  /** Struck through (the message was deleted in chat). */
  struck?: boolean;
}

export function findTimeline(doc: docs_v1.Schema$Document): TimelineTable | undefined {
  return findTable(doc, TIMELINE, TIMELINE_HEADER);
}

/** A table Firebreak keeps: by its named range `name`, else by its header row (the first row starting with `header`). */
export function findTable(doc: docs_v1.Schema$Document, name: string, header: readonly string[]): TimelineTable | undefined {
  const tables = (doc.body?.content ?? []).filter((el) => el.table);
  const named = namedRanges(doc, name)[0];
  const byName = named && tables.find((el) => el.startIndex === named.start);
  if (byName) return layout(byName, named.id);
  const byHeader = tables.find((el) => isHeader(el.table!.tableRows?.[0], header));
  return byHeader && layout(byHeader);
}

function isHeader(row: docs_v1.Schema$TableRow | undefined, header: readonly string[]): boolean {
  const cells = (row?.tableCells ?? []).map((c) => normalize(cellText(c)));
  return header.every((h, i) => cells[i] === normalize(h));
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

function layout(el: docs_v1.Schema$StructuralElement, namedRangeId?: string): TimelineTable {
  const table = el.table!;
  return {
    start: el.startIndex ?? 0,
    end: el.endIndex ?? 0,
    columns: table.columns ?? 0,
    rows: (table.tableRows ?? []).map((r) => ({ start: r.startIndex ?? 0, end: r.endIndex ?? 0, cells: (r.tableCells ?? []).map(cellText) })),
    namedRangeId,
  };
}

/**
 * Requests inserting `rows` below the table's row `below` (the last one unless said: an append), each tagged
 * `firebreak.row.<key>`.
 */
export function planRows(table: TimelineTable, rows: TimelineRow[], below = table.rows.length - 1): docs_v1.Schema$Request[] {
  const style = (row: TimelineRow) => (c: number) => {
    // A row inserted below the header may inherit its bold: state the style rather than rely on inheritance.
    const link = c === 2 && row.link ? { link: { url: row.link } } : {};
    const struck = c === 2 && row.struck ? { strikethrough: true } : {};
    return { textStyle: { bold: false, ...link, ...struck }, fields: c === 2 ? 'bold,link,strikethrough' : 'bold,link' };
  };
  return planTableRows(table, TIMELINE, rows.map((row) => ({ name: ROW + row.key, cells: [row.time, row.who, row.entry], style: style(row) })), below);
}

export interface NewRow {
  /** The named range tagging the row. */
  name: string;
  cells: string[];
  /** Each non-empty cell's text style (default: not bold, no link). */
  style?: (column: number) => { textStyle: docs_v1.Schema$TextStyle; fields: string };
}

/**
 * Requests inserting `rows` below the table's row `below`, each tagged with its named range; the table itself is
 * named `tableName` first when it has no name yet. A new row at index R holds a row marker, then per cell a cell
 * marker and an empty paragraph: cell c's paragraph is at R + 2 + 2c before any text goes in. Cells are filled last
 * to first so earlier cells' indices hold.
 */
export function planTableRows(table: TimelineTable, tableName: string, rows: NewRow[], below = table.rows.length - 1): docs_v1.Schema$Request[] {
  const requests: docs_v1.Schema$Request[] = [];
  if (!table.namedRangeId) requests.push({ createNamedRange: { name: tableName, range: { startIndex: table.start, endIndex: table.end } } });
  // Below the last row: the table's end marker is where the new row begins; below another row, where the next began.
  const last = table.rows.length - 1;
  let rowStart = below >= last ? table.end - 1 : table.rows[below].end;
  let rowIndex = Math.min(below, last);
  for (const row of rows) {
    const texts = row.cells.map(docsSafe);
    while (texts.length < table.columns) texts.push('');
    requests.push({ insertTableRow: { tableCellLocation: { tableStartLocation: { index: table.start }, rowIndex, columnIndex: 0 }, insertBelow: true } });
    for (let c = table.columns - 1; c >= 0; c--) {
      if (texts[c]) requests.push({ insertText: { location: { index: rowStart + 2 + 2 * c }, text: texts[c] } });
    }
    let at = rowStart + 2;
    texts.forEach((t, c) => {
      const { textStyle, fields } = row.style?.(c) ?? { textStyle: { bold: false }, fields: 'bold,link' };
      if (t) requests.push({ updateTextStyle: { range: { startIndex: at, endIndex: at + t.length }, textStyle, fields } });
      at += t.length + 2;
    });
    const rowLength = 1 + 2 * table.columns + texts.reduce((n, t) => n + t.length, 0);
    requests.push({ createNamedRange: { name: row.name, range: { startIndex: rowStart, endIndex: rowStart + rowLength } } });
    rowStart += rowLength;
    rowIndex++;
  }
  return requests;
}

/** Requests replacing a cell's text range [start, end) with `text` (already docsSafe), styled as given. */
export function rewriteCell(range: { start: number; end: number }, text: string, textStyle: docs_v1.Schema$TextStyle, fields: string): docs_v1.Schema$Request[] {
  const requests: docs_v1.Schema$Request[] = [];
  const { start, end } = range;
  if (end > start) requests.push({ deleteContentRange: { range: { startIndex: start, endIndex: end } } });
  if (text) {
    requests.push({ insertText: { location: { index: start }, text } });
    requests.push({ updateTextStyle: { range: { startIndex: start, endIndex: start + text.length }, textStyle, fields } });
  }
  return requests;
}

/** A table's body rows (header left out) with the key of the `prefix<key>` named range that starts in each, if any. */
export function taggedRows(doc: docs_v1.Schema$Document, table: TimelineTable, prefix: string): { key?: string; start: number; end: number; cells: docs_v1.Schema$TableCell[] }[] {
  const el = (doc.body?.content ?? []).find((e) => e.table && e.startIndex === table.start)!;
  const tags = Object.keys(doc.namedRanges ?? {})
    .filter((name) => name.startsWith(prefix))
    .flatMap((name) => namedRanges(doc, name).map((r) => ({ key: name.slice(prefix.length), start: r.start })));
  return (el.table!.tableRows ?? []).slice(1).map((row) => {
    const start = row.startIndex ?? 0;
    const end = row.endIndex ?? 0;
    return { key: tags.find((t) => t.start >= start && t.start < end)?.key, start, end, cells: row.tableCells ?? [] };
  });
}

/** Rows not yet in the doc (no named range carries their key). */
export function missingRows(doc: docs_v1.Schema$Document, rows: TimelineRow[]): TimelineRow[] {
  return rows.filter((r) => namedRanges(doc, ROW + r.key).length === 0);
}
