import type { docs_v1 } from '@googleapis/docs';
import { failureKind, OutsideError } from '../outside-error';
import { withSignal, type GoogleClients } from './clients';
import { cellText, docsSafe } from './doc-text';
import { lockedWrite, readForWrite } from './locked-write';
import { withRetry, type RetryPolicy } from './retry';
import { findTimeline, planRows, rewriteCell, ROW, taggedRows, TIMELINE, type TimelineRow } from './timeline';

/**
 * The doc's timeline table kept in step with the incident's log, both ways. Rows Firebreak wrote carry the named
 * range `firebreak.row.<entry id>`; a row without one was typed by a person.
 * @example
 *   const { rows, revisionId } = await timeline.read(docId);        // what is in the table now
 *   await timeline.sync(docId, wanted);                              // one locked write: append, tag, rewrite
 */
export interface DocTimeline {
  /** The doc's current revision only (`fields=revisionId`): cheap enough to poll. */
  revision(docId: string): Promise<string>;
  read(docId: string): Promise<TableRead>;
  /**
   * Appends missing rows, tags rows people wrote, rewrites rows marked `rewrite`, in one revision-locked write. Given a
   * function, asks it for the rows once the write's Docs budget is taken and the doc read (again for each race lost),
   * so whatever the chat said while the write waited its turn goes in this write, not the next. The function is told
   * the entry text of each tagged row as just read.
   */
  sync(docId: string, rows: readonly WantedRow[] | ((present: ReadonlyMap<string, string>) => Promise<readonly WantedRow[]>), signal?: AbortSignal): Promise<SyncResult>;
  /** Who last changed the doc, best effort (Drive `lastModifyingUser`). */
  lastEditor(docId: string): Promise<{ name: string; email?: string } | undefined>;
  /** Opens a Drive push channel on the doc (`files.watch`, web_hook); Drive answers the expiry it granted. */
  watch(docId: string, channel: { id: string; token: string; address: string; expiration: number }): Promise<{ resourceId: string; expiration: string }>;
  /** `channels.stop`; a channel Drive no longer knows (expired) counts as stopped. */
  stopWatch(id: string, resourceId: string): Promise<void>;
}

export interface DocRow {
  /** The entry id from the row's named range; unset for a row a person added. */
  key?: string;
  time: string;
  who: string;
  entry: string;
}

export interface TableRead {
  revisionId: string;
  /** Body rows, header left out; undefined when the doc has no timeline table. */
  rows?: DocRow[];
}

export interface WantedRow extends TimelineRow {
  struck: boolean;
  /** A person wrote it in the doc: find it and tag it, never append it. */
  fromDoc: boolean;
  /** Firebreak's text changed since it wrote the row (an edit, a deletion): write the entry cell again. */
  rewrite: boolean;
  /** What Firebreak last wrote in the row, and what an earlier sync was writing (null/unset: nothing yet). */
  known?: string | null;
  pending?: string | null;
}

export interface SyncResult {
  /** The rows the write that went through was planned from. */
  wanted: readonly WantedRow[];
  /** Rows written or tagged by this sync (their text is now Firebreak's). */
  written: string[];
  /** Every tagged row's entry text as found before the write. */
  present: Map<string, string>;
  /** The revision the write made, when this sync wrote. */
  revisionId?: string;
  /** The revision this sync read (before its write). */
  readRevisionId: string;
}

