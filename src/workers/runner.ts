import { withLogContext, type Logger } from '../log';
import { LeaseLost, type ClaimedEffect, type Store, type StoredEffect } from '../store/store';
import { describe, failureKind, OutsideError } from '../outside-error';

/**
 * Carries out one kind of effect. Returns when done; throws (ideally an OutsideError) when not. A handler whose work
 * recurs (a reminder nagging until the update goes out) returns the time it should run again instead.
 *
 * `effect` carries the lease it was claimed with: pass the effect itself as `completesEffect` and to
 * `noteEffectProgress`, so nothing is recorded once the claim is gone. `signal` aborts when the attempt has run out
 * of time (or the process is handing its work back): pass it to every outside call, which then stops waiting.
 */
export type EffectHandler = (effect: ClaimedEffect, signal: AbortSignal) => Promise<void | { runAgainAt: string }>;

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
  /**
   * Effects that may wait long inside their attempt (Docs calls wait their turn in the service's shared write and
   * read budget) run at most `concurrency` at a time, so the rest always have room: with 1,000 incidents' docs queued
   * for Google's 60 writes a minute, their attempts held every slot and no incident card went out (bench memory).
   */
  slowLane?: { kinds: readonly string[]; concurrency: number };
  /**
   * A single attempt taking longer than this is aborted (its signal fires) and set for a retry at once; whatever it
   * does afterwards is discarded (its lease is gone). It must end well before the lease, or another worker could
   * claim the effect while this one still believes it holds it.
   */
  attemptTimeoutMs?: number;
  /** Backoff for the n-th failed attempt (1-based), capped. */
  backoffMs?: (attempt: number) => number;
  /** Give up on an effect this long after it first became due. */
  giveUpAfterMs?: number;
  /** Told when an effect is given up, so the incident can say so. */
  onGiveUp?: (effect: StoredEffect, reason: string) => Promise<void>;
  /** Told of every failed attempt (metrics: failures per outside system and status). */
  onFailure?: (effect: StoredEffect, err: unknown) => void;
}

