import type { Sql } from './sql';

/** One effect kind's backlog: effects due (or waiting for a retry) and not done, and how long the oldest has waited. */
export interface OutboxKind {
  kind: string;
  depth: number;
  /** Seconds since the oldest due effect became due; 0 with none. */
  oldestAgeSeconds: number;
}

/** What /metrics reads from the store at each scrape: cheap aggregate queries, the outbox's on its partial index. */
export interface OpsStore {
  outbox(now: Date): Promise<OutboxKind[]>;
  activeIncidents(): Promise<number>;
  /** Pages waiting for an answer, and how long the pages acknowledged in the last 24 hours took (issue 17). */
  pages(now: Date): Promise<{ open: number; acknowledged: number; ackSeconds: { median: number; max: number } }>;
  /** Monitoring alert groups by state (issue 20): firing or resolved. */
  alertGroups(): Promise<{ status: string; n: number }[]>;
}

/** A payload time, when it is one (a malformed value must not fail the scrape). */
const at = (field: string) => `CASE WHEN payload->>'${field}' ~ '^\\d{4}-\\d\\d-\\d\\dT' THEN (payload->>'${field}')::timestamptz END`;

export function createOpsStore(sql: Sql): OpsStore {
  return {
    async outbox(now) {
      // Backlog: effects due now, and those failed at least once and waiting for their retry. Effects set for later
      // (reminders, digests) are not backlog until their time comes. Each has waited since it first became due: its
      // creation, or the time it was set for (payload due / runFrom, as the runner measures giving up).
      const rows = await sql.query<{ kind: string; depth: number | string; oldest: Date | string }>(
        `SELECT kind, count(*) AS depth,
                min(greatest(created_at, ${at('due')}, ${at('runFrom')})) AS oldest
         FROM effects
         WHERE done_at IS NULL AND (not_before <= $1 OR attempts > 0)
         GROUP BY kind ORDER BY kind`,
        [now.toISOString()],
      );
      return rows.map((r) => ({ kind: r.kind, depth: Number(r.depth), oldestAgeSeconds: Math.max(0, (now.getTime() - new Date(r.oldest).getTime()) / 1000) }));
    },
    async pages(now) {
      const [open] = await sql.query<{ n: number | string }>(`SELECT count(*) AS n FROM pages WHERE status = 'open'`);
      // From the page's request to its acknowledgement, as the events carry them (a malformed time is left out).
      const [acked] = await sql.query<{ n: number | string; median: number | string | null; max: number | string | null }>(
        `SELECT count(*) AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS median,
                max(s) AS max
         FROM (SELECT extract(epoch FROM at - (data->>'requestedAt')::timestamptz) AS s
               FROM page_events
               WHERE type = 'PageAcknowledged' AND at > $1::timestamptz - interval '24 hours'
                 AND data->>'requestedAt' ~ '^\\d{4}-\\d\\d-\\d\\dT') a`,
        [now.toISOString()],
      );
      return { open: Number(open.n), acknowledged: Number(acked.n), ackSeconds: { median: Number(acked.median ?? 0), max: Number(acked.max ?? 0) } };
    },
    async alertGroups() {
      const rows = await sql.query<{ status: string; n: number | string }>(`SELECT status, count(*) AS n FROM alert_groups GROUP BY status ORDER BY status`);
      return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
    },
    async activeIncidents() {
      const [row] = await sql.query<{ n: number | string }>(`SELECT count(*) AS n FROM incidents WHERE status = 'active'`);
      return Number(row.n);
    },
  };
}