export function createDocTimeline(clients: GoogleClients, retry?: RetryPolicy): DocTimeline {
  return {
    async revision(docId) {
      return withRetry('checking the incident doc', async () => (await readRevision(clients, docId)), retry);
    },
    async read(docId) {
      const doc = await withRetry('reading the incident doc', () => readForWrite(clients, docId), retry);
      return { revisionId: doc.revisionId!, rows: tableRows(doc) };
    },
    async sync(docId, rows, signal) {
      let read = '';
      let revisionId: string | undefined;
      let present = new Map<string, string>();
      let wanted: readonly WantedRow[] = [];
      const plan = async (doc: docs_v1.Schema$Document) => {
        read = doc.revisionId!;
        const raw = rawRows(doc);
        wanted = typeof rows === 'function' ? await rows(entryTexts(raw ?? [])) : rows;
        const planned = planSync(doc, wanted, raw);
        present = planned.present;
        return { requests: planned.requests, result: planned.written };
      };
      // The answer's writeControl names the revision this write made, and only it: no person's edit hides in it.
      const written = await lockedWrite(withSignal(clients, signal), 'writing the timeline', docId, plan, retry, (r) => (revisionId = r));
      return { written, present, wanted, ...(revisionId ? { revisionId } : {}), readRevisionId: read };
    },
    async lastEditor(docId) {
      const res = await clients.drive.files.get({ fileId: docId, supportsAllDrives: true, fields: 'lastModifyingUser(displayName,emailAddress,me)' });
      const user = res.data.lastModifyingUser;
      // Firebreak's own write since the person's (a row tagged, say): who typed it is no longer known.
      if (user?.me || (!user?.displayName && !user?.emailAddress)) return undefined;
      return { name: user.displayName || user.emailAddress!, ...(user.emailAddress ? { email: user.emailAddress } : {}) };
    },
    async watch(docId, channel) {
      const res = await withRetry(
        'watching the incident doc',
        () =>
          clients.drive.files.watch({
            fileId: docId,
            supportsAllDrives: true,
            requestBody: { id: channel.id, type: 'web_hook', address: channel.address, token: channel.token, expiration: String(channel.expiration) },
          }),
        retry,
      );
      return { resourceId: res.data.resourceId!, expiration: new Date(Number(res.data.expiration ?? channel.expiration)).toISOString() };
    },
    async stopWatch(id, resourceId) {
      try {
        await withRetry('stopping a doc watch', () => clients.drive.channels.stop({ requestBody: { id, resourceId } }), retry);
      } catch (err) {
        if (failureKind(err) !== 'not-found') throw err;
      }
    },
  };
}

async function readRevision(clients: GoogleClients, documentId: string): Promise<string> {
  const doc = (await clients.docs.documents.get({ documentId, fields: 'revisionId' })).data;
  if (!doc.revisionId) throw new OutsideError('not-found', 'Firebreak may only read the incident doc now, no longer edit it.');
  return doc.revisionId;
}

interface RawRow {
  key?: string;
  cells: string[];
  /** The entry cell's text range [start, end) (its last newline excluded). */
  entry: { start: number; end: number };
}

function rawRows(doc: docs_v1.Schema$Document): RawRow[] | undefined {
  const table = findTimeline(doc);
  if (!table) return undefined;
  return taggedRows(doc, table, ROW).map(({ key, cells }) => {
    const last = cells[Math.min(2, cells.length - 1)];
    return {
      key,
      cells: cells.map(cellText),
      entry: { start: (last?.startIndex ?? 0) + 1, end: (last?.endIndex ?? 1) - 1 },
    };
  });
}

/** Each tagged row's entry text, by its key. */
function entryTexts(rows: readonly RawRow[]): Map<string, string> {
  return new Map(rows.flatMap((r) => (r.key ? [[r.key, r.cells[2] ?? '']] : [])));
}

function tableRows(doc: docs_v1.Schema$Document): DocRow[] | undefined {
  return rawRows(doc)?.map((r) => ({ ...(r.key ? { key: r.key } : {}), time: r.cells[0] ?? '', who: r.cells[1] ?? '', entry: r.cells[2] ?? '' }));
}

/**
 * The one batch: tags first (they move nothing), then new rows (each below the nearest earlier entry: placeBelow)
 * and rewrites together from the bottom of the table up, so that no request's indices are moved by an earlier one in
 * the same batch.
 */
