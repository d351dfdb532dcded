import type { Incident, IncidentEvent, ResourceKind } from '../domain/incident';
import type { Effect, EffectKind } from '../domain/react';
import { migrate } from './migrations';
import type { Sql, SqlTx } from './sql';
import { createTimelineStore, type TimelineStore } from './timeline-store';

/** Events, their effects and the incident snapshot, written together or not at all. */
export interface Commit {
  incidentId: string;
  /** The incident's version the events were decided on; 0 for a new incident. */
  expectedVersion: number;
  events: readonly IncidentEvent[];
  /** The state after the events (a snapshot, so reads need not fold the log). */
  state: Incident;
  effects: readonly Effect[];
  /** An inbound activity id: the commit is refused as a duplicate if it was seen before. */
  inboundKey?: string;
  /** The effect whose result these events record; it is marked done in the same transaction. */
  completesEffect?: string;
  now: string;
}

export type CommitResult = { ok: true } | { ok: false; reason: 'conflict' | 'duplicate' };

export interface RecordedEvent {
  seq: number;
  version: number;
  event: IncidentEvent;
}

export interface StoredEffect {
  id: string;
  kind: EffectKind;
  key: string;
  incidentId: string | null;
  payload: unknown;
  notBefore: string;
  attempts: number;
  lastError: string | null;
  outcome: 'done' | 'failed' | null;
  createdAt: string;
}

export interface Store {
  readonly backend: 'pglite' | 'postgres';
  load(incidentId: string): Promise<Incident | null>;
  byNumber(number: number): Promise<Incident | null>;
  /** The active incidents shown in a conversation (thread suffixes ignored), newest first. */
  activeIn(conversationId: string): Promise<Incident[]>;
  /** Every incident shown in a conversation, resolved ones too, newest first (at most `limit`). */
  allIn(conversationId: string, limit?: number): Promise<Incident[]>;
  list(opts?: { status?: Incident['status']; limit?: number }): Promise<Incident[]>;
  /** Incidents whose resource of this kind has a URL containing `fragment` (a doc id), most recent first. */
  withResourceUrl(kind: ResourceKind, fragment: string): Promise<Incident[]>;
  events(incidentId: string): Promise<RecordedEvent[]>;
  nextNumber(): Promise<number>;
  commit(commit: Commit): Promise<CommitResult>;
  /** Records an inbound key; false when it was already seen (a re-delivery). */
  markInbound(key: string, now: string): Promise<boolean>;
  /** Whether an inbound key was recorded (without recording it). */
  seenInbound(key: string): Promise<boolean>;
  /** Leases up to `limit` due effects to this worker until `now + leaseMs`. */
  claimEffects(now: string, limit: number, leaseMs: number): Promise<StoredEffect[]>;
  completeEffect(id: string, now: string): Promise<void>;
  retryEffect(id: string, error: string, notBefore: string): Promise<void>;
  failEffect(id: string, error: string, now: string): Promise<void>;
  /** Keeps what an effect has done outside so far (merged into its payload), so a retry doesn't do it again. */
  noteEffectProgress(id: string, progress: Record<string, unknown>): Promise<void>;
  effects(opts?: { incidentId?: string; pending?: boolean }): Promise<StoredEffect[]>;
  /** The doc timeline's bookkeeping (known rows, last revision, push channels). */
  timeline: TimelineStore;
  close(): Promise<void>;
}

/** Conversation ids of a Teams channel thread carry `;messageid=`; the channel is the part before it. */
export function baseConversationId(id: string): string {
  return id.split(';messageid=')[0];
}

class Rollback extends Error {
  constructor(readonly reason: 'conflict' | 'duplicate') {
    super(reason);
  }
}

