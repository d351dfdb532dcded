import type { BudgetStore } from '../store/budget-store';

/**
 * Every Docs write of the service is made as one impersonated user, and the Docs API allows that user 60 write
 * requests a minute (https://developers.google.com/workspace/docs/api/limits). A token bucket shared by all docs
 * keeps Firebreak under it: `perMinute` tokens a minute, at most `burst` saved up, so no sliding minute ever sees
 * more than `burst + perMinute` writes (5 + 50 by default, under 60). A 429 still gets the usual backoff.
 */
export interface WriteBudget {
  /** Waits until a write may go out, and spends it. */
  take(): Promise<void>;
  /** Gives back a write taken but not made (the doc needed nothing). */
  refund(): void;
}

/**
 * The same bucket for Docs reads (300 a minute per user): every document read of the service takes one (main.ts, at
 * the clients' transporter), and the doc watcher looks at what is left before it polls, so polls yield to the reads
 * that writes need.
 * @example
 *   const reads = createDocsBudget(store.budgets, { name: 'docs-reads:incidents@example.com', perMinute: 200 });
 *   if ((await reads.level()) >= 1) await poll();   // the poll's read takes its token at the transporter
 */
export interface DocsBudget extends WriteBudget {
  readonly perMinute: number;
  readonly burst: number;
  /** Tokens in the bucket now, for every replica; a look, not a take. */
  level(): Promise<number>;
}

export interface WriteBudgetOptions {
  /** The bucket's name: one per quota (Google counts Docs writes per user, so one per impersonated subject). */
  name: string;
  perMinute: number;
  /** At most this many saved up (default a tenth of a minute's worth). */
  burst?: number;
  now?: () => number;
}

/**
 * The bucket is kept in the store so that every replica draws on one: with two replicas, two in-process buckets of
 * 50 a minute would let 100 writes a minute at Google's 60. Writes of this process still go out one waiter at a time,
 * in the order they asked.
 */
export function createWriteBudget(store: BudgetStore, opts: WriteBudgetOptions): WriteBudget {
  return createDocsBudget(store, opts);
}

export function createDocsBudget(store: BudgetStore, opts: WriteBudgetOptions): DocsBudget {
  const now = opts.now ?? Date.now;
  const burst = opts.burst ?? Math.max(1, Math.floor(opts.perMinute / 10));
  let queue: Promise<void> = Promise.resolve();
  return {
    perMinute: opts.perMinute,
    burst,
    level: () => store.level(opts.name, opts.perMinute, burst, now()),
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
