/**
 * The emulated document, kept the way the Docs API counts it: a flat sequence of units, one per index.
 * A text unit is one UTF-16 code unit (what the API counts: an emoji outside the BMP takes two indices);
 * a paragraph ends with its newline unit, which carries the paragraph's style; tables, rows and cells take one
 * index each for their start marker, and a table one more for its end. So for a 2x2 table of empty cells starting
 * at S, rows span S+1..S+6 and S+6..S+11 and the table ends at S+12, as Google's table guide lays out
 * (https://developers.google.com/workspace/docs/api/how-tos/tables). Index 0 is the section break that opens
 * the body. Structural elements and their start/end indices are derived from this sequence on every read, so
 * edits cannot leave them inconsistent.
 */
export type TextStyle = Record<string, unknown>;
export type ParagraphStyle = Record<string, unknown>;

export type Unit =
  | { t: 'text'; ch: string; style?: TextStyle }
  | { t: 'newline'; style?: TextStyle; paragraph: ParagraphStyle }
  | { t: 'section' }
  | { t: 'table'; columns: number }
  | { t: 'row' }
  | { t: 'cell' }
  | { t: 'tableEnd' };

export interface NamedRangeState {
  id: string;
  name: string;
  /** Half-open [start, end) index ranges in the body. */
  ranges: { start: number; end: number }[];
}

export interface DocState {
  units: Unit[];
  namedRanges: NamedRangeState[];
  revision: string;
}

export const NORMAL: ParagraphStyle = { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' };

export function emptyDoc(revision: string): DocState {
  return { units: [{ t: 'section' }, { t: 'newline', paragraph: { ...NORMAL } }], namedRanges: [], revision };
}

export function isTextual(u: Unit | undefined): u is Extract<Unit, { t: 'text' | 'newline' }> {
  return u?.t === 'text' || u?.t === 'newline';
}

/** The table starting at `start`: its rows and cells with their start/end indices. */
export interface TableLayout {
  start: number;
  /** Exclusive: one past the table's end marker. */
  end: number;
  columns: number;
  rows: { start: number; end: number; cells: { start: number; end: number }[] }[];
}

export function tableAt(units: readonly Unit[], start: number): TableLayout | undefined {
  const head = units[start];
  if (head?.t !== 'table') return undefined;
  const rows: TableLayout['rows'] = [];
  let i = start + 1;
  while (units[i]?.t === 'row') {
    const row = { start: i, end: i, cells: [] as { start: number; end: number }[] };
    i++;
    while (units[i]?.t === 'cell') {
      const cell = { start: i, end: i };
      i++;
      while (isTextual(units[i])) i++;
      cell.end = i;
      row.cells.push(cell);
    }
    row.end = i;
    rows.push(row);
  }
  if (units[i]?.t !== 'tableEnd') throw new Error(`corrupt table at ${start}: expected its end at ${i}`);
  return { start, end: i + 1, columns: head.columns, rows };
}

/** Every table in the body, in order. */
export function tables(units: readonly Unit[]): TableLayout[] {
  const found: TableLayout[] = [];
  for (let i = 0; i < units.length; i++) {
    if (units[i].t === 'table') {
      const t = tableAt(units, i)!;
      found.push(t);
      i = t.end - 1;
    }
  }
  return found;
}

/** The paragraph holding index `i` (a text or newline unit): [start, newline index]. */
export function paragraphAround(units: readonly Unit[], i: number): { start: number; newline: number } {
  let start = i;
  while (start > 0 && units[start - 1].t === 'text') start--;
  let newline = i;
  while (units[newline].t === 'text') newline++;
  return { start, newline };
}
