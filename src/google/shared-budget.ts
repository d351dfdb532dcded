import type { BudgetStore } from '../store/budget-store';
import type { WriteBudget } from './write-budget';

export interface SharedBudgetOptions {
  /** The bucket's name: one per quota (Google counts Docs writes per user, so one per impersonated subject). */
  name: string;
  perMinute: number;
  /** At most this many saved up (default a tenth of a minute's worth, as write-budget.ts). */
  burst?: number;
  now?: () => number;
}

/**
 * The Docs write budget of write-budget.ts, kept in the store so that every replica draws on one bucket: with two
 * replicas, two in-process buckets of 50 a minute would let 100 writes a minute at Google's 60. Writes of this process
 * still go out one waiter at a time, in the order they asked.
 */
export function createSharedWriteBudget(store: BudgetStore, opts: SharedBudgetOptions): WriteBudget {
  const now = opts.now ?? Date.now;
  const burst = opts.burst ?? Math.max(1, Math.floor(opts.perMinute / 10));
  let queue: Promise<void> = Promise.resolve();
  return {
    take() {
      const turn = queue.then(async () => {
        for (;;) {
          const waitMs = await store.take(opts.name, opts.perMinute, burst, now());
          if (waitMs === 0) return;
          await new Promise((r) => setTimeout(r, waitMs));
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    refund() {
      // Best effort: a refund lost to a database blip costs one write's worth of pace, never a quota overrun.
      void store.refund(opts.name, opts.perMinute, burst, now()).catch(() => undefined);
    },
  };
}
