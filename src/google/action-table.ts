import { randomUUID } from 'node:crypto';
import type { docs_v1 } from '@googleapis/docs';
import { withSignal, type GoogleClients } from './clients';
import { cellText, docsSafe } from './doc-text';
import { lockedWrite } from './locked-write';
import type { RetryPolicy } from './retry';
import { findTable, planTableRows, rewriteCell, taggedRows, type TimelineTable } from './timeline';

/**
 * The postmortem doc's "Action items" table (templates/postmortem-doc.md), kept like the incident doc's timeline
 * (timeline-sync.ts): found by its header `Action | Owner | Due | State`, then by the named range
 * `firebreak.actions`; each row tagged `firebreak.action.<key>`, where the key is the follow-up's (`n3` for item
 * #3 written in chat, a fresh one for a row a person typed). Every write is revision-locked (locked-write.ts).
 * @example
 *   const { rows } = await actions.read(docId, new Map([[3, 'n3']])); // people's new rows tagged; every row keyed
 *   await actions.sync(docId, [{ key: 'n3', cells: ['#3 Add retries', 'Bob Brown', '2026-12-08', 'open'], known }]);
 */
export interface ActionTable {
  /**
   * The table's rows, each with its key. Rows people added get theirs in the same revision-locked write that reads
   * them (so a second read finds the same key and nothing is recorded twice); a `#n …` row Firebreak wrote when the
   * doc was made gets item n's key from `numbered`. Rows with an empty action cell are left for their author.
   */
  read(docId: string, numbered: ReadonlyMap<number, string>, signal?: AbortSignal): Promise<ActionRead>;
  /** Appends rows for keys not in the table and rewrites cells whose text is still `known` (nobody changed them). */
  sync(docId: string, wanted: readonly WantedAction[], signal?: AbortSignal): Promise<ActionSync>;
}

export const ACTIONS = 'firebreak.actions';
export const ACTION_ROW = 'firebreak.action.';
export const ACTIONS_HEADER = ['Action', 'Owner', 'Due', 'State'] as const;

export interface ActionRow {
  key: string;
  /** Action, owner, due, state, as in the doc. */
  cells: string[];
}

export interface ActionRead {
  /** The doc's revision after the read (and the tags it wrote, if any). */
  revisionId: string;
  /** Undefined when the doc has no action table. */
  rows?: ActionRow[];
  /** Whether the read wrote tags (a write spent). */
  tagged: boolean;
}

export interface WantedAction {
  key: string;
  cells: string[];
  /** The cells as Firebreak last wrote or accepted them; unset: the row was never in the doc (append it). */
  known?: string[];
}

export interface ActionSync {
  /** Keys whose row was appended or had a cell rewritten, with the cells now in the doc. */
  written: ActionRow[];
  revisionId?: string;
  /** The revision the write was planned on (read under the lock). */
  readRevisionId: string;
}

interface RawRow {
  key?: string;
  cells: string[];
  start: number;
  end: number;
  /** Each cell's text range [start, end) (its last newline excluded). */
  ranges: { start: number; end: number }[];
}

export function createActionTable(clients: GoogleClients, retry?: RetryPolicy): ActionTable {
  return {
    async read(docId, numbered, signal) {
      let revisionId = '';
      let tagged = false;
      const plan = (doc: docs_v1.Schema$Document) => {
        revisionId = doc.revisionId!;
        return planTags(doc, numbered);
      };
      const rows = await lockedWrite(withSignal(clients, signal), 'reading the postmortem action items', docId, plan, retry, (r) => {
        revisionId = r;
        tagged = true;
      });
      return { revisionId, tagged, ...(rows && { rows }) };
    },
    async sync(docId, wanted, signal) {
      let revisionId: string | undefined;
      let readRevisionId = '';
      const plan = (doc: docs_v1.Schema$Document) => {
        readRevisionId = doc.revisionId!;
        return planSync(doc, wanted);
      };
      const written = await lockedWrite(withSignal(clients, signal), 'writing the postmortem action items', docId, plan, retry, (r) => (revisionId = r));
      return { written, readRevisionId, ...(revisionId && { revisionId }) };
    },
  };
}