export async function createSqlStore(sql: Sql, backend: Store['backend']): Promise<Store> {
  await migrate(sql);
  const stateOf = (rows: { state: Incident }[]) => (rows[0] ? rows[0].state : null);

  return {
    backend,
    async load(id) {
      return stateOf(await sql.query<{ state: Incident }>('SELECT state FROM incidents WHERE id = $1', [id]));
    },
    async byNumber(number) {
      return stateOf(await sql.query<{ state: Incident }>('SELECT state FROM incidents WHERE number = $1', [number]));
    },
    async activeIn(conversationId) {
      const rows = await sql.query<{ state: Incident }>(
        `SELECT i.state FROM conversation_incidents c JOIN incidents i ON i.id = c.incident_id
         WHERE c.conversation_id = $1 AND i.status = 'active' ORDER BY i.number DESC`,
        [baseConversationId(conversationId)],
      );
      return rows.map((r) => r.state);
    },
    async allIn(conversationId, limit = 20) {
      const rows = await sql.query<{ state: Incident }>(
        `SELECT i.state FROM conversation_incidents c JOIN incidents i ON i.id = c.incident_id
         WHERE c.conversation_id = $1 ORDER BY i.number DESC LIMIT $2`,
        [baseConversationId(conversationId), limit],
      );
      return rows.map((r) => r.state);
    },
    async list(opts = {}) {
      const rows = await sql.query<{ state: Incident }>(
        `SELECT state FROM incidents WHERE ($1::text IS NULL OR status = $1) ORDER BY number DESC LIMIT $2`,
        [opts.status ?? null, opts.limit ?? 100],
      );
      return rows.map((r) => r.state);
    },
    async withResourceUrl(kind, fragment) {
      // strpos, not LIKE: ids carry `_`, a LIKE wildcard. A scan of one jsonb path per incident, done in the database.
      const rows = await sql.query<{ state: Incident }>(
        `SELECT state FROM incidents WHERE strpos(state->'resources'->$1->>'url', $2) > 0 ORDER BY number DESC`,
        [kind, fragment],
      );
      return rows.map((r) => r.state);
    },
    async events(incidentId) {
      const rows = await sql.query<{ seq: string; version: number; data: IncidentEvent }>(
        'SELECT seq::text AS seq, version, data FROM events WHERE incident_id = $1 ORDER BY version',
        [incidentId],
      );
      return rows.map((r) => ({ seq: Number(r.seq), version: r.version, event: r.data }));
    },
    async nextNumber() {
      const rows = await sql.query<{ n: string }>("SELECT nextval('incident_number_seq')::text AS n");
      return Number(rows[0].n);
    },
    async commit(c) {
      try {
        await sql.transaction((tx) => writeCommit(tx, c));
        return { ok: true };
      } catch (err) {
        if (err instanceof Rollback) return { ok: false, reason: err.reason };
        throw err;
      }
    },
    async markInbound(key, now) {
      const rows = await sql.query('INSERT INTO inbound (key, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key', [
        key,
        now,
      ]);
      return rows.length === 1;
    },
    async seenInbound(key) {
      return (await sql.query('SELECT 1 FROM inbound WHERE key = $1', [key])).length === 1;
    },
    async claimEffects(now, limit, leaseMs) {
      const rows = await sql.query<EffectRow>(
        `UPDATE effects SET claimed_until = $1::timestamptz + ($3::text || ' milliseconds')::interval, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM effects
           WHERE done_at IS NULL AND not_before <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY not_before, id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${EFFECT_COLUMNS}`,
        [now, limit, String(leaseMs)],
      );
      return rows.map(toEffect).sort((a, b) => Number(a.id) - Number(b.id));
    },
    async completeEffect(id, now) {
      await sql.query(`UPDATE effects SET done_at = $2, outcome = 'done', claimed_until = NULL WHERE id = $1`, [id, now]);
    },
    async retryEffect(id, error, notBefore) {
      await sql.query('UPDATE effects SET last_error = $2, not_before = $3, claimed_until = NULL WHERE id = $1', [
        id,
        error,
        notBefore,
      ]);
    },
    async failEffect(id, error, now) {
      await sql.query(
        `UPDATE effects SET last_error = $2, done_at = $3, outcome = 'failed', claimed_until = NULL WHERE id = $1`,
        [id, error, now],
      );
    },
    async noteEffectProgress(id, progress) {
      await sql.query('UPDATE effects SET payload = payload || $2::jsonb WHERE id = $1', [id, JSON.stringify(progress)]);
    },
    async effects(opts = {}) {
      // ORDER BY effects.id, the number: a bare `id` would sort the text alias of the SELECT list (10 before 9).
      const rows = await sql.query<EffectRow>(
        `SELECT ${EFFECT_COLUMNS} FROM effects
         WHERE ($1::text IS NULL OR incident_id = $1) AND (NOT $2::boolean OR done_at IS NULL) ORDER BY effects.id`,
        [opts.incidentId ?? null, opts.pending ?? false],
      );
      return rows.map(toEffect);
    },
    timeline: createTimelineStore(sql),
    close: () => sql.close(),
  };
}

