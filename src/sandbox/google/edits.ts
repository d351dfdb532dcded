import { isTextual, NORMAL, paragraphAround, tables, type DocState, type ParagraphStyle, type TextStyle, type Unit } from './document';

/**
 * Edits on the unit sequence, with the validity rules of the Docs API
 * (https://developers.google.com/workspace/docs/api/reference/rest/v1/documents/request). Every edit moves the
 * named ranges with it, as the service does ("the indexes of the named range are automatically updated as
 * content is added to and removed from the document").
 */
export class EditError extends Error {}
/** A valid request the sandbox does not model (answers 501, never a silent approximation). */
export class NotEmulated extends Error {}

const STRIPPED = /[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]/g;

/** "Some control characters (U+0000-U+0008, U+000C-U+001F) and characters from the Unicode Basic Multilingual
 * Plane Private Use Area (U+E000-U+F8FF) will be stripped out of the inserted text." (InsertTextRequest) */
export function sanitize(text: string): string {
  return text.replace(STRIPPED, '');
}

const isHigh = (u: Unit | undefined) => u?.t === 'text' && /[\ud800-\udbff]/.test(u.ch);
const isLow = (u: Unit | undefined) => u?.t === 'text' && /[\udc00-\udfff]/.test(u.ch);

export function assertInsertable(doc: DocState, index: number): void {
  const end = doc.units.length;
  if (!Number.isInteger(index) || index < 1) throw new EditError(`Index ${index} must be at least 1.`);
  if (index >= end) throw new EditError(`Index ${index} must be less than the end index of the referenced segment, ${end}.`);
  if (!isTextual(doc.units[index])) {
    throw new EditError(
      'The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.',
    );
  }
  if (isHigh(doc.units[index - 1]) && isLow(doc.units[index])) {
    throw new EditError(`Index ${index} is inside a surrogate pair; indices count UTF-16 code units.`);
  }
}

/** Inserts raw units at `index`, shifting named ranges: text at a range's start goes before it, inside it grows it. */
export function insertUnits(doc: DocState, index: number, units: Unit[]): void {
  doc.units.splice(index, 0, ...units);
  const n = units.length;
  for (const named of doc.namedRanges) {
    for (const r of named.ranges) {
      if (r.start >= index) {
        r.start += n;
        r.end += n;
      } else if (r.end > index) {
        r.end += n;
      }
    }
  }
}

/** Inserts text; newlines make paragraphs that copy the style of the paragraph they split (InsertTextRequest). */
export function insertText(doc: DocState, index: number, text: string, style?: TextStyle): number {
  assertInsertable(doc, index);
  const clean = sanitize(text);
  const { newline } = paragraphAround(doc.units, index);
  const paragraph = (doc.units[newline] as Extract<Unit, { t: 'newline' }>).paragraph;
  const before = doc.units[index - 1];
  const inherited = style ?? (before?.t === 'text' ? before.style : (doc.units[index] as { style?: TextStyle }).style);
  const units: Unit[] = [];
  for (const ch of clean.split('')) {
    units.push(ch === '\n' ? { t: 'newline', style: copy(inherited), paragraph: { ...paragraph } } : { t: 'text', ch, style: copy(inherited) });
  }
  insertUnits(doc, index, units);
  return units.length;
}

function copy<T extends object>(v: T | undefined): T | undefined {
  return v && Object.keys(v).length ? structuredClone(v) : undefined;
}

/**
 * Deletes [start, end) under the DeleteContentRangeRequest rules: not the segment's last newline, not half a
 * surrogate pair, not part of a table's structure (only a whole table, or content inside one cell short of the
 * cell's last newline), not the newline just before a table without the table.
 */
export function deleteRange(doc: DocState, start: number, end: number): void {
  const units = doc.units;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end <= start) {
    throw new EditError(`The range [${start}, ${end}) is empty or out of order; start must be at least 1.`);
  }
  if (end > units.length) throw new EditError(`Index ${end} must be less than or equal to the end index of the referenced segment, ${units.length}.`);
  if (end === units.length) throw new EditError('The range cannot include the newline character at the end of the segment.');
  if (isLow(units[start]) || isHigh(units[end - 1])) throw new EditError('The range cannot split a surrogate pair.');
  for (const t of tables(units)) {
    const overlaps = start < t.end && end > t.start;
    const whole = start <= t.start && end >= t.end;
    if (whole) continue;
    if (start <= t.start - 1 && end > t.start - 1) {
      throw new EditError('The range cannot include the newline character before a table without deleting the table.');
    }
    if (!overlaps) continue;
    const cell = t.rows.flatMap((r) => r.cells).find((c) => start > c.start && start < c.end);
    if (!cell || end > cell.end - 1) {
      throw new EditError('The range must delete a whole table, or lie inside one table cell without its last newline.');
    }
  }
  mergeParagraphStyle(doc, start, end);
  units.splice(start, end - start);
  shiftForDelete(doc, start, end);
}

/** Joining two paragraphs keeps the style of the first, as editing in Docs does. */
function mergeParagraphStyle(doc: DocState, start: number, end: number): void {
  const units = doc.units;
  if (!units.slice(start, end).some((u) => u.t === 'newline') || units[start - 1]?.t !== 'text') return;
  const first = units[paragraphAround(units, start - 1).newline] as Extract<Unit, { t: 'newline' }>;
  const surviving = units[end]?.t === 'newline' || units[end]?.t === 'text' ? units[paragraphAround(units, end).newline] : undefined;
  if (surviving?.t === 'newline') surviving.paragraph = { ...first.paragraph };
}

function shiftForDelete(doc: DocState, start: number, end: number): void {
  const n = end - start;
  const move = (i: number) => (i <= start ? i : i >= end ? i - n : start);
  for (const named of doc.namedRanges) {
    named.ranges = named.ranges.map((r) => ({ start: move(r.start), end: move(r.end) })).filter((r) => r.end > r.start);
  }
  // A named range whose content is all gone is gone too (Google's named-range guide re-creates it after replacing).
  doc.namedRanges = doc.namedRanges.filter((r) => r.ranges.length > 0);
}

/** insertTable: a newline goes in at `index` and the table right after it (InsertTableRequest). */
export function insertTable(doc: DocState, index: number, rows: number, columns: number): void {
  assertInsertable(doc, index);
  if (insideTable(doc, index)) throw new NotEmulated('a table inside a table cell');
  if (!(rows >= 1 && columns >= 1 && columns <= 20)) throw new EditError('A table needs at least one row and 1-20 columns.');
  const { newline } = paragraphAround(doc.units, index);
  const paragraph = (doc.units[newline] as Extract<Unit, { t: 'newline' }>).paragraph;
  const units: Unit[] = [{ t: 'newline', paragraph: { ...paragraph } }, { t: 'table', columns }];
  for (let r = 0; r < rows; r++) units.push(...emptyRow(columns));
  units.push({ t: 'tableEnd' });
  insertUnits(doc, index, units);
}

export function emptyRow(columns: number, paragraphs: ParagraphStyle[] = []): Unit[] {
  const units: Unit[] = [{ t: 'row' }];
  for (let c = 0; c < columns; c++) units.push({ t: 'cell' }, { t: 'newline', paragraph: { ...(paragraphs[c] ?? NORMAL) } });
  return units;
}

function insideTable(doc: DocState, index: number): boolean {
  return tables(doc.units).some((t) => index > t.start && index < t.end);
}
