import type { Logger } from '../log';
import type { Store, StoredEffect } from '../store/store';
import { describe, failureKind, OutsideError } from '../outside-error';

/**
 * Carries out one kind of effect. Returns when done; throws (ideally an OutsideError) when not. A handler whose work
 * recurs (a reminder nagging until the update goes out) returns the time it should run again instead.
 */
export type EffectHandler = (effect: StoredEffect) => Promise<void | { runAgainAt: string }>;

export interface RunnerOptions {
  store: Store;
  handlers: Partial<Record<StoredEffect['kind'], EffectHandler>>;
  log: Logger;
  now?: () => Date;
  /** How often to look for due effects when nothing woke the runner. */
  pollMs?: number;
  /** How long a claimed effect stays leased to this process. */
  leaseMs?: number;
  batch?: number;
  /** At most this many effects run at once in this process (claims take only what fits). */
  concurrency?: number;
  /** A single attempt taking longer than this is abandoned and retried (its lease would run out anyway). */
  attemptTimeoutMs?: number;
  /** Backoff for the n-th failed attempt (1-based), capped. */
  backoffMs?: (attempt: number) => number;
  /** Give up on an effect this long after it first became due. */
  giveUpAfterMs?: number;
  /** Told when an effect is given up, so the incident can say so. */
  onGiveUp?: (effect: StoredEffect, reason: string) => Promise<void>;
}

export interface Runner {
  start(): void;
  /** Look for due effects now (called after each commit). */
  wake(): void;
  /** Runs until no effect is due; for tests and shutdown. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function exponentialBackoff(baseMs = 500, capMs = 60_000): (attempt: number) => number {
  return (attempt) => {
    const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  };
}

/**
 * Claims due effects from the outbox and runs them concurrently, each retried on its own.
 * Several processes can run one each: claims are leases taken with FOR UPDATE SKIP LOCKED.
 */
export function createRunner(opts: RunnerOptions): Runner {
  const now = opts.now ?? (() => new Date());
  const pollMs = opts.pollMs ?? 500;
  const leaseMs = opts.leaseMs ?? 60_000;
  const batch = opts.batch ?? 16;
  const concurrency = Math.max(1, opts.concurrency ?? batch);
  // An attempt must end before its lease does, or a second worker could claim it while it still runs.
  const attemptTimeoutMs = Math.min(opts.attemptTimeoutMs ?? leaseMs - 5_000, leaseMs - 1_000);
  const backoff = opts.backoffMs ?? exponentialBackoff();
  const giveUpAfterMs = opts.giveUpAfterMs ?? 30 * 60_000;
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let stopped = true;

  async function runOne(effect: StoredEffect): Promise<void> {
    const handler = opts.handlers[effect.kind];
    try {
      if (!handler) throw new OutsideError('permanent', `no handler for effect kind ${effect.kind}`);
      const result = await withTimeout(handler(effect), attemptTimeoutMs, effect.kind);
      if (result && 'runAgainAt' in result) {
        // Each run is due afresh: giving up is measured from the next run, not from the first.
        await opts.store.noteEffectProgress(effect.id, { runFrom: result.runAgainAt });
        await opts.store.retryEffect(effect.id, '', result.runAgainAt);
        return;
      }
      // Handlers that record a result commit it together with completing the effect; this is for the rest.
      await opts.store.completeEffect(effect.id, now().toISOString());
    } catch (err) {
      await settleFailure(effect, err).catch((e) => opts.log.error('effect bookkeeping failed', { effect: effect.key, error: describe(e) }));
    }
  }

  async function settleFailure(effect: StoredEffect, err: unknown): Promise<void> {
    const kind = failureKind(err);
    const reason = describe(err);
    const age = now().getTime() - firstDue(effect);
    if (kind === 'permanent' || kind === 'not-found' || age > giveUpAfterMs) {
      opts.log.warn('effect given up', { effect: effect.key, attempts: effect.attempts, reason });
      await opts.store.failEffect(effect.id, reason, now().toISOString());
      await opts.onGiveUp?.(effect, reason);
      return;
    }
    // A conflict (someone else changed the same thing first) is retried soon, but never at once: an immediate retry
    // of a losing writer can spin against the winner and starve the process.
    const waitMs =
      kind === 'conflict'
        ? 20 + Math.round(Math.random() * 180)
        : Math.max(backoff(effect.attempts), err instanceof OutsideError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0);
    opts.log.info('effect will retry', { effect: effect.key, attempts: effect.attempts, inMs: waitMs, reason });
    await opts.store.retryEffect(effect.id, reason, new Date(now().getTime() + waitMs).toISOString());
  }

  async function tick(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const room = Math.min(batch, concurrency - inFlight.size);
        if (room <= 0) break; // a finishing effect ticks again
        const due = await opts.store.claimEffects(now().toISOString(), room, leaseMs);
        for (const effect of due) {
          const p = runOne(effect).finally(() => {
            inFlight.delete(p);
            // On the next turn, and only if still wanted then: a drain that has returned must leave nothing running.
            setImmediate(() => {
              if (!stopped || draining) void tick();
            });
          });
          inFlight.add(p);
        }
      } while (again);
    } catch (err) {
      opts.log.error('claiming effects failed', { error: describe(err) });
    } finally {
      running = false;
    }
  }

  let draining = false;
  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(async () => {
      await tick();
      schedule();
    }, pollMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void tick();
      schedule();
    },
    wake() {
      if (!stopped || draining) void tick();
    },
    async drain() {
      draining = true;
      try {
        for (;;) {
          await tick();
          if (inFlight.size === 0) {
            const due = (await opts.store.effects({ pending: true })).filter((e) => new Date(e.notBefore) <= now());
            if (due.length === 0) return;
            await new Promise((r) => setTimeout(r, 10));
          } else {
            await Promise.all([...inFlight]);
          }
        }
      } finally {
        draining = false;
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...inFlight]);
    },
  };
}

/**
 * When an effect became due: its creation, or for one set for later (a reminder, or its next run) the time it was
 * set for. Giving up is measured from here, so an effect set an hour ahead is not given up the moment it runs.
 */
function firstDue(effect: StoredEffect): number {
  const payload = (effect.payload ?? {}) as { due?: unknown; runFrom?: unknown };
  const times = [effect.createdAt, payload.due, payload.runFrom].map((t) => (typeof t === 'string' ? Date.parse(t) : NaN));
  return Math.max(...times.filter((t) => !Number.isNaN(t)));
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutsideError('retryable', `${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
