import { tables, type TableLayout, type Unit } from './document';

/**
 * The incident doc's timeline table as a person in the editor sees it: the table whose first row reads
 * `Time (UTC) | Who | Entry` (the template's header). The sandbox finds it on its own, as a person would, not
 * through Firebreak's named range.
 */
export const HEADER = ['Time (UTC)', 'Who', 'Entry'];

export interface PersonTable {
  layout: TableLayout;
  /** Each row's cell texts, the header first. */
  rows: string[][];
}

export function cellText(units: readonly Unit[], cell: { start: number; end: number }): string {
  let text = '';
  for (let i = cell.start + 1; i < cell.end; i++) {
    const u = units[i];
    if (u.t === 'text') text += u.ch;
    else if (u.t === 'newline') text += '\n';
  }
  return text.replace(/\n$/, '');
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

export function isHeader(cells: string[]): boolean {
  return HEADER.every((h, i) => normalize(cells[i] ?? '') === normalize(h));
}

export function timelineTable(units: readonly Unit[]): PersonTable | undefined {
  for (const layout of tables(units)) {
    const rows = layout.rows.map((r) => r.cells.map((c) => cellText(units, c)));
    if (rows.length && isHeader(rows[0])) return { layout, rows };
  }
  return undefined;
}