async function writeCommit(tx: SqlTx, c: Commit): Promise<void> {
  if (c.inboundKey) {
    const seen = await tx.query('INSERT INTO inbound (key, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key', [
      c.inboundKey,
      c.now,
    ]);
    if (seen.length === 0) throw new Rollback('duplicate');
  }
  const s = c.state;
  if (c.expectedVersion === 0) {
    const inserted = await tx.query(
      `INSERT INTO incidents (id, number, version, status, state, declared_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [s.id, s.number, s.version, s.status, JSON.stringify(s), s.declaredAt, c.now],
    );
    if (inserted.length === 0) throw new Rollback('conflict');
  } else {
    const updated = await tx.query(
      `UPDATE incidents SET version = $3, status = $4, state = $5::jsonb, updated_at = $6
       WHERE id = $1 AND version = $2 RETURNING id`,
      [c.incidentId, c.expectedVersion, s.version, s.status, JSON.stringify(s), c.now],
    );
    if (updated.length === 0) throw new Rollback('conflict');
  }
  let version = c.expectedVersion;
  for (const event of c.events) {
    version += 1;
    await tx.query('INSERT INTO events (incident_id, version, type, data, at) VALUES ($1, $2, $3, $4::jsonb, $5)', [
      c.incidentId,
      version,
      event.type,
      JSON.stringify(event),
      event.at,
    ]);
  }
  for (const conversation of new Set([s.origin, ...s.places].map((p) => baseConversationId(p.id)))) {
    await tx.query(
      'INSERT INTO conversation_incidents (conversation_id, incident_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [conversation, s.id],
    );
  }
  for (const effect of c.effects) {
    // A coalesced effect is not added while one of its kind waits unclaimed for the incident: that one will do it all.
    // The waiting row is locked until this commit: a worker claiming it (FOR UPDATE SKIP LOCKED) passes it by until
    // then, and a claim already under way is waited for and seen, so no event falls between a check and a claim.
    if (effect.coalesce) {
      const waiting = await tx.query(
        `SELECT id FROM effects WHERE kind = $1 AND incident_id = $2 AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $3) LIMIT 1 FOR UPDATE`,
        [effect.kind, effect.incidentId, c.now],
      );
      if (waiting.length) continue;
    }
    await tx.query(
      `INSERT INTO effects (key, kind, incident_id, payload, not_before, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT (key) DO NOTHING`,
      [effect.key, effect.kind, effect.incidentId, JSON.stringify(effect.payload), effect.notBefore ?? c.now, c.now],
    );
  }
  if (c.completesEffect) {
    await tx.query(`UPDATE effects SET done_at = $2, outcome = 'done', claimed_until = NULL WHERE id = $1`, [
      c.completesEffect,
      c.now,
    ]);
  }
}

const EFFECT_COLUMNS =
  'id::text AS id, kind, key, incident_id, payload, not_before, attempts, last_error, outcome, created_at';

interface EffectRow {
  id: string;
  kind: EffectKind;
  key: string;
  incident_id: string | null;
  payload: unknown;
  not_before: Date | string;
  attempts: number;
  last_error: string | null;
  outcome: 'done' | 'failed' | null;
  created_at: Date | string;
}

function toEffect(r: EffectRow): StoredEffect {
  return {
    id: r.id,
    kind: r.kind,
    key: r.key,
    incidentId: r.incident_id,
    payload: r.payload,
    notBefore: new Date(r.not_before).toISOString(),
    attempts: Number(r.attempts),
    lastError: r.last_error,
    outcome: r.outcome,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