export interface Runner {
  start(): void;
  /** Look for due effects now (called after each commit). */
  wake(): void;
  /**
   * Claims the effect with this key now, even before it is due, and runs it like any other (retried later if it
   * fails); does nothing when it is done, claimed elsewhere, or the runner is stopped. Resolves when the attempt ends.
   */
  runNow(key: string): Promise<void>;
  /** Runs until no effect is due; for tests and shutdown. */
  drain(): Promise<void>;
  /**
   * Stops claiming, then waits for the attempts under way. With `graceMs`, those still running after it are aborted
   * and their claims handed back at once (another replica takes them without waiting for the lease to run out).
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

export function exponentialBackoff(baseMs = 500, capMs = 60_000): (attempt: number) => number {
  return (attempt) => {
    const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  };
}

/**
 * Claims due effects from the outbox and runs them concurrently, each retried on its own.
 * Several processes can run one each: claims are leases taken with FOR UPDATE SKIP LOCKED, each with a token that
 * only its attempt holds (see effects-store.ts), so an attempt that ran out of time can settle nothing.
 */
export function createRunner(opts: RunnerOptions): Runner {
  const now = opts.now ?? (() => new Date());
  const pollMs = opts.pollMs ?? 500;
  const leaseMs = opts.leaseMs ?? 60_000;
  const batch = opts.batch ?? 16;
  const concurrency = Math.max(1, opts.concurrency ?? batch);
  // An attempt must end before its lease does, or a second worker could claim it while it still runs.
  const attemptTimeoutMs = Math.min(opts.attemptTimeoutMs ?? leaseMs - Math.min(5_000, leaseMs / 5), leaseMs - Math.min(1_000, leaseMs / 10));
  const backoff = opts.backoffMs ?? exponentialBackoff();
  const giveUpAfterMs = opts.giveUpAfterMs ?? 30 * 60_000;
  const inFlight = new Set<Promise<void>>();
  const attempts = new Map<string, { effect: ClaimedEffect; controller: AbortController }>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let stopped = true;

  function runOne(effect: ClaimedEffect): Promise<void> {
    return withLogContext({ effect: effect.key, effectKind: effect.kind, incident: effect.incidentId }, () => attempt(effect));
  }

  async function attempt(effect: ClaimedEffect): Promise<void> {
    const handler = opts.handlers[effect.kind];
    const controller = new AbortController();
    attempts.set(effect.lease, { effect, controller });
    const timeout = setTimeout(() => controller.abort(new OutsideError('retryable', `${effect.kind} took longer than ${Math.round(attemptTimeoutMs / 1000)} s`)), attemptTimeoutMs);
    try {
      if (!handler) throw new OutsideError('permanent', `no handler for effect kind ${effect.kind}`);
      const result = await untilAborted(handler(effect, controller.signal), controller.signal);
      if (result && 'runAgainAt' in result) {
        // Each run is due afresh: giving up is measured from the next run, not from the first.
        await opts.store.noteEffectProgress(effect, { runFrom: result.runAgainAt });
        if (await opts.store.retryEffect(effect, '', result.runAgainAt)) opts.log.debug('effect runs again later', { effect: effect.key, at: result.runAgainAt });
        return;
      }
      // Handlers that record a result complete the effect with that commit (then this finds it settled); this is for
      // the rest.
      await opts.store.completeEffect(effect, now().toISOString());
      opts.log.debug('effect done', { effect: effect.key });
    } catch (err) {
      if (err instanceof LeaseLost) return lateResult(effect);
      await settleFailure(effect, err).catch((e) => opts.log.error('effect bookkeeping failed', { effect: effect.key, error: describe(e) }));
    } finally {
      clearTimeout(timeout);
      attempts.delete(effect.lease);
    }
  }

  async function settleFailure(effect: ClaimedEffect, err: unknown): Promise<void> {
    opts.onFailure?.(effect, err);
    const kind = failureKind(err);
    const reason = describe(err);
    // An effect scheduled for later (a Monday digest, a reminder on its date) is as old as the time since it was first
    // due, not since it was written: its first failed attempt notes that time, which later retries push back.
    // (`firstDue`, not `runFrom`: handlers name a repeating run's progress by `runFrom`.)
    const payload = (effect.payload ?? {}) as { runFrom?: unknown; firstDue?: unknown };
    if (effect.attempts === 1 && payload.runFrom === undefined && payload.firstDue === undefined && Date.parse(effect.notBefore) > Date.parse(effect.createdAt)) {
      await opts.store.noteEffectProgress(effect, { firstDue: effect.notBefore });
      effect = { ...effect, payload: { ...(effect.payload as object), firstDue: effect.notBefore } };
    }
    const age = now().getTime() - firstDue(effect);
    if (kind === 'permanent' || kind === 'not-found' || age > giveUpAfterMs) {
      if (!(await opts.store.failEffect(effect, reason, now().toISOString()))) return lateResult(effect);
      opts.log.warn('effect given up', { effect: effect.key, attempts: effect.attempts, reason });
      await opts.onGiveUp?.(effect, reason);
      return;
    }
    // A conflict (someone else changed the same thing first) is retried soon, but never at once: an immediate retry
    // of a losing writer can spin against the winner and starve the process.
    const waitMs =
      kind === 'conflict'
        ? 20 + Math.round(Math.random() * 180)
        : Math.max(backoff(effect.attempts), err instanceof OutsideError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0);
    if (!(await opts.store.retryEffect(effect, reason, new Date(now().getTime() + waitMs).toISOString()))) return lateResult(effect);
    opts.log.info('effect will retry', { effect: effect.key, attempts: effect.attempts, inMs: waitMs, reason });
  }

  function lateResult(effect: ClaimedEffect): void {
    opts.log.warn('an effect attempt outlived its lease; its result is discarded', { effect: effect.key, attempts: effect.attempts });
  }

  const lane = opts.slowLane && new Set(opts.slowLane.kinds);
  let slowInFlight = 0;

  /** Up to `room` due effects: the slow lane's only while it has room of its own. */
  async function claim(room: number): Promise<ClaimedEffect[]> {
    const at = now().toISOString();
    if (!opts.slowLane) return opts.store.claimEffects(at, room, leaseMs);
    const others = await opts.store.claimEffects(at, room, leaseMs, { kinds: opts.slowLane.kinds, only: false });
    const slowRoom = Math.min(room - others.length, opts.slowLane.concurrency - slowInFlight);
    return slowRoom > 0 ? [...others, ...(await opts.store.claimEffects(at, slowRoom, leaseMs, { kinds: opts.slowLane.kinds, only: true }))] : others;
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
        const due = await claim(room);
        for (const effect of due) {
          const slow = lane?.has(effect.kind) ?? false;
          if (slow) slowInFlight++;
          const p = runOne(effect).finally(() => {
            inFlight.delete(p);
            if (slow) slowInFlight--;
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
    async runNow(key) {
      if (stopped) return;
      const effect = await opts.store.claimEffect(key, now().toISOString(), leaseMs);
      if (!effect) return;
      const p = runOne(effect).finally(() => inFlight.delete(p));
      inFlight.add(p);
      await p;
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
    async stop(stopOpts = {}) {
      stopped = true;
      if (timer) clearTimeout(timer);
      const all = Promise.all([...inFlight]);
      if (stopOpts.graceMs === undefined) return void (await all);
      let grace: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'over'>((r) => (grace = setTimeout(() => r('over'), stopOpts.graceMs)));
      const ended = await Promise.race([all.then(() => 'done' as const), graceOver]);
      clearTimeout(grace);
      if (ended === 'done') return;
      // Hand back first, then abort: the aborted attempt's own bookkeeping then finds its claim gone and writes nothing.
      const left = [...attempts.values()];
      await Promise.all(left.map(({ effect }) => opts.store.releaseEffect(effect).catch((e) => opts.log.error('handing an effect back failed', { effect: effect.key, error: describe(e) }))));
      for (const { controller } of left) controller.abort(new OutsideError('retryable', 'the process is shutting down'));
      opts.log.info('effects handed back at shutdown', { count: left.length });
      await all;
    },
  };
}

/**
 * When an effect became due: its creation, or for one set for later (a reminder, or its next run) the time it was
 * set for. Giving up is measured from here, so an effect set an hour ahead is not given up the moment it runs.
 */
function firstDue(effect: StoredEffect): number {
  const payload = (effect.payload ?? {}) as { due?: unknown; runFrom?: unknown; firstDue?: unknown };
  const times = [effect.createdAt, payload.due, payload.runFrom, payload.firstDue].map((t) => (typeof t === 'string' ? Date.parse(t) : NaN));
  return Math.max(...times.filter((t) => !Number.isNaN(t)));
}

/**
 * The attempt's outcome, or its abort reason as soon as the signal fires: a handler that does not stop when told
 * (a call that takes no signal) is not waited for. Its later rejection is swallowed; its later writes are refused.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
