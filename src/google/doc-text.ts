import type { docs_v1 } from '@googleapis/docs';

/**
 * Reading a Docs `Document` as index-addressed text. Every index the Docs API uses counts UTF-16 code units
 * ("The zero-based start index of this element, in UTF-16 code units" - Document reference), which is what a
 * JavaScript string's length and indices count too; so `text.length` is the only length arithmetic here, and
 * an emoji (two units) or right-to-left text (one per letter, stored in logical order) needs no special case.
 */
type Doc = docs_v1.Schema$Document;
type Element = docs_v1.Schema$StructuralElement;

/** The body as one string where position i holds the character at document index i; structure is U+0000. */
export function bodyText(doc: Doc): string {
  const content = doc.body?.content ?? [];
  const end = content.length ? (content[content.length - 1].endIndex ?? 0) : 0;
  const chars: string[] = new Array(end).fill('\u0000');
  const walk = (elements: Element[]) => {
    for (const el of elements) {
      for (const p of el.paragraph?.elements ?? []) {
        const text = p.textRun?.content;
        if (text === undefined || text === null) continue;
        for (let i = 0; i < text.length; i++) chars[(p.startIndex ?? 0) + i] = text[i];
      }
      for (const row of el.table?.tableRows ?? []) for (const cell of row.tableCells ?? []) walk(cell.content ?? []);
    }
  };
  walk(content);
  return chars.join('');
}

/** Each paragraph of the body, in tables too, with the index its text starts at. */
export function paragraphs(doc: Doc): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  const walk = (elements: Element[]) => {
    for (const el of elements) {
      if (el.paragraph) out.push({ start: el.startIndex ?? 0, text: paragraphText(el) });
      for (const row of el.table?.tableRows ?? []) for (const cell of row.tableCells ?? []) walk(cell.content ?? []);
    }
  };
  walk(doc.body?.content ?? []);
  return out;
}

/** A paragraph's text; elements other than text runs (images, chips) keep their length as U+FFFC. */
function paragraphText(el: Element): string {
  return (el.paragraph?.elements ?? [])
    .map((p) => p.textRun?.content ?? '\ufffc'.repeat((p.endIndex ?? 0) - (p.startIndex ?? 0)))
    .join('');
}

/** The text of a table cell without its closing newline. */
export function cellText(cell: docs_v1.Schema$TableCell): string {
  return (cell.content ?? [])
    .map((el) => (el.paragraph ? paragraphText(el) : ''))
    .join('')
    .replace(/\n$/, '');
}

export interface NamedRangeRef {
  id: string;
  start: number;
  end: number;
}

/** The body ranges named `name` (the first range of each named range). */
export function namedRanges(doc: Doc, name: string): NamedRangeRef[] {
  return (doc.namedRanges?.[name]?.namedRanges ?? []).flatMap((r) => {
    const first = (r.ranges ?? []).find((x) => !x.segmentId);
    return first && r.namedRangeId ? [{ id: r.namedRangeId, start: first.startIndex ?? 0, end: first.endIndex ?? 0 }] : [];
  });
}

const STRIPPED = /[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]/g;

/**
 * Text as Docs will store it: insertText strips U+0000-U+0008, U+000C-U+001F and the BMP private use area.
 * Lengths are computed after this, or every later index in the same batch would be off.
 */
export function docsSafe(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(STRIPPED, '');
}
