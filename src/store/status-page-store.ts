import type { Sql } from './sql';
import { STATUS_MAIL } from './status-subscribers-store';

/** Statuspage's value sets (https://developer.statuspage.io, public v2 API). */
export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type PublicIncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved' | 'postmortem';
export type Impact = 'none' | 'minor' | 'major' | 'critical';

export interface AffectedComponent {
  id: string;
  oldStatus: ComponentStatus;
  newStatus: ComponentStatus;
}

export interface PublishedUpdate {
  id: string;
  status: PublicIncidentStatus;
  body: string;
  affected: AffectedComponent[];
  displayAt: string;
  createdAt: string;
}

export interface PublishedIncident {
  id: string;
  name: string;
  status: PublicIncidentStatus;
  impact: Impact;
  startedAt: string;
  createdAt: string;
  updatedAt: string;
  monitoringAt: string | null;
  resolvedAt: string | null;
  /** Oldest first. */
  updates: PublishedUpdate[];
}

export interface ComponentState {
  id: string;
  status: ComponentStatus;
  createdAt: string;
  updatedAt: string;
}

export interface Publication {
  incidentId: string;
  /** Used when the incident is published for the first time; its existing public id is kept otherwise. */
  newPublicId: string;
  name: string;
  status: PublicIncidentStatus;
  impact: Impact;
  startedAt: string;
  update: { id: string; body: string };
  components: { id: string; status: ComponentStatus }[];
  at: string;
}

