import type { EffectKind } from '../domain/react';
import type { PageEffectKind } from '../domain/paging-effects';
import type { Sql, SqlTx } from './sql';

/** The kinds react() makes, and the status page's mails (written by its store's transactions, not by react()). */
export type StoredEffectKind = EffectKind | PageEffectKind | 'status.mail' | 'alert.card';

export interface StoredEffect {
  id: string;
  kind: StoredEffectKind;
  key: string;
  incidentId: string | null;
  payload: unknown;
  notBefore: string;
  attempts: number;
  lastError: string | null;
  outcome: 'done' | 'failed' | null;
  createdAt: string;
}

/** An effect as one worker claimed it: `lease` is a token only this claim holds, until it is settled or claimed again. */
export interface ClaimedEffect extends StoredEffect {
  lease: string;
}

/** What proves a claim: the effect and the lease it was claimed with. */
export type Claim = Pick<ClaimedEffect, 'id' | 'lease'>;

/**
 * The claim is no longer this attempt's: it ran past its lease and was settled (timed out, handed back) or claimed by
 * another worker. Whatever the attempt learned is dropped; the holder of the current claim does the work.
 */
export class LeaseLost extends Error {
  constructor(readonly effectId: string) {
    super(`effect ${effectId}: its lease was lost (the attempt took too long, or another worker claimed it); this attempt's result is discarded`);
    this.name = 'LeaseLost';
  }
}

/** The outbox: effects waiting to run, claimed with leases so several workers (and replicas) can share it. */
export interface EffectsStore {
  /** Leases up to `limit` due effects to the caller until `now + leaseMs`, each with a fresh lease token. */
  /** `kinds`: only effects of those kinds (`only: true`) or none of them (`only: false`). */
  claimEffects(now: string, limit: number, leaseMs: number, kinds?: { kinds: readonly string[]; only: boolean }): Promise<ClaimedEffect[]>;
  /**
   * Leases the effect with this key now, whatever its `notBefore` (a chat reply sent by the process that took the
   * command); undefined when it is done or another claim holds it.
   */
  claimEffect(key: string, now: string, leaseMs: number): Promise<ClaimedEffect | undefined>;
  /** Each of these settles a claim and ends it; false (and nothing changed) when the claim is no longer current. */
  completeEffect(claim: Claim, now: string): Promise<boolean>;
  retryEffect(claim: Claim, error: string, notBefore: string): Promise<boolean>;
  failEffect(claim: Claim, error: string, now: string): Promise<boolean>;
  /** Hands a claimed effect back untried (a shutdown): claimable again at once, the attempt not counted. */
  releaseEffect(claim: Claim): Promise<boolean>;
  /**
   * Keeps what an attempt has done outside so far (merged into the payload), so a retry doesn't do it again.
   * Throws LeaseLost when the claim is no longer current: the attempt must stop.
   */
  noteEffectProgress(claim: Claim, progress: Record<string, unknown>): Promise<void>;
  effects(opts?: { incidentId?: string; pending?: boolean }): Promise<StoredEffect[]>;
  /**
   * Deletes up to `limit` effects done before `before` whose keys can never come again (PRUNABLE_KINDS); answers how
   * many. Failed effects stay (what was given up is evidence), and so do the rest: their keys are what stops them being
   * done twice.
   */
  pruneEffects(before: string, limit: number): Promise<number>;
  /** VACUUM of the outbox table, so deleted rows' space is used again (PGlite has no autovacuum). */
  vacuumEffects(): Promise<void>;
}

/**
 * Kinds whose every key names one commit (the incident's version, the inbound activity, an event's time), so a key
 * is never made again once its effect is done and its row may go. Other keys are the effect's "already done?" for
 * good: `channel.join:<incident>:<person>` is made again on each of that person's messages in a private incident,
 * `postmortem.create:<incident>` on each resolution; those rows stay.
 * These four are most of the outbox: a reply, a card refresh and a timeline write for every note and change.
 */
export const PRUNABLE_KINDS: readonly StoredEffectKind[] = ['chat.reply', 'timeline.sync', 'card.refresh', 'postmortem.actions'];

