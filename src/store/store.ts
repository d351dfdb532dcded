import { createHash } from 'node:crypto';
import { createStatusSubscribersStore, type StatusSubscribersStore } from './status-subscribers-store';
import { baseConversationId, type Incident, type IncidentEvent, type ResourceKind } from '../domain/incident';
import type { Effect } from '../domain/react';
import { createBudgetStore, type BudgetStore } from './budget-store';
import { createDocPollStore, type DocPollStore } from './doc-poll-store';
import { completeInCommit, createEffectsStore, leaseHeld, type Claim, type EffectsStore } from './effects-store';
import { migrate } from './migrations';
import { createOpsStore, type OpsStore } from './ops-store';
import type { Sql, SqlTx } from './sql';
import { createStatusPageStore, type StatusPageStore } from './status-page-store';
import { createTimelineStore, type TimelineStore } from './timeline-store';
import { createPagingStore, type PagingStore } from './paging-store';
import { wellFormedSql } from './well-formed-sql';
import { noteLogContext } from '../log';
import { threadKeys } from '../domain/threads';

/** An incident read inside a turn or an effect: its number goes on that context's log lines from here on. */
function noted(incident: Incident | null): Incident | null {
  if (incident) noteLogContext({ incidentNumber: `INC-${incident.number}` });
  return incident;
}
import { createAlertsStore, type AlertsStore } from '../alerts/store';

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
  /**
   * The effect whose result these events record, with the lease it was claimed with: it is marked done in the same
   * transaction, and the commit is refused whole ('lease-lost') when the claim is no longer current.
   */
  /**
   * An effect attempt making this commit without completing the effect (a first fact of several): refused whole
   * ('lease-lost') when the attempt's claim is no longer current.
   */
  underLease?: Claim;
  completesEffect?: Claim;
  now: string;
}

export type CommitResult = { ok: true } | { ok: false; reason: 'conflict' | 'duplicate' | 'lease-lost' };

export interface RecordedEvent {
  seq: number;
  version: number;
  event: IncidentEvent;
}

export type { ClaimedEffect, Claim, StoredEffect } from './effects-store';
export { LeaseLost } from './effects-store';

export interface Store extends EffectsStore {
  readonly backend: 'pglite' | 'postgres';
  load(incidentId: string): Promise<Incident | null>;
  byNumber(number: number): Promise<Incident | null>;
  /** The active incidents shown in a conversation (thread suffixes ignored), newest first (at most `limit`). */
  activeIn(conversationId: string, limit?: number): Promise<Incident[]>;
  /**
   * The incidents that may own this chat or thread, by index (src/domain/threads.ts): where it was declared, a card's
   * thread, a place, or any thread of a channel of their own. Active ones first, then newest first (at most `limit`).
   */
  owningIn(conversationId: string, limit: number): Promise<Incident[]>;
  /** The incident of this conversation's channel or chat with this Teams message on its timeline, by index. */
  recordedIn(conversationId: string, messageId: string): Promise<Incident | null>;
  /** Every incident shown in a conversation, resolved ones too, newest first (at most `limit`). */
  allIn(conversationId: string, limit?: number): Promise<Incident[]>;
  list(opts?: { status?: Incident['status']; limit?: number }): Promise<Incident[]>;
  /** Incidents whose resource of this kind has a URL containing `fragment` (a doc id), most recent first. */
  withResourceUrl(kind: ResourceKind, fragment: string): Promise<Incident[]>;
  events(incidentId: string): Promise<RecordedEvent[]>;
  commit(commit: Commit): Promise<CommitResult>;
  /**
   * Commits a new incident numbered in the same transaction: `build` gets the number after the last one declared
   * (taken under a row lock, so declarations on several replicas queue for it), and a rollback gives it back. So
   * numbers have no gaps, whatever crashes or fails. The inbound key is checked first: a re-delivery spends nothing.
   */
  commitNew(inbound: { inboundKey?: string; now: string }, build: (number: number) => Omit<Commit, 'inboundKey'>): Promise<CommitResult>;
  /** Records an inbound key; false when it was already seen (a re-delivery). */
  markInbound(key: string, now: string): Promise<boolean>;
  /**
   * Writes effects with no event (a command waiting for an outside answer before it can be decided: src/teams/
   * mention-command.ts) and the inbound key, together; false, and nothing written, when the key was seen before.
   */
  enqueue(effects: readonly Effect[], inbound: { inboundKey?: string; now: string }): Promise<boolean>;
  /** Whether an inbound key was recorded (without recording it). */
  seenInbound(key: string): Promise<boolean>;
  /** The doc timeline's bookkeeping (known rows, last revision, push channels). */
  timeline: TimelineStore;
  /** Quotas shared by every replica (the Docs writes of the service's Google user). */
  budgets: BudgetStore;
  docPolls: DocPollStore;
  /** What the public status page shows: only what was published to it. */
  statusPage: StatusPageStore;
  /** Who is subscribed to the status page's updates (double opt-in). */
  statusSubscribers: StatusSubscribersStore;
  /** Pages (issue 17): their state and events, the one-page-per-service slot, written with the incident's part. */
  paging: PagingStore<Commit>;
  /** Aggregates for /metrics (src/metrics/). */
  ops: OpsStore;
  /** Monitoring alert groups and their cards (src/alerts/). */
  alerts: AlertsStore;
  close(): Promise<void>;
}

/** Kept here for the callers that read it from the store; it is the domain's (incident.ts). */
export { baseConversationId };

class Rollback extends Error {
  constructor(readonly reason: 'conflict' | 'duplicate' | 'lease-lost') {
    super(reason);
  }
}