/** What the status page shows, and nothing else: written only by src/status/publish.ts. */
export interface StatusPageStore {
  /** Records the components the organisation file lists (operational when new). */
  ensureComponents(ids: readonly string[], at: string): Promise<void>;
  /** One public update, the incident's public state and its components' status, together or not at all. */
  publish(p: Publication): Promise<{ publicId: string; affected: AffectedComponent[] } | 'duplicate'>;
  /** The components an incident's public updates have affected so far. */
  affectedBy(incidentId: string): Promise<string[]>;
  /** The public incident of an internal one, if it was published. */
  publishedFor(incidentId: string): Promise<{ id: string; name: string; status: PublicIncidentStatus } | undefined>;
  /** One public update with its incident's public name (the status mail renders it). */
  update(id: string): Promise<{ name: string; status: PublicIncidentStatus; body: string; affected: AffectedComponent[]; displayAt: string } | undefined>;
  /** Unresolved incidents and those resolved since `since`, newest first; every component's state. */
  read(since: string): Promise<{ incidents: PublishedIncident[]; components: ComponentState[] }>;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export function createStatusPageStore(sql: Sql): StatusPageStore {
  return {
    async ensureComponents(ids, at) {
      for (const id of ids) await sql.query(`INSERT INTO status_components (id, status, created_at, updated_at) VALUES ($1, 'operational', $2, $2) ON CONFLICT DO NOTHING`, [id, at]);
    },
    async publish(p) {
      return sql.transaction(async (tx) => {
        // The update's id comes from the inbound activity: a re-delivery finds it and changes nothing.
        const seen = await tx.query('SELECT 1 FROM status_updates WHERE id = $1', [p.update.id]);
        if (seen.length) return 'duplicate' as const;
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO status_incidents (id, incident_id, name, status, impact, started_at, created_at, updated_at, monitoring_at, resolved_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7, CASE WHEN $4 = 'monitoring' THEN $7::timestamptz END, CASE WHEN $4 = 'resolved' THEN $7::timestamptz END)
           ON CONFLICT (incident_id) DO UPDATE SET name = $3, status = $4, impact = $5, updated_at = $7,
             monitoring_at = COALESCE(status_incidents.monitoring_at, CASE WHEN $4 = 'monitoring' THEN $7::timestamptz END),
             resolved_at = CASE WHEN $4 = 'resolved' THEN $7::timestamptz END
           RETURNING id`,
          [p.newPublicId, p.incidentId, p.name, p.status, p.impact, p.startedAt, p.at],
        );
        const affected: AffectedComponent[] = [];
        for (const c of p.components) {
          const [old] = await tx.query<{ status: ComponentStatus }>('SELECT status FROM status_components WHERE id = $1 FOR UPDATE', [c.id]);
          affected.push({ id: c.id, oldStatus: old?.status ?? 'operational', newStatus: c.status });
          await tx.query(
            `INSERT INTO status_components (id, status, created_at, updated_at) VALUES ($1, $2, $3, $3)
             ON CONFLICT (id) DO UPDATE SET status = $2, updated_at = $3`,
            [c.id, c.status, p.at],
          );
        }
        await tx.query('INSERT INTO status_updates (id, status_incident_id, status, body, affected, display_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)', [
          p.update.id,
          row.id,
          p.status,
          p.update.body,
          JSON.stringify(affected),
          p.at,
        ]);
        // Each confirmed subscriber of an affected component (or of all) is mailed this update once: the effect's key
        // is the update's and the subscriber's, recorded with the publication (docs/reliability.md: intent first).
        await tx.query(
          `INSERT INTO effects (key, kind, incident_id, payload, not_before, created_at)
           SELECT $1 || s.id, $2, $3, jsonb_build_object('what', 'update', 'subscriberId', s.id, 'updateId', $4::text), $5, $5
           FROM status_subscribers s
           WHERE s.confirmed_at IS NOT NULL
             AND (s.components = '[]'::jsonb OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(s.components) c WHERE c = ANY($6::text[])))
           ON CONFLICT (key) DO NOTHING`,
          [`${STATUS_MAIL}:update:${p.update.id}:`, STATUS_MAIL, p.incidentId, p.update.id, p.at, affected.map((a) => a.id)],
        );
        return { publicId: row.id, affected };
      });
    },
    async affectedBy(incidentId) {
      const rows = await sql.query<{ affected: AffectedComponent[] | string }>(
        'SELECT u.affected FROM status_updates u JOIN status_incidents i ON i.id = u.status_incident_id WHERE i.incident_id = $1',
        [incidentId],
      );
      return [...new Set(rows.flatMap((r) => (typeof r.affected === 'string' ? JSON.parse(r.affected) : r.affected).map((a: AffectedComponent) => a.id)))];
    },
    async publishedFor(incidentId) {
      const [row] = await sql.query<{ id: string; name: string; status: PublicIncidentStatus }>('SELECT id, name, status FROM status_incidents WHERE incident_id = $1', [incidentId]);
      return row;
    },
    async update(id) {
      const [u] = await sql.query<Record<string, any>>('SELECT u.status, u.body, u.affected, u.display_at, i.name FROM status_updates u JOIN status_incidents i ON i.id = u.status_incident_id WHERE u.id = $1', [id]);
      if (!u) return undefined;
      return { name: u.name, status: u.status, body: u.body, affected: typeof u.affected === 'string' ? JSON.parse(u.affected) : u.affected, displayAt: iso(u.display_at)! };
    },
    async read(since) {
      const rows = await sql.query<Record<string, any>>(
        `SELECT * FROM status_incidents WHERE resolved_at IS NULL OR resolved_at >= $1 ORDER BY created_at DESC, id`,
        [since],
      );
      const ids = rows.map((r) => r.id as string);
      const updates = ids.length
        ? await sql.query<Record<string, any>>('SELECT * FROM status_updates WHERE status_incident_id = ANY($1) ORDER BY display_at, id', [ids])
        : [];
      const components = await sql.query<Record<string, any>>('SELECT * FROM status_components ORDER BY id');
      return {
        incidents: rows.map((r) => ({
          id: r.id,
          name: r.name,
          status: r.status,
          impact: r.impact,
          startedAt: iso(r.started_at)!,
          createdAt: iso(r.created_at)!,
          updatedAt: iso(r.updated_at)!,
          monitoringAt: iso(r.monitoring_at),
          resolvedAt: iso(r.resolved_at),
          updates: updates
            .filter((u) => u.status_incident_id === r.id)
            .map((u) => ({ id: u.id, status: u.status, body: u.body, affected: typeof u.affected === 'string' ? JSON.parse(u.affected) : u.affected, displayAt: iso(u.display_at)!, createdAt: iso(u.created_at)! })),
        })),
        components: components.map((c) => ({ id: c.id, status: c.status, createdAt: iso(c.created_at)!, updatedAt: iso(c.updated_at)! })),
      };
    },
  };
}
