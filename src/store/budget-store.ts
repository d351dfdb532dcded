import type { Sql } from './sql';

/**
 * Token buckets that hold for the whole service, whatever the number of replicas: a quota the outside system counts
 * per user (60 Docs writes a minute) must not be counted per process. Each take is one short transaction on the
 * bucket's row; times come from the caller's clock (replicas' clocks agree to NTP's precision, far below a token).
 */
export interface BudgetStore {
  /** Takes one token from the bucket (refilled at `perMinute`, holding at most `burst`): 0, or how many ms until one is there. */
  take(name: string, perMinute: number, burst: number, now: number): Promise<number>;
  /** Gives back a token taken but not spent. */
  refund(name: string, perMinute: number, burst: number, now: number): Promise<void>;
  /** How many tokens the bucket holds at `now`, taking none (a planner's look: another replica may take them first). */
  level(name: string, perMinute: number, burst: number, now: number): Promise<number>;
}

export function createBudgetStore(sql: Sql): BudgetStore {
  async function change(name: string, perMinute: number, burst: number, now: number, by: -1 | 1): Promise<number> {
    const msPerToken = 60_000 / perMinute;
    return sql.transaction(async (tx) => {
      await tx.query('INSERT INTO budgets (name, tokens, refilled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [name, burst, new Date(now).toISOString()]);
      const [row] = await tx.query<{ tokens: number; refilled_at: Date | string }>('SELECT tokens, refilled_at FROM budgets WHERE name = $1 FOR UPDATE', [name]);
      const last = new Date(row.refilled_at).getTime();
      const tokens = Math.min(burst, Number(row.tokens) + Math.max(0, now - last) / msPerToken);
      const wait = by === -1 && tokens < 1 ? Math.ceil((1 - tokens) * msPerToken) : 0;
      const left = wait ? tokens : Math.min(burst, tokens + by);
      // A replica whose clock is behind never moves the refill time back (that would mint tokens).
      await tx.query('UPDATE budgets SET tokens = $2, refilled_at = $3 WHERE name = $1', [name, left, new Date(Math.max(now, last)).toISOString()]);
      return wait;
    });
  }
  return {
    take: (name, perMinute, burst, now) => change(name, perMinute, burst, now, -1),
    refund: async (name, perMinute, burst, now) => void (await change(name, perMinute, burst, now, 1)),
    async level(name, perMinute, burst, now) {
      const [row] = await sql.query<{ tokens: number; refilled_at: Date | string }>('SELECT tokens, refilled_at FROM budgets WHERE name = $1', [name]);
      if (!row) return burst;
      return Math.min(burst, Number(row.tokens) + Math.max(0, now - new Date(row.refilled_at).getTime()) / (60_000 / perMinute));
    },
  };
}
