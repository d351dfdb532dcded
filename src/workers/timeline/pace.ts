import { keyedQueue } from '../../serial';

/**
 * One writer per doc in this process, and at most one write per doc per `minIntervalMs`, counted from the start of
 * the previous write (a write that takes 600 ms is followed by the next 400 ms after it ends, not a whole interval):
 * whatever arrived meanwhile goes in that next write. The sync effect, the doc's fill and the watcher take the same
 * turn, so a read never diffs against a write half recorded and two writers never race for one revision. (Across
 * replicas the revision-locked write and the pending texts in the store keep them honest.)
 */
export interface DocPace {
  /** Runs `fn` alone for this key, after the previous holder is done. */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Waits until a write to this doc may start; answers the time it starts (for `wrote`). */
  ready(key: string): Promise<number>;
  /** A write to this doc that started at `startedAt` (what `ready` answered) went through. */
  wrote(key: string, startedAt: number): void;
}

export function createDocPace(
  minIntervalMs: number,
  now: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): DocPace {
  const queue = keyedQueue();
  const lastStart = new Map<string, number>();
  return {
    exclusive: (key, fn) => queue(key, fn),
    async ready(key) {
      const wait = (lastStart.get(key) ?? -Infinity) + minIntervalMs - now();
      if (wait > 0) await sleep(wait);
      return now();
    },
    wrote(key, startedAt) {
      lastStart.set(key, Math.max(lastStart.get(key) ?? -Infinity, startedAt));
      // Older than an interval, a start holds nothing back: forgotten, so a long-running process keeps no entry per doc.
      for (const [k, at] of lastStart) if (now() - at >= minIntervalMs) lastStart.delete(k);
    },
  };
}
