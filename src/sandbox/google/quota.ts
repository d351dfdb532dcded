import { quotaError } from './faults';

/**
 * The Docs API write quota: 60 write requests per minute per user (https://developers.google.com/workspace/docs/api/limits).
 * Every write of a service impersonating one user shares that user's budget. Counted over a sliding minute.
 */
export interface WriteQuota {
  /** Counts one write for `user`, or throws the 429 once the minute's budget is spent. */
  charge(user: string): void;
  used(user: string): number;
}

export function createWriteQuota(perMinute: number, now: () => number): WriteQuota {
  const writes = new Map<string, number[]>();
  const recent = (user: string) => {
    const since = now() - 60_000;
    const list = (writes.get(user) ?? []).filter((t) => t > since);
    writes.set(user, list);
    return list;
  };
  return {
    charge(user) {
      const list = recent(user);
      if (list.length >= perMinute) throw quotaError(perMinute);
      list.push(now());
    },
    used: (user) => recent(user).length,
  };
}
