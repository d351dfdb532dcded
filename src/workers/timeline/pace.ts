import { keyedQueue } from '../../serial';

/**
 * One writer per doc in this process, and at most one write per doc per `minIntervalMs`: the sync effect and the
 * watcher take the same turn, so a read never diffs against a write half recorded. (Across replicas the
 * revision-locked write and the pending texts in the store keep them honest.)
 */
export interface DocPace {
  /** Runs `fn` alone for this key, after the previous holder is done. */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Waits until a write to this doc is allowed again. */
  ready(key: string): Promise<void>;
  wrote(key: string): void;
}

export function createDocPace(minIntervalMs: number, now: () => number = Date.now): DocPace {
  const queue = keyedQueue();
  const lastWrite = new Map<string, number>();
  return {
    exclusive: (key, fn) => queue(key, fn),
    async ready(key) {
      const wait = (lastWrite.get(key) ?? 0) + minIntervalMs - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    },
    wrote(key) {
      lastWrite.set(key, now());
    },
  };
}