export function findActions(doc: docs_v1.Schema$Document): TimelineTable | undefined {
  return findTable(doc, ACTIONS, ACTIONS_HEADER);
}

function rawRows(doc: docs_v1.Schema$Document, table: TimelineTable): RawRow[] {
  return taggedRows(doc, table, ACTION_ROW).map(({ key, start, end, cells }) => ({
    key,
    cells: ACTIONS_HEADER.map((_, c) => (cells[c] ? cellText(cells[c]) : '')),
    start,
    end,
    ranges: cells.map((cell) => ({ start: (cell.startIndex ?? 0) + 1, end: (cell.endIndex ?? 1) - 1 })),
  }));
}

/** Tags first (they move nothing): the table's own name, and each untagged row with an action written in it. */
function planTags(doc: docs_v1.Schema$Document, numbered: ReadonlyMap<number, string>): { requests: docs_v1.Schema$Request[]; result: ActionRow[] | undefined } {
  const table = findActions(doc);
  if (!table) return { requests: [], result: undefined };
  const rows = rawRows(doc, table);
  const requests: docs_v1.Schema$Request[] = [];
  const taken = new Set(rows.flatMap((r) => (r.key ? [r.key] : [])));
  const result: ActionRow[] = [];
  for (const row of rows) {
    if (!row.key && !row.cells[0].trim()) continue; // an empty row, or one whose author has not got to the action yet
    let key = row.key;
    if (!key) {
      const n = /^#(\d{1,6})\s/.exec(row.cells[0].trim() + ' ')?.[1];
      const mine = n !== undefined ? numbered.get(Number(n)) : undefined;
      key = mine && !taken.has(mine) ? mine : `d${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      taken.add(key);
      requests.push({ createNamedRange: { name: ACTION_ROW + key, range: { startIndex: row.start, endIndex: row.end } } });
    }
    result.push({ key, cells: row.cells });
  }
  if (requests.length && !table.namedRangeId) requests.unshift({ createNamedRange: { name: ACTIONS, range: { startIndex: table.start, endIndex: table.end } } });
  return { requests, result };
}

const same = (a: string | undefined, b: string) => a !== undefined && a.trim() === b.trim();

/**
 * Appends rows never in the doc (a row Firebreak wrote or accepted that is gone was deleted by a person, and stays
 * so), and rewrites each cell that reads as Firebreak last left it but no longer says what the item does: a cell a
 * person changed since stands (the watcher reads it as their edit). Rewrites go from the bottom of the doc up, so no
 * request's indices move under another; appends go last, at the table's end.
 */
function planSync(doc: docs_v1.Schema$Document, wanted: readonly WantedAction[]): { requests: docs_v1.Schema$Request[]; result: ActionRow[] } {
  const table = findActions(doc);
  if (!table) return { requests: [], result: [] };
  const rows = rawRows(doc, table);
  const byKey = new Map(rows.flatMap((r) => (r.key ? [[r.key, r] as const] : [])));
  const ops: { at: number; requests: docs_v1.Schema$Request[] }[] = [];
  const written: ActionRow[] = [];
  const appends: WantedAction[] = [];
  for (const w of wanted) {
    const row = byKey.get(w.key);
    if (!row) {
      if (!w.known) appends.push(w);
      continue;
    }
    const cells = [...row.cells];
    w.cells.forEach((text, c) => {
      const safe = docsSafe(text);
      if (same(row.cells[c], safe) || !same(w.known?.[c], row.cells[c]) || !row.ranges[c]) return;
      ops.push({ at: row.ranges[c].start, requests: rewriteCell(row.ranges[c], safe, { bold: false }, 'bold') });
      cells[c] = safe;
    });
    if (cells.some((t, c) => t !== row.cells[c])) written.push({ key: w.key, cells });
  }
  const requests = ops.sort((a, b) => b.at - a.at).flatMap((op) => op.requests);
  // Appends below the last row: its end is read before the rewrites above it, so they go first in the batch.
  if (appends.length) {
    requests.unshift(...planTableRows(table, ACTIONS, appends.map((w) => ({ name: ACTION_ROW + w.key, cells: w.cells }))));
    written.push(...appends.map((w) => ({ key: w.key, cells: w.cells.map(docsSafe) })));
  }
  return { requests, result: written };
}
