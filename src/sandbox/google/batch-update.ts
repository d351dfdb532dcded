import { randomBytes } from 'node:crypto';
import { isTextual, paragraphAround, tableAt, type DocState, type Unit } from './document';
import { deleteRange, EditError, emptyRow, insertTable, insertText, insertUnits, NotEmulated, sanitize } from './edits';

/**
 * Applies the requests of one `documents.batchUpdate` in order to a working copy; the caller commits the copy only
 * when every request succeeded ("if any request is not valid, then the entire request will fail and nothing will
 * be applied" - https://developers.google.com/workspace/docs/api/reference/rest/v1/documents/batchUpdate).
 * Each request's indices refer to the document as the earlier requests left it.
 */
type Json = Record<string, any>;

export interface BatchResult {
  replies: Json[];
  changed: boolean;
}

export function applyRequests(doc: DocState, requests: Json[]): BatchResult {
  const replies: Json[] = [];
  let changed = false;
  requests.forEach((request, i) => {
    const kinds = Object.keys(request);
    if (kinds.length !== 1) throw new EditError(`Invalid requests[${i}]: exactly one kind of request must be set (got ${kinds.join(', ') || 'none'}).`);
    const kind = kinds[0];
    const handler = HANDLERS[kind];
    if (!handler) throw new NotEmulated(`the ${kind} request`);
    try {
      const out = handler(doc, request[kind]);
      replies.push(out.reply ?? {});
      changed ||= out.changed;
    } catch (err) {
      if (err instanceof EditError) throw new EditError(`Invalid requests[${i}].${kind}: ${err.message}`);
      throw err;
    }
  });
  return { replies, changed };
}

type Handler = (doc: DocState, body: Json) => { reply?: Json; changed: boolean };

const HANDLERS: Record<string, Handler> = {
  insertText(doc, body) {
    if (!body.text) throw new EditError('The text to insert must not be empty.');
    insertText(doc, locate(doc, body), body.text);
    return { changed: true };
  },
  deleteContentRange(doc, body) {
    const { start, end } = range(doc, body.range);
    deleteRange(doc, start, end);
    return { changed: true };
  },
  replaceAllText(doc, body) {
    checkTabs(body.tabsCriteria?.tabIds);
    const n = replaceAll(doc, body.containsText ?? {}, body.replaceText ?? '');
    // proto3 JSON omits zero: a request that matched nothing answers `{ replaceAllText: {} }`.
    return { reply: { replaceAllText: n ? { occurrencesChanged: n } : {} }, changed: n > 0 };
  },
  insertTable(doc, body) {
    insertTable(doc, locate(doc, body), int(body.rows), int(body.columns));
    return { changed: true };
  },
  insertTableRow(doc, body) {
    const loc = body.tableCellLocation ?? {};
    const start = locationIndex(loc.tableStartLocation ?? {});
    const table = tableAt(doc.units, start);
    if (!table) throw new EditError(`The table start location is invalid: no table starts at index ${start}.`);
    const row = table.rows[int(loc.rowIndex)];
    if (!row) throw new EditError(`Row index ${loc.rowIndex} is out of range: the table has ${table.rows.length} rows.`);
    if (!(int(loc.columnIndex) >= 0 && int(loc.columnIndex) < table.columns)) throw new EditError(`Column index ${loc.columnIndex} is out of range.`);
    // The new row's cells take the paragraph style of the reference row's cells; its text starts unstyled.
    const styles = row.cells.map((c) => (doc.units[c.end - 1] as Extract<Unit, { t: 'newline' }>).paragraph);
    insertUnits(doc, body.insertBelow ? row.end : row.start, emptyRow(table.columns, styles));
    return { changed: true };
  },
  createNamedRange(doc, body) {
    const name = String(body.name ?? '');
    if (name.length < 1 || name.length > 256) throw new EditError('The name must be 1 to 256 UTF-16 code units long.');
    const { start, end } = range(doc, body.range);
    const id = `kix.${randomBytes(6).toString('hex')}`;
    doc.namedRanges.push({ id, name, ranges: [{ start, end }] });
    return { reply: { createNamedRange: { namedRangeId: id } }, changed: true };
  },
  deleteNamedRange(doc, body) {
    checkTabs(body.tabsCriteria?.tabIds);
    if (body.namedRangeId) {
      if (!doc.namedRanges.some((r) => r.id === body.namedRangeId)) throw new EditError(`No named range has the id ${body.namedRangeId}.`);
      doc.namedRanges = doc.namedRanges.filter((r) => r.id !== body.namedRangeId);
    } else if (body.name) {
      doc.namedRanges = doc.namedRanges.filter((r) => r.name !== body.name);
    } else {
      throw new EditError('Either namedRangeId or name must be set.');
    }
    return { changed: true };
  },
  updateTextStyle(doc, body) {
    const { start, end } = range(doc, body.range);
    const fields = mask(body.fields);
    for (let i = start; i < end; i++) {
      const u = doc.units[i];
      if (isTextual(u)) u.style = merge(u.style ?? {}, body.textStyle ?? {}, fields);
    }
    return { changed: true };
  },
  updateParagraphStyle(doc, body) {
    const { start, end } = range(doc, body.range);
    const fields = mask(body.fields);
    for (let i = start; i < doc.units.length; i++) {
      const u = doc.units[i];
      if (u.t !== 'newline') continue;
      if (paragraphAround(doc.units, i).start >= end) break;
      u.paragraph = merge(u.paragraph, body.paragraphStyle ?? {}, fields);
    }
    return { changed: true };
  },
};

