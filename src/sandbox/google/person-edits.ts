import { docsHandlers } from './docs-api';
import type { DriveCall } from './drive-call';
import type { DriveData } from './drive-state';
import { SandboxError } from './errors';
import { timelineTable } from './timeline-table';

/**
 * What a person does to the timeline in the Docs editor, for the sandbox's doc page: add a row at the end of the
 * table, or rewrite the cells of a row. Each becomes the Docs `batchUpdate` requests the editor's change amounts to
 * and goes through the emulator's own `documents.batchUpdate`, as that person: their access is checked, the doc
 * gets a new revision with them as its last editor, and push channels hear of it. No API quota is charged: a person
 * typing in Docs spends none.
 */
export type TimelineCells = { time: string; who: string; entry: string };

export type PersonEdit =
  | { kind: 'add'; cells: TimelineCells }
  /** `row` counts from 1 (the header is row 0); `was` is what the person saw there, so a row changed meanwhile is not overwritten. */
  | { kind: 'edit'; row: number; was: TimelineCells; cells: TimelineCells };

export type EditResult = { ok: true; revision: string } | { ok: false; status: number; reason: string };

export interface PersonEditDeps {
  data: DriveData;
  /** Everything a DriveCall carries besides the caller, the document and the body. */
  call: Omit<DriveCall, 'data' | 'caller' | 'params' | 'query' | 'body'>;
  /** The scopes a person's session has in the editor. */
  scopes: string[];
}

const ORDER = ['time', 'who', 'entry'] as const;

export function applyPersonEdit(deps: PersonEditDeps, docId: string, by: string, edit: PersonEdit): EditResult {
  const doc = deps.data.docs[docId];
  if (!doc || !deps.data.files[docId]) return { ok: false, status: 404, reason: 'No such document in the sandbox.' };
  const table = timelineTable(doc.units);
  if (!table) return { ok: false, status: 409, reason: 'This document has no timeline table (a table whose first row is "Time (UTC) | Who | Entry").' };
  const texts = ORDER.map((k) => clean(edit.cells[k]));
  let requests: Record<string, unknown>[];
  if (edit.kind === 'add') {
    if (!texts[2]) return { ok: false, status: 400, reason: 'Write the entry: what happened.' };
    requests = appendRow(table.layout, texts);
  } else {
    const row = table.layout.rows[edit.row];
    const seen = table.rows[edit.row];
    if (edit.row < 1 || !row || !seen) return { ok: false, status: 404, reason: `The timeline has no row ${edit.row}.` };
    if (ORDER.some((k, i) => (seen[i] ?? '') !== edit.was[k])) return { ok: false, status: 409, reason: 'That row changed while you were editing it; look at it again.' };
    requests = rewriteRow(row.cells, seen, texts);
    if (!requests.length) return { ok: true, revision: doc.revision };
  }
  const call: DriveCall = {
    ...deps.call,
    data: deps.data,
    caller: { email: by, serviceAccount: false, scopes: deps.scopes },
    params: { documentId: docId },
    query: new URLSearchParams(),
    body: { requests },
  };
  try {
    docsHandlers['docs.documents.batchUpdate'](call);
  } catch (err) {
    if (!(err instanceof SandboxError)) throw err;
    return { ok: false, status: err.code, reason: err.code === 403 ? `${by} may not edit this document: it is not shared with them.` : err.message };
  }
  return { ok: true, revision: deps.data.docs[docId].revision };
}

/** A cell holds one paragraph here: line breaks become spaces, and text Docs cannot hold is left out. */
function clean(text: unknown): string {
  return String(text ?? '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .slice(0, 2000);
}

/**
 * A row inserted below the last one starts at the table's end marker: a row marker, then per cell a cell marker and
 * an empty paragraph, so cell c's paragraph is at R + 2 + 2c. Cells are filled last to first so earlier indices hold.
 */
function appendRow(table: { start: number; end: number; rows: unknown[] }, texts: string[]): Record<string, unknown>[] {
  const rowStart = table.end - 1;
  const requests: Record<string, unknown>[] = [
    { insertTableRow: { tableCellLocation: { tableStartLocation: { index: table.start }, rowIndex: table.rows.length - 1, columnIndex: 0 }, insertBelow: true } },
  ];
  for (let c = texts.length - 1; c >= 0; c--) {
    if (texts[c]) requests.push({ insertText: { location: { index: rowStart + 2 + 2 * c }, text: texts[c] } });
  }
  return requests;
}

/** Replaces the text of each changed cell, last cell first so the indices of earlier cells hold. */
function rewriteRow(cells: { start: number; end: number }[], seen: string[], texts: string[]): Record<string, unknown>[] {
  const requests: Record<string, unknown>[] = [];
  for (let c = Math.min(cells.length, texts.length) - 1; c >= 0; c--) {
    if ((seen[c] ?? '') === texts[c]) continue;
    const start = cells[c].start + 1;
    const end = cells[c].end - 1; // the cell's last newline stays
    if (end > start) requests.push({ deleteContentRange: { range: { startIndex: start, endIndex: end } } });
    if (texts[c]) requests.push({ insertText: { location: { index: start }, text: texts[c] } });
  }
  return requests;
}
