import type { Logger } from '../log';
import { describe } from '../outside-error';
import type { Store } from '../store/store';

/**
 * Done effects whose keys cannot come again (a reply, a card refresh, a timeline write: one or more for every note)
 * are deleted once they are `retentionMs` old, a bounded batch at a time, so the outbox table stops growing with
 * every note ever taken. On PGlite, which runs no autovacuum, the table is vacuumed after a round that deleted
 * something, so the space is used again; PostgreSQL's autovacuum does that there.
 */
export interface PrunerOptions {
  store: Pick<Store, 'pruneEffects' | 'backend' | 'vacuumEffects'>;
  log: Logger;
  now: () => Date;
  /** How long a done effect is kept (its row is what the runbook reads when asking "was that reply sent?"). */
  retentionMs?: number;
  /** How often to look. */
  everyMs?: number;
  /** Rows deleted per statement, and statements per round: a round never holds the store long. */
  batch?: number;
  maxBatches?: number;
}

export interface Pruner {
  start(): void;
  stop(): Promise<void>;
  /** One round now; answers how many effects it deleted. */
  prune(): Promise<number>;
}

export function createPruner(opts: PrunerOptions): Pruner {
  const retentionMs = opts.retentionMs ?? 7 * 24 * 60 * 60_000;
  const everyMs = opts.everyMs ?? 60 * 60_000;
  const batch = opts.batch ?? 500;
  const maxBatches = opts.maxBatches ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function round(): Promise<number> {
    const before = new Date(opts.now().getTime() - retentionMs).toISOString();
    let deleted = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await opts.store.pruneEffects(before, batch);
      deleted += n;
      if (n < batch) break;
    }
    if (deleted && opts.store.backend === 'pglite') await opts.store.vacuumEffects();
    if (deleted) opts.log.debug('done effects pruned', { deleted, before });
    return deleted;
  }

  const api: Pruner = {
    start() {
      if (timer) return;
      const loop = (inMs: number) => {
        timer = setTimeout(async () => {
          const deleted = await api.prune().catch((err) => void opts.log.warn('pruning done effects failed; the next round tries again', { error: describe(err) }));
          // A full round left more behind (a busy hour writes more than one round deletes): the next comes in a minute.
          if (timer) loop(deleted !== undefined && deleted >= batch * maxBatches ? Math.min(everyMs, 60_000) : everyMs);
        }, inMs);
        timer.unref();
      };
      loop(everyMs);
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
    prune() {
      running ??= round().finally(() => (running = undefined));
      return running;
    },
  };
  return api;
}