function replaceAll(doc: DocState, criteria: Json, replacement: string): number {
  const query = String(criteria.text ?? '');
  if (!query) throw new EditError('containsText.text must not be empty.');
  const matches: { start: number; length: number }[] = [];
  const units = doc.units;
  for (let i = 1; i < units.length; i++) {
    if (units[i].t !== 'text' || units[i - 1].t === 'text') continue;
    let end = i;
    while (units[end].t === 'text') end++;
    const text = units.slice(i, end).map((u) => (u as { ch: string }).ch).join('');
    for (const m of find(text, query, Boolean(criteria.matchCase), Boolean(criteria.searchByRegex))) matches.push({ start: i + m.index, length: m.length });
    i = end;
  }
  const clean = sanitize(replacement);
  for (const m of matches.reverse()) {
    const style = (units[m.start] as { style?: Json }).style;
    deleteRange(doc, m.start, m.start + m.length);
    if (clean) insertText(doc, m.start, clean, style);
  }
  return matches.length;
}

/** Matches inside one paragraph's text (a match never spans paragraphs). */
function find(text: string, query: string, matchCase: boolean, regex: boolean): { index: number; length: number }[] {
  const out: { index: number; length: number }[] = [];
  if (regex) {
    let re: RegExp;
    try {
      re = new RegExp(query, matchCase ? 'g' : 'gi');
    } catch (err) {
      throw new EditError(`containsText.text is not a valid regular expression: ${(err as Error).message}`);
    }
    for (const m of text.matchAll(re)) if (m[0].length) out.push({ index: m.index!, length: m[0].length });
    return out;
  }
  const fold = (s: string) => (matchCase ? s : s.split('').map((c) => (c.toLowerCase().length === 1 ? c.toLowerCase() : c)).join(''));
  const hay = fold(text);
  const needle = fold(query);
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) out.push({ index: at, length: needle.length });
  return out;
}

function locate(doc: DocState, body: Json): number {
  if (body.location && body.endOfSegmentLocation) throw new EditError('Only one of location and endOfSegmentLocation may be set.');
  if (body.endOfSegmentLocation) {
    segment(body.endOfSegmentLocation);
    return doc.units.length - 1;
  }
  if (!body.location) throw new EditError('A location or an endOfSegmentLocation is required.');
  return locationIndex(body.location);
}

function locationIndex(location: Json): number {
  segment(location);
  return int(location.index);
}

function range(doc: DocState, r: Json | undefined): { start: number; end: number } {
  if (!r) throw new EditError('A range is required.');
  segment(r);
  const start = int(r.startIndex);
  const end = int(r.endIndex);
  if (!(start >= 0 && end > start)) throw new EditError(`The range [${start}, ${end}) is empty or out of order.`);
  if (end > doc.units.length) throw new EditError(`Index ${end} must be less than or equal to the end index of the referenced segment, ${doc.units.length}.`);
  return { start, end };
}

function segment(where: Json): void {
  if (where.segmentId) throw new NotEmulated('editing headers, footers and footnotes (segmentId)');
  checkTabs(where.tabId ? [where.tabId] : undefined);
}

/** Documents here have one tab, `t.0`. */
function checkTabs(tabIds: unknown): void {
  if (Array.isArray(tabIds) && tabIds.some((t) => t !== 't.0')) throw new EditError(`Tab ${tabIds.find((t) => t !== 't.0')} was not found.`);
}

function int(v: unknown): number {
  return v === undefined ? 0 : Number(v);
}

function mask(fields: unknown): string[] | '*' {
  const text = String(fields ?? '').trim();
  if (!text) throw new EditError("At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)");
  return text === '*' ? '*' : text.split(',').map((f) => f.trim().split('.')[0]);
}

function merge(current: Json, update: Json, fields: string[] | '*'): Json {
  if (fields === '*') return structuredClone(update);
  const next = { ...current };
  for (const f of fields) {
    if (update[f] === undefined) delete next[f];
    else next[f] = structuredClone(update[f]);
  }
  return next;
}