export async function createSqlStore(sql: Sql, backend: Store['backend']): Promise<Store> {
  sql = wellFormedSql(sql); // a NUL or lone surrogate in any text never reaches PostgreSQL, whatever path it took
  await migrate(sql);
  const stateOf = (rows: { state: Incident }[]) => (rows[0] ? rows[0].state : null);
  async function inTransaction(fn: (tx: SqlTx) => Promise<void>): Promise<CommitResult> {
    try {
      await sql.transaction(fn);
      return { ok: true };
    } catch (err) {
      if (err instanceof Rollback) return { ok: false, reason: err.reason };
      throw err;
    }
  }

  return {
    backend,
    async load(id) {
      return noted(stateOf(await sql.query<{ state: Incident }>('SELECT state FROM incidents WHERE id = $1', [id])));
    },
    async byNumber(number) {
      return noted(stateOf(await sql.query<{ state: Incident }>('SELECT state FROM incidents WHERE number = $1', [number])));
    },
    async activeIn(conversationId, limit) {
      const rows = await sql.query<{ state: Incident }>(
        `SELECT i.state FROM conversation_incidents c JOIN incidents i ON i.id = c.incident_id
         WHERE c.conversation_id = $1 AND i.status = 'active' ORDER BY i.number DESC LIMIT $2`,
        [baseConversationId(conversationId), limit ?? null],
      );
      return rows.map((r) => r.state);
    },
    async owningIn(conversationId, limit) {
      const rows = await sql.query<{ state: Incident }>(
        `SELECT state FROM incidents WHERE id IN (
           SELECT incident_id FROM incident_threads WHERE (conversation_id = $1 AND rank = 2) OR (conversation_id = $2 AND rank = 1))
         ORDER BY status = 'active' DESC, number DESC LIMIT $3`,
        [conversationId, baseConversationId(conversationId), limit],
      );
      return rows.map((r) => r.state);
    },
    async recordedIn(conversationId, messageId) {
      const rows = await sql.query<{ state: Incident }>(
        `SELECT i.state FROM recorded_messages r JOIN incidents i ON i.id = r.incident_id
         JOIN conversation_incidents c ON c.incident_id = r.incident_id AND c.conversation_id = $2
         WHERE r.message_id = $1 ORDER BY i.number DESC LIMIT 1`,
        [messageId, baseConversationId(conversationId)],
      );
      return noted(stateOf(rows));
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
    commit: (c) => inTransaction((tx) => writeCommit(tx, c)),
    commitNew: (inbound, build) =>
      inTransaction(async (tx) => {
        if (inbound.inboundKey) await checkInbound(tx, inbound.inboundKey, inbound.now);
        const [row] = await tx.query<{ last: number }>('UPDATE incident_numbers SET last = last + 1 WHERE id = 1 RETURNING last');
        await writeCommit(tx, build(Number(row.last)));
      }),
    async enqueue(effects, inbound) {
      const result = await inTransaction(async (tx) => {
        if (inbound.inboundKey) await checkInbound(tx, inbound.inboundKey, inbound.now);
        for (const effect of effects) {
          await tx.query(
            `INSERT INTO effects (key, kind, incident_id, payload, not_before, created_at)
             VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT (key) DO NOTHING`,
            [effect.key, effect.kind, effect.incidentId, JSON.stringify(effect.payload), effect.notBefore ?? inbound.now, inbound.now],
          );
        }
      });
      return result.ok;
    },
    async markInbound(key, now) {
      const rows = await sql.query('INSERT INTO inbound (key, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key', [
        storedKey(key),
        now,
      ]);
      return rows.length === 1;
    },
    async seenInbound(key) {
      return (await sql.query('SELECT 1 FROM inbound WHERE key = $1', [storedKey(key)])).length === 1;
    },
    ...createEffectsStore(sql),
    timeline: createTimelineStore(sql),
    budgets: createBudgetStore(sql),
    docPolls: createDocPollStore(sql),
    statusPage: createStatusPageStore(sql),
    statusSubscribers: createStatusSubscribersStore(sql),
    paging: createPagingStore(sql, { writeCommit, checkInbound, rollbackReason: (err) => (err instanceof Rollback ? err.reason : undefined) }),
    ops: createOpsStore(sql),
    alerts: createAlertsStore(sql),
    close: () => sql.close(),
  };
}

/**
 * Inbound keys carry ids the sender chose (an activity id can be anything a client sends): a long one is stored as its
 * hash, so it stays one key and fits PostgreSQL's btree (a row over 2,704 bytes is refused: fuzz seed 868067).
 */
export function storedKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

async function checkInbound(tx: SqlTx, key: string, now: string): Promise<void> {
  const seen = await tx.query('INSERT INTO inbound (key, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key', [storedKey(key), now]);
  if (seen.length === 0) throw new Rollback('duplicate');
}

async function writeCommit(tx: SqlTx, c: Commit): Promise<void> {
  if (c.inboundKey) await checkInbound(tx, c.inboundKey, c.now);
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
  const owned = threadKeys(s);
  await tx.query('INSERT INTO incident_threads (conversation_id, rank, incident_id) SELECT unnest($1::text[]), unnest($2::smallint[]), $3 ON CONFLICT DO NOTHING', [
    owned.map((k) => k.conversationId),
    owned.map((k) => k.rank),
    s.id,
  ]);
  const recorded = c.events.flatMap((e) => (e.type === 'MessageRecorded' ? [e.messageId] : []));
  if (recorded.length) {
    await tx.query('INSERT INTO recorded_messages (message_id, incident_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [recorded, s.id]);
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
  if (c.underLease && !(await leaseHeld(tx, c.underLease))) throw new Rollback('lease-lost');
  if (c.completesEffect && !(await completeInCommit(tx, c.completesEffect, c.now))) throw new Rollback('lease-lost');
}