export function createEffectsStore(sql: Sql): EffectsStore {
  const settle = async (text: string, params: unknown[]) => (await sql.query(`${text} RETURNING id`, params)).length === 1;
  return {
    async claimEffects(now, limit, leaseMs, kinds) {
      // The kinds as one text parameter (string_to_array): the same SQL on PostgreSQL and PGlite.
      const byKind = kinds ? `AND ${kinds.only ? '' : 'NOT '}(kind = ANY(string_to_array($4, ',')))` : '';
      const rows = await sql.query<EffectRow & { lease: string }>(
        `UPDATE effects SET ${CLAIM}
         WHERE id IN (
           SELECT id FROM effects
           WHERE done_at IS NULL AND not_before <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) ${byKind}
           ORDER BY not_before, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING ${EFFECT_COLUMNS}, lease`,
        kinds ? [now, String(leaseMs), limit, kinds.kinds.join(',')] : [now, String(leaseMs), limit],
      );
      return rows.map((r) => ({ ...toEffect(r), lease: r.lease })).sort((a, b) => Number(a.id) - Number(b.id));
    },
    async claimEffect(key, now, leaseMs) {
      const [row] = await sql.query<EffectRow & { lease: string }>(
        `UPDATE effects SET ${CLAIM} WHERE key = $3 AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $1)
         RETURNING ${EFFECT_COLUMNS}, lease`,
        [now, String(leaseMs), key],
      );
      return row && { ...toEffect(row), lease: row.lease };
    },
    async completeEffect(claim, now) {
      // Urgent: a message just posted is unrecorded until this commits (see pglite.ts).
      return (await sql.query(COMPLETE, [claim.id, claim.lease, now], { urgent: true })).length === 1;
    },
    retryEffect(claim, error, notBefore) {
      return settle('UPDATE effects SET last_error = $3, not_before = $4, claimed_until = NULL, lease = NULL WHERE id = $1 AND lease = $2', [
        claim.id,
        claim.lease,
        error,
        notBefore,
      ]);
    },
    failEffect(claim, error, now) {
      return settle(`UPDATE effects SET last_error = $3, done_at = $4, outcome = 'failed', claimed_until = NULL, lease = NULL WHERE id = $1 AND lease = $2`, [
        claim.id,
        claim.lease,
        error,
        now,
      ]);
    },
    releaseEffect(claim) {
      return settle('UPDATE effects SET claimed_until = NULL, lease = NULL, attempts = GREATEST(attempts - 1, 0) WHERE id = $1 AND lease = $2', [claim.id, claim.lease]);
    },
    async noteEffectProgress(claim, progress) {
      // Urgent: what was just done outside is unrecorded until this commits.
      const rows = await sql.query('UPDATE effects SET payload = payload || $3::jsonb WHERE id = $1 AND lease = $2 RETURNING id', [claim.id, claim.lease, JSON.stringify(progress)], { urgent: true });
      if (rows.length !== 1) {
        throw new LeaseLost(claim.id);
      }
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
    async pruneEffects(before, limit) {
      const rows = await sql.query(
        `DELETE FROM effects WHERE id IN (
           SELECT id FROM effects WHERE outcome = 'done' AND done_at < $1 AND kind = ANY($2::text[]) ORDER BY id LIMIT $3)
         RETURNING id`,
        [before, PRUNABLE_KINDS, limit],
      );
      return rows.length;
    },
    async vacuumEffects() {
      await sql.query('VACUUM effects');
    },
  };
}

/** A claim's columns: leased until `$1 + $2` ms, one more attempt, a fresh lease token. */
const CLAIM = `claimed_until = $1::timestamptz + ($2::text || ' milliseconds')::interval, attempts = attempts + 1, lease = gen_random_uuid()::text`;

const COMPLETE = `UPDATE effects SET done_at = $3, outcome = 'done', claimed_until = NULL, lease = NULL WHERE id = $1 AND lease = $2 RETURNING id`;

/** Completes the effect whose result a commit records, in the commit's transaction; false when the claim is gone. */
export async function completeInCommit(tx: SqlTx, claim: Claim, now: string): Promise<boolean> {
  return (await tx.query(COMPLETE, [claim.id, claim.lease, now])).length === 1;
}

/** Whether a claim is still current, holding the effect's row until the commit ends (so it can't change meanwhile). */
export async function leaseHeld(tx: SqlTx, claim: Claim): Promise<boolean> {
  return (await tx.query('SELECT id FROM effects WHERE id = $1 AND lease = $2 AND done_at IS NULL FOR UPDATE', [claim.id, claim.lease])).length === 1;
}

const EFFECT_COLUMNS = 'id::text AS id, kind, key, incident_id, payload, not_before, attempts, last_error, outcome, created_at';

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