function planSync(doc: docs_v1.Schema$Document, wanted: readonly WantedRow[], rows: RawRow[] | undefined): { requests: docs_v1.Schema$Request[]; written: string[]; present: Map<string, string> } {
  const table = findTimeline(doc);
  if (!table || !rows) throw new OutsideError('permanent', 'the incident doc has no timeline table (a table whose header row is "Time (UTC) | Who | Entry")');
  const present = entryTexts(rows);
  const requests: docs_v1.Schema$Request[] = [];
  const written: string[] = [];
  const untagged = rows.filter((r) => !r.key);
  const appends: TimelineRow[] = [];
  const inserts = new Map<number, TimelineRow[]>(); // by the table row they go below
  const last = table.rows.length - 1;
  for (const [k, row] of wanted.entries()) {
    if (present.has(row.key)) continue;
    if (!row.fromDoc) {
      // Only rows Firebreak never wrote: one it wrote that is gone was deleted or moved by a person, and stays so.
      if (row.known == null) {
        appends.push(row);
        const below = placeBelow(wanted, k, rows, present, last);
        inserts.set(below, [...(inserts.get(below) ?? []), row]);
      }
      continue;
    }
    // A person's row: tag the first untagged row with its text, or else one that starts with it (they were still
    // typing when it was read: the watcher tells the rest as an edit); if they deleted it since, it stays out.
    const text = docsSafe(row.entry).trim();
    let at = untagged.findIndex((r) => (r.cells[2] ?? '').trim() === text);
    if (at < 0) at = untagged.findIndex((r) => (r.cells[2] ?? '').trim().startsWith(text));
    if (at < 0) continue;
    const [found] = untagged.splice(at, 1);
    const tableRow = (doc.body?.content ?? []).find((e) => e.startIndex === table.start)!.table!.tableRows![rows.indexOf(found) + 1];
    requests.push({ createNamedRange: { name: ROW + row.key, range: { startIndex: tableRow.startIndex!, endIndex: tableRow.endIndex! } } });
    written.push(row.key);
  }
  // Every insert and rewrite below moves the indices of what follows it, so they go from the bottom of the table up;
  // the table's own name (when it has none yet) goes first, while its range is still as read.
  const ops: { at: number; requests: docs_v1.Schema$Request[] }[] = [];
  if (appends.length && !table.namedRangeId) requests.push(...planRows(table, []));
  const named = { ...table, namedRangeId: table.namedRangeId ?? TIMELINE };
  for (const [below, group] of inserts) ops.push({ at: below >= last ? table.end - 1 : table.rows[below].end, requests: planRows(named, group, below) });
  written.push(...appends.map((r) => r.key));
  // A cell holding neither Firebreak's text nor the new one was changed by a person since: theirs stands (the watcher
  // tells it in the chat), never overwritten unread.
  const ours = (w: WantedRow, now: string) => [w.known, w.pending, w.entry].some((t) => t != null && docsSafe(t).trim() === now.trim());
  const rewrites = wanted.filter((w) => w.rewrite && present.has(w.key) && ours(w, present.get(w.key)!)).map((w) => ({ w, raw: rows.find((r) => r.key === w.key)! }));
  for (const { w, raw } of rewrites) {
    const link = w.link ? { link: { url: w.link } } : {};
    ops.push({ at: raw.entry.start, requests: rewriteCell(raw.entry, docsSafe(w.entry), { bold: false, strikethrough: w.struck, ...link }, 'bold,strikethrough,link') });
    written.push(w.key);
  }
  for (const op of ops.sort((a, b) => b.at - a.at)) requests.push(...op.requests);
  return { requests, written, present };
}

/**
 * Which table row a missing entry goes below: the timeline is in time order (the log's, domain/timeline.ts), so a late
 * entry (a message added to the timeline after newer ones) goes right below the nearest earlier entry in the table,
 * or below the header when none is. The newest entries are appended at the bottom as ever, after rows people typed.
 */
function placeBelow(wanted: readonly WantedRow[], k: number, rows: readonly { key?: string }[], present: ReadonlyMap<string, string>, last: number): number {
  if (!wanted.slice(k + 1).some((w) => present.has(w.key))) return last;
  for (let j = k - 1; j >= 0; j--) {
    const at = present.has(wanted[j].key) ? rows.findIndex((r) => r.key === wanted[j].key) : -1;
    if (at >= 0) return at + 1; // table rows count the header
  }
  return 0;
}
