import type { Page, PagingEvent } from '../domain/paging';
import type { PageEffect } from '../domain/paging-effects';
import type { ReplyInChat } from '../domain/react';
import { completeInCommit, type Claim } from './effects-store';
import type { Sql, SqlTx } from './sql';

/** What store.ts lends this store (not imported: store.ts imports this file): its incident commit, in this transaction. */
export interface IncidentWriter<C> {
  writeCommit(tx: SqlTx, commit: C): Promise<void>;
  checkInbound(tx: SqlTx, key: string, now: string): Promise<void>;
  /** The reason a transaction was rolled back on purpose, or undefined for any other error. */
  rollbackReason(err: unknown): 'conflict' | 'duplicate' | 'lease-lost' | undefined;
}

class Rollback extends Error {
  constructor(readonly reason: 'conflict' | 'lease-lost') {
    super(reason);
  }
}

/** A page's events and effects, with the incident's part when it has one: written together or not at all. */
export interface PageCommit<C> {
  /** The page after the events. */
  page: Page;
  /** The page's version the events were decided on; 0 for a new page. */
  expectedVersion: number;
  events: readonly PagingEvent[];
  /** The page's effects, and the reply to the command that made it (written with it: a crash loses no answer). */
  effects: readonly (PageEffect | ReplyInChat)[];
  /**
   * A new page takes its service's slot (`key`: the incident or none, and the service). The slot is refused while
   * another page holding it is open or until its `until` (the first window): that page comes back instead.
   */
  slot?: { key: string; until: string };
  /** The same events on the incident's log (its timeline), with what they change there (a role) and its effects. */
  incident?: C;
  inboundKey?: string;
  completesEffect?: Claim;
  now: string;
}

export type PageCommitResult = { ok: true } | { ok: false; reason: 'conflict' | 'duplicate' | 'lease-lost' } | { ok: false; reason: 'already-paged'; page: Page };

export interface PagingStore<C> {
  load(pageId: string): Promise<Page | null>;
  events(pageId: string): Promise<PagingEvent[]>;
  commit(commit: PageCommit<C>): Promise<PageCommitResult>;
}

class AlreadyPaged extends Error {
  constructor(readonly page: Page) {
    super('already paged');
  }
}

export function createPagingStore<C>(sql: Sql, incidents: IncidentWriter<C>): PagingStore<C> {
  return {
    async load(pageId) {
      const rows = await sql.query<{ state: Page }>('SELECT state FROM pages WHERE id = $1', [pageId]);
      return rows[0]?.state ?? null;
    },
    async events(pageId) {
      const rows = await sql.query<{ data: PagingEvent }>('SELECT data FROM page_events WHERE page_id = $1 ORDER BY version', [pageId]);
      return rows.map((r) => r.data);
    },
    async commit(c) {
      try {
        await sql.transaction((tx) => write(tx, c, incidents));
        return { ok: true };
      } catch (err) {
        if (err instanceof AlreadyPaged) return { ok: false, reason: 'already-paged', page: err.page };
        if (err instanceof Rollback) return { ok: false, reason: err.reason };
        const reason = incidents.rollbackReason(err);
        if (reason) return { ok: false, reason };
        throw err;
      }
    },
  };
}

async function write<C>(tx: SqlTx, c: PageCommit<C>, incidents: IncidentWriter<C>): Promise<void> {
  if (c.inboundKey) await incidents.checkInbound(tx, c.inboundKey, c.now);
  const p = c.page;
  if (c.slot) {
    // One statement, so two replicas paging the same service at once queue on the slot's row: the second sees the
    // first's page (open, or within its window) and takes nothing. An ended page past its window gives the slot up.
    const taken = await tx.query(
      `INSERT INTO page_slots (slot, page_id, until) VALUES ($1, $2, $3)
       ON CONFLICT (slot) DO UPDATE SET page_id = EXCLUDED.page_id, until = EXCLUDED.until
       WHERE page_slots.until <= $4 AND NOT EXISTS (SELECT 1 FROM pages WHERE pages.id = page_slots.page_id AND pages.status = 'open')
       RETURNING page_id`,
      [c.slot.key, p.id, c.slot.until, c.now],
    );
    if (taken.length === 0) {
      const [holder] = await tx.query<{ state: Page }>('SELECT p.state FROM page_slots s JOIN pages p ON p.id = s.page_id WHERE s.slot = $1', [c.slot.key]);
      throw holder ? new AlreadyPaged(holder.state) : new Rollback('conflict');
    }
  }
  if (c.expectedVersion === 0) {
    const inserted = await tx.query(
      `INSERT INTO pages (id, service, incident_id, status, version, state, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [p.id, p.service, p.incidentId ?? null, p.status, p.version, JSON.stringify(p), c.now],
    );
    if (inserted.length === 0) throw new Rollback('conflict');
  } else {
    const updated = await tx.query(
      'UPDATE pages SET status = $3, version = $4, state = $5::jsonb, updated_at = $6 WHERE id = $1 AND version = $2 RETURNING id',
      [p.id, c.expectedVersion, p.status, p.version, JSON.stringify(p), c.now],
    );
    if (updated.length === 0) throw new Rollback('conflict');
  }
  let version = c.expectedVersion;
  for (const event of c.events) {
    version += 1;
    await tx.query('INSERT INTO page_events (page_id, version, type, data, at) VALUES ($1, $2, $3, $4::jsonb, $5)', [p.id, version, event.type, JSON.stringify(event), event.at]);
  }
  for (const effect of c.effects) {
    await tx.query(
      `INSERT INTO effects (key, kind, incident_id, payload, not_before, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT (key) DO NOTHING`,
      [effect.key, effect.kind, effect.incidentId, JSON.stringify(effect.payload), 'notBefore' in effect ? effect.notBefore : c.now, c.now],
    );
  }
  if (c.incident) await incidents.writeCommit(tx, c.incident);
  if (c.completesEffect && !(await completeInCommit(tx, c.completesEffect, c.now))) throw new Rollback('lease-lost');
}
