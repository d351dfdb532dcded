import type { Sql } from './sql';

/**
 * What Firebreak knows of each incident doc's timeline, beside the event log: the text it last wrote in each row
 * (so a person's edit can be told from a write of its own still in flight), the revision it last read, and the
 * Drive push channels watching the doc.
 */
export interface KnownRow {
  key: string;
  /** The text Firebreak last wrote or accepted in the row's entry cell. */
  text: string | null;
  /** Text being written right now: a read that sees it is not a person's edit. */
  pending: string | null;
  struck: boolean;
}

export interface WatchChannel {
  id: string;
  incidentId: string;
  docId: string;
  resourceId: string;
  token: string;
  expiration: string;
}

export interface TimelineStore {
  rows(incidentId: string): Promise<Map<string, KnownRow>>;
  /** Before a write: the text about to be written (a crash leaves it pending, never lost). */
  markPending(incidentId: string, rows: { key: string; text: string }[], now: string): Promise<void>;
  /**
   * A write of ours that landed unanswered (the doc shows the row's pending text): that text becomes the written one,
   * for the rows whose pending text is still the one given (another replica may have moved on meanwhile).
   */
  acceptPending(incidentId: string, rows: { key: string; text: string; struck: boolean }[], now: string): Promise<void>;
  /** After a write, or when a read accepts what is in the doc. */
  saveRows(incidentId: string, rows: { key: string; text: string; struck?: boolean }[], now: string): Promise<void>;
  revision(incidentId: string): Promise<string | undefined>;
  saveRevision(incidentId: string, docId: string, revisionId: string, now: string): Promise<void>;
  addChannel(channel: WatchChannel): Promise<void>;
  channel(id: string): Promise<WatchChannel | undefined>;
  /** Channels not stopped, of one incident or all. */
  channels(incidentId?: string): Promise<WatchChannel[]>;
  channelStopped(id: string, now: string): Promise<void>;
  /**
   * Takes the right to open this incident's push channel until `until`, for all replicas: false while a claim runs,
   * whoever holds it (a back-off holds back the replica that was refused too).
   */
  claimWatch(incidentId: string, holder: string, now: string, until: string): Promise<boolean>;
  /** Keeps the holder's claim until `until`: after Drive refused, no replica asks again before then. */
  holdWatch(incidentId: string, holder: string, until: string): Promise<void>;
  /** Ends a claim early (the channel is open); a claim not released runs out by itself. */
  releaseWatch(incidentId: string, holder: string): Promise<void>;
}

export function createTimelineStore(sql: Sql): TimelineStore {
  const channelColumns = 'id, incident_id, doc_id, resource_id, token, expiration';
  type ChannelRow = { id: string; incident_id: string; doc_id: string; resource_id: string; token: string; expiration: Date | string };
  const toChannel = (r: ChannelRow): WatchChannel => ({
    id: r.id,
    incidentId: r.incident_id,
    docId: r.doc_id,
    resourceId: r.resource_id,
    token: r.token,
    expiration: new Date(r.expiration).toISOString(),
  });
  return {
    async rows(incidentId) {
      const rows = await sql.query<KnownRow>('SELECT key, text, pending, struck FROM timeline_rows WHERE incident_id = $1', [incidentId]);
      return new Map(rows.map((r) => [r.key, { key: r.key, text: r.text, pending: r.pending, struck: Boolean(r.struck) }]));
    },
    async markPending(incidentId, rows, now) {
      for (const r of rows) {
        await sql.query(
          `INSERT INTO timeline_rows (incident_id, key, pending, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (incident_id, key) DO UPDATE SET pending = $3, updated_at = $4`,
          [incidentId, r.key, r.text, now],
        );
      }
    },
    async acceptPending(incidentId, rows, now) {
      for (const r of rows) {
        await sql.query(
          `UPDATE timeline_rows SET text = pending, pending = NULL, struck = $4, updated_at = $5
           WHERE incident_id = $1 AND key = $2 AND pending = $3`,
          [incidentId, r.key, r.text, r.struck, now],
        );
      }
    },
    async saveRows(incidentId, rows, now) {
      for (const r of rows) {
        await sql.query(
          `INSERT INTO timeline_rows (incident_id, key, text, struck, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (incident_id, key) DO UPDATE SET text = $3, pending = NULL, struck = $4, updated_at = $5`,
          [incidentId, r.key, r.text, r.struck ?? false, now],
        );
      }
    },
    async revision(incidentId) {
      const rows = await sql.query<{ revision_id: string | null }>('SELECT revision_id FROM timeline_docs WHERE incident_id = $1', [incidentId]);
      return rows[0]?.revision_id ?? undefined;
    },
    async saveRevision(incidentId, docId, revisionId, now) {
      await sql.query(
        `INSERT INTO timeline_docs (incident_id, doc_id, revision_id, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (incident_id) DO UPDATE SET doc_id = $2, revision_id = $3, updated_at = $4`,
        [incidentId, docId, revisionId, now],
      );
    },
    async addChannel(c) {
      await sql.query(
        `INSERT INTO watch_channels (id, incident_id, doc_id, resource_id, token, expiration) VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.id, c.incidentId, c.docId, c.resourceId, c.token, c.expiration],
      );
    },
    async channel(id) {
      const rows = await sql.query<ChannelRow>(`SELECT ${channelColumns} FROM watch_channels WHERE id = $1 AND stopped_at IS NULL`, [id]);
      return rows[0] ? toChannel(rows[0]) : undefined;
    },
    async channels(incidentId) {
      const rows = await sql.query<ChannelRow>(
        `SELECT ${channelColumns} FROM watch_channels WHERE stopped_at IS NULL AND ($1::text IS NULL OR incident_id = $1) ORDER BY expiration`,
        [incidentId ?? null],
      );
      return rows.map(toChannel);
    },
    async channelStopped(id, now) {
      await sql.query('UPDATE watch_channels SET stopped_at = $2 WHERE id = $1', [id, now]);
    },
    async claimWatch(incidentId, holder, now, until) {
      const rows = await sql.query(
        `INSERT INTO watch_claims (incident_id, holder, until) VALUES ($1, $2, $4)
         ON CONFLICT (incident_id) DO UPDATE SET holder = $2, until = $4 WHERE watch_claims.until <= $3
         RETURNING incident_id`,
        [incidentId, holder, now, until],
      );
      return rows.length === 1;
    },
    async holdWatch(incidentId, holder, until) {
      await sql.query('UPDATE watch_claims SET until = $3 WHERE incident_id = $1 AND holder = $2', [incidentId, holder, until]);
    },
    async releaseWatch(incidentId, holder) {
      await sql.query('DELETE FROM watch_claims WHERE incident_id = $1 AND holder = $2', [incidentId, holder]);
    },
  };
}
