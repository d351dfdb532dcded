import { timingSafeEqual } from 'node:crypto';
import type { Sql } from './sql';

/** One subscriber as the mail worker needs it: where to, what for, and the secret of its unsubscribe link. */
export interface Subscriber {
  id: string;
  email: string;
  /** Component ids; empty: every component. */
  components: string[];
  confirmed: boolean;
  unsubscribeSecret: string;
  /** While a confirmation is pending: its secret and what it would subscribe to. */
  confirmSecret: string | null;
  pendingComponents: string[] | null;
}

/** The kind of effect that mails the status page's subscribers (src/workers/effects/status-mail.ts). */
export const STATUS_MAIL = 'status.mail';

export type StatusMail = { what: 'confirm'; subscriberId: string; secret: string } | { what: 'update'; subscriberId: string; updateId: string };

/** Subscriptions to the status page: written only by src/status/subscriptions.ts; mails to them by the effects. */
export interface StatusSubscribersStore {
  /**
   * A subscription asked for: a new pending confirmation (the address's row made or kept; a confirmed subscription
   * stays as it is until the new link is followed) and its mail, in one transaction. The same for any address.
   */
  request(r: { email: string; components: string[]; newId: string; confirmSecret: string; unsubscribeSecret: string; expiresAt: string; at: string }): Promise<void>;
  /** Follows a confirmation link: true when it was this subscriber's current, unexpired one. */
  confirm(id: string, secret: string, at: string): Promise<boolean>;
  /** Follows an unsubscribe link: true when the secret was this subscriber's (the row is then gone). */
  unsubscribe(id: string, secret: string): Promise<boolean>;
  get(id: string): Promise<Subscriber | undefined>;
}

/** Equal secrets, compared in constant time (lengths are not secret: every secret has the same length). */
export function sameSecret(given: string, stored: string | null): boolean {
  if (stored === null) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(stored, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const list = (v: unknown): string[] => (typeof v === 'string' ? JSON.parse(v) : (v as string[]));

export function createStatusSubscribersStore(sql: Sql): StatusSubscribersStore {
  return {
    async request(r) {
      await sql.transaction(async (tx) => {
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO status_subscribers (id, email, unsubscribe_secret, pending_components, confirm_secret, confirm_expires_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           ON CONFLICT (email) DO UPDATE SET pending_components = $4, confirm_secret = $5, confirm_expires_at = $6, updated_at = $7
           RETURNING id`,
          [r.newId, r.email, r.unsubscribeSecret, JSON.stringify(r.components), r.confirmSecret, r.expiresAt, r.at],
        );
        // The mail's intent, with the request: its key is the confirmation's own (one mail per request).
        const payload: StatusMail = { what: 'confirm', subscriberId: row.id, secret: r.confirmSecret };
        await tx.query(`INSERT INTO effects (key, kind, incident_id, payload, not_before, created_at) VALUES ($1, $2, NULL, $3, $4, $4) ON CONFLICT (key) DO NOTHING`, [
          `${STATUS_MAIL}:confirm:${row.id}:${r.confirmSecret.slice(0, 12)}`,
          STATUS_MAIL,
          JSON.stringify(payload),
          r.at,
        ]);
      });
    },
    async confirm(id, secret, at) {
      return sql.transaction(async (tx) => {
        const [row] = await tx.query<{ confirm_secret: string | null; confirm_expires_at: Date | string | null }>('SELECT confirm_secret, confirm_expires_at FROM status_subscribers WHERE id = $1 FOR UPDATE', [id]);
        if (!row || !sameSecret(secret, row.confirm_secret)) return false;
        if (row.confirm_expires_at && new Date(row.confirm_expires_at).getTime() < Date.parse(at)) return false;
        await tx.query(
          `UPDATE status_subscribers SET components = COALESCE(pending_components, components), confirmed_at = COALESCE(confirmed_at, $2), pending_components = NULL, confirm_secret = NULL, confirm_expires_at = NULL, updated_at = $2 WHERE id = $1`,
          [id, at],
        );
        return true;
      });
    },
    async unsubscribe(id, secret) {
      return sql.transaction(async (tx) => {
        const [row] = await tx.query<{ unsubscribe_secret: string }>('SELECT unsubscribe_secret FROM status_subscribers WHERE id = $1 FOR UPDATE', [id]);
        if (!row || !sameSecret(secret, row.unsubscribe_secret)) return false;
        await tx.query('DELETE FROM status_subscribers WHERE id = $1', [id]);
        return true;
      });
    },
    async get(id) {
      const [r] = await sql.query<Record<string, any>>('SELECT * FROM status_subscribers WHERE id = $1', [id]);
      if (!r) return undefined;
      return {
        id: r.id,
        email: r.email,
        components: list(r.components),
        confirmed: r.confirmed_at !== null,
        unsubscribeSecret: r.unsubscribe_secret,
        confirmSecret: r.confirm_secret,
        pendingComponents: r.pending_components === null ? null : list(r.pending_components),
      };
    },
  };
}
