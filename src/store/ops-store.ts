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
    async activeIncidents() {
      const [row] = await sql.query<{ n: number | string }>(`SELECT count(*) AS n FROM incidents WHERE status = 'active'`);
      return Number(row.n);
    },
  };
}
