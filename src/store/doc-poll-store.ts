import type { Sql } from './sql';

/**
 * What the doc watcher of every replica plans its polls from (issue 15 item 5): the docs to watch, how recently each
 * showed life, when any replica last polled it, and whether a Drive push channel covers it. A poll is claimed in
 * the store, so a doc due is polled by one replica, not by each.
 */
export interface PolledDoc {
  incidentId: string;
  /** 'timeline': the active incident's own doc (its table kept in step with the chat); others: asked for by `watch`. */
  kind: string;
  /** The doc's URL ('timeline', from the incident) or its id (other kinds). */
  url?: string;
  docId?: string;
  /** The incident's doc was lost (deleted, unshared): polled slowly to see whether it is back. */
  lost: boolean;
  /** The last sign of life: the incident's last event, or the doc seen changing. */
  activeAt: string;
  polledAt?: string;
  /** The latest expiry of a live Drive push channel on the doc. */
  pushUntil?: string;
}

export interface DocPollStore {
  /** Active incidents' docs (never a resolved one's), and the docs asked for by `watch` that are still wanted. */
  docs(now: string): Promise<PolledDoc[]>;
  /** Takes the doc's next poll for this replica: false when another polled it after `dueBy`. */
  claim(incidentId: string, kind: string, now: string, dueBy: string): Promise<boolean>;
  /** The doc was seen changing (a poll or a push found a new revision): it counts as active from `now`. */
  changed(incidentId: string, kind: string, now: string, revisionId?: string): Promise<void>;
  /**
   * Watch this doc too (a postmortem doc, say), whatever the incident's status, until `until` or `unwatch`. The
   * watcher's `onChange[kind]` hears of each revision after `revisionId` (unset: every revision, the first one it sees included).
   * @example await store.docPolls.watch({ incidentId, kind: 'postmortem', docId, revisionId }, now)
   */
  watch(doc: { incidentId: string; kind: string; docId: string; revisionId?: string; until?: string }, now: string): Promise<void>;
  unwatch(incidentId: string, kind: string): Promise<void>;
  /** The revision last seen of a doc asked for by `watch`. */
  revision(incidentId: string, kind: string): Promise<string | undefined>;
}

type Row = { incident_id: string; kind: string; url: string | null; doc_id: string | null; lost: boolean; active_at: Date | string; polled_at: Date | string | null; push_until: Date | string | null };
const iso = (t: Date | string) => new Date(t).toISOString();

export function createDocPollStore(sql: Sql): DocPollStore {
  return {
    async docs(now) {
      const rows = await sql.query<Row>(
        `SELECT i.id AS incident_id, 'timeline'::text AS kind, i.state #>> '{resources,doc,url}' AS url, NULL::text AS doc_id,
                (i.state #>> '{resources,doc,status}') = 'failed' AS lost,
                GREATEST(i.updated_at, p.changed_at) AS active_at, p.polled_at,
                (SELECT max(c.expiration) FROM watch_channels c WHERE c.incident_id = i.id AND c.stopped_at IS NULL) AS push_until
         FROM incidents i LEFT JOIN doc_polls p ON p.incident_id = i.id AND p.kind = 'timeline'
         WHERE i.status = 'active' AND i.state #>> '{resources,doc,status}' IN ('ready', 'failed') AND i.state #>> '{resources,doc,url}' IS NOT NULL
         UNION ALL
         SELECT p.incident_id, p.kind, NULL::text, p.doc_id, false, COALESCE(p.changed_at, p.watched_at), p.polled_at, NULL::timestamptz
         FROM doc_polls p WHERE p.kind <> 'timeline' AND (p.until IS NULL OR p.until > $1)`,
        [now],
      );
      return rows.map((r) => ({
        incidentId: r.incident_id,
        kind: r.kind,
        ...(r.url ? { url: r.url } : {}),
        ...(r.doc_id ? { docId: r.doc_id } : {}),
        lost: Boolean(r.lost),
        activeAt: iso(r.active_at),
        ...(r.polled_at ? { polledAt: iso(r.polled_at) } : {}),
        ...(r.push_until ? { pushUntil: iso(r.push_until) } : {}),
      }));
    },
    async claim(incidentId, kind, now, dueBy) {
      const rows = await sql.query(
        `INSERT INTO doc_polls (incident_id, kind, polled_at) VALUES ($1, $2, $3)
         ON CONFLICT (incident_id, kind) DO UPDATE SET polled_at = $3 WHERE doc_polls.polled_at IS NULL OR doc_polls.polled_at <= $4
         RETURNING incident_id`,
        [incidentId, kind, now, dueBy],
      );
      return rows.length === 1;
    },
    async changed(incidentId, kind, now, revisionId) {
      // A 'timeline' row may not exist yet (the incident's doc is watched from the incident); any other kind exists
      // only while watched: a doc unwatched meanwhile is not brought back by its last poll.
      await sql.query(
        kind === 'timeline'
          ? `INSERT INTO doc_polls (incident_id, kind, changed_at, revision_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (incident_id, kind) DO UPDATE SET changed_at = $3, revision_id = COALESCE($4, doc_polls.revision_id)`
          : 'UPDATE doc_polls SET changed_at = $3, revision_id = COALESCE($4, revision_id) WHERE incident_id = $1 AND kind = $2',
        [incidentId, kind, now, revisionId ?? null],
      );
    },
    async watch(doc, now) {
      await sql.query(
        `INSERT INTO doc_polls (incident_id, kind, doc_id, watched_at, until, revision_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (incident_id, kind) DO UPDATE SET doc_id = $3, watched_at = $4, until = $5, revision_id = COALESCE($6, doc_polls.revision_id)`,
        [doc.incidentId, doc.kind, doc.docId, now, doc.until ?? null, doc.revisionId ?? null],
      );
    },
    async unwatch(incidentId, kind) {
      await sql.query('DELETE FROM doc_polls WHERE incident_id = $1 AND kind = $2', [incidentId, kind]);
    },
    async revision(incidentId, kind) {
      const rows = await sql.query<{ revision_id: string | null }>('SELECT revision_id FROM doc_polls WHERE incident_id = $1 AND kind = $2', [incidentId, kind]);
      return rows[0]?.revision_id ?? undefined;
    },
  };
}
