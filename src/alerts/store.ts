import { createHash } from 'node:crypto';
import type { Conversation } from '../domain/values';
import type { Sql, SqlTx } from '../store/sql';
import type { AlertGroup, AlertOutcome } from './group';

/** The kind of effect that posts or updates a group's card (src/workers/effects/alert-card.ts). */
export const ALERT_CARD = 'alert.card';

export interface AlertCardPayload {
  group: string;
  episode: number;
  /** Only the episode's first effect posts; the others update what it posted (so a card is posted once). */
  post?: true;
}

/**
 * Alert groups in the store, so every replica sees the same card, acknowledgement and silence. Each change and the
 * card effect it causes are written in one transaction (the outbox), under a row lock on the group.
 */
export interface AlertsStore {
  /** Folds a notification into its group: `apply` gets the stored group (locked) and says what follows. */
  receive(key: string, apply: (before: AlertGroup | undefined) => { group: AlertGroup; outcome: AlertOutcome }, now: string): Promise<{ group: AlertGroup; outcome: AlertOutcome }>;
  get(key: string): Promise<AlertGroup | undefined>;
  /** Changes a stored group; `change` returning undefined changes nothing. A change of what the card shows bumps the version and updates it. */
  change(key: string, change: (g: AlertGroup) => AlertGroup | undefined, now: string, opts?: { refreshCard?: boolean }): Promise<AlertGroup | undefined>;
  /** Keeps the card's message once posted, and later which version it shows (never going back). */
  recordCard(key: string, episode: number, card: NonNullable<AlertGroup['card']>): Promise<void>;
  /** The conversation where Firebreak was last addressed (local mode posts alert cards there). */
  addressed(conversation: Conversation, now: string): Promise<void>;
  lastAddressed(): Promise<Conversation | undefined>;
}

/** A source's group id can be long (Alertmanager's groupKey holds the route's matchers): stored as its hash then. */
export function storedGroupKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function createAlertsStore(sql: Sql): AlertsStore {
  const read = async (q: SqlTx, key: string, lock: boolean) =>
    (await q.query<{ state: AlertGroup }>(`SELECT state FROM alert_groups WHERE key = $1${lock ? ' FOR UPDATE' : ''}`, [key]))[0]?.state;

  return {
    async receive(rawKey, apply, now) {
      const key = storedGroupKey(rawKey);
      // Urgent: the monitoring tool waits for this answer (and times it); the cards are the effects' work, after it.
      return sql.transaction(
        async (tx) => {
          // Two replicas receiving a new group's first notification at once: the row is made first (empty), so the
          // second one's insert waits for the first transaction, and its locked read then sees that group.
          await tx.query(`INSERT INTO alert_groups (key, episode, version, status, state, updated_at) VALUES ($1, 0, 0, 'new', 'null'::jsonb, $2) ON CONFLICT (key) DO NOTHING`, [key, now]);
          const before = (await read(tx, key, true)) ?? undefined;
          const result = apply(before);
          if (result.group === before) return result;
          const g = { ...result.group, key };
          await writeWithEffect(tx, g, now, result.outcome);
          return { group: g, outcome: result.outcome };
        },
        { urgent: true },
      );
    },
    async get(rawKey) {
      return (await read(sql, storedGroupKey(rawKey), false)) ?? undefined;
    },
    async change(rawKey, change, now, opts = {}) {
      const key = storedGroupKey(rawKey);
      return sql.transaction(async (tx) => {
        const before = await read(tx, key, true);
        if (!before) return undefined;
        const changed = change(before);
        if (!changed) return undefined;
        const g = opts.refreshCard ? { ...changed, version: before.version + 1, updatedAt: now } : changed;
        await writeWithEffect(tx, g, now, opts.refreshCard && g.card ? 'update' : 'none');
        return g;
      });
    },
    async recordCard(rawKey, episode, card) {
      // The card's copy only moves forward: an update that rendered an older version never overwrites a newer one.
      await sql.query(
        `UPDATE alert_groups SET state = jsonb_set(state, '{card}', $3::jsonb)
         WHERE key = $1 AND episode = $2 AND COALESCE((state->'card'->>'renderedVersion')::int, 0) < $4`,
        [storedGroupKey(rawKey), episode, JSON.stringify(card), card.renderedVersion],
        { urgent: true },
      );
    },
    async addressed(conversation, now) {
      await sql.query(
        `INSERT INTO alert_places (name, conversation, updated_at) VALUES ('last-addressed', $1::jsonb, $2)
         ON CONFLICT (name) DO UPDATE SET conversation = $1::jsonb, updated_at = $2`,
        [JSON.stringify(conversation), now],
      );
    },
    async lastAddressed() {
      return (await sql.query<{ conversation: Conversation }>(`SELECT conversation FROM alert_places WHERE name = 'last-addressed'`))[0]?.conversation;
    },
  };
}

const WRITE_GROUP = `UPDATE alert_groups SET episode = $2, version = $3, status = $4, state = $5::jsonb, incident_id = $6, updated_at = $7 WHERE key = $1`;

/**
 * Writes the group and queues the card's effect in one statement. An update is not queued while another of the
 * group waits unclaimed (locked here, so no worker claims it before this commits): that one renders the group as it
 * is when it runs, this change included (the same coalescing as the incident card's refresh).
 */
async function writeWithEffect(tx: SqlTx, g: AlertGroup, now: string, outcome: AlertOutcome): Promise<void> {
  const group = [g.key, g.episode, g.version, g.status, JSON.stringify(g), g.incident?.id ?? null, g.updatedAt];
  if (outcome === 'none') return void (await tx.query(WRITE_GROUP, group));
  const post = outcome === 'post';
  const payload: AlertCardPayload = { group: g.key, episode: g.episode, ...(post && { post: true as const }) };
  await tx.query(
    `WITH written AS (${WRITE_GROUP}),
     waiting AS (SELECT id FROM effects WHERE kind = $8::text AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $11::timestamptz) AND payload->>'group' = $1 LIMIT 1 FOR UPDATE)
     INSERT INTO effects (key, kind, incident_id, payload, not_before, created_at)
     SELECT $9::text, $8::text, NULL, $10::jsonb, $11::timestamptz, $11::timestamptz WHERE $12::boolean OR NOT EXISTS (SELECT 1 FROM waiting)
     ON CONFLICT (key) DO NOTHING`,
    [...group, ALERT_CARD, `${ALERT_CARD}:${g.key}:${g.episode}:${post ? 'post' : `v${g.version}`}`, JSON.stringify(payload), now, post],
  );
}
