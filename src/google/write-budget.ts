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

export function createWriteBudget(perMinute: number, opts: { burst?: number; now?: () => number } = {}): WriteBudget {
  const now = opts.now ?? Date.now;
  const burst = opts.burst ?? Math.max(1, Math.floor(perMinute / 10));
  const msPerToken = 60_000 / perMinute;
  let tokens = burst;
  let refilled = now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const t = now();
    tokens = Math.min(burst, tokens + (t - refilled) / msPerToken);
    refilled = t;
  };
  return {
    take() {
      // One waiter at a time, in arrival order: writes go out in the order they asked.
      const turn = queue.then(async () => {
        refill();
        if (tokens < 1) {
          await new Promise((r) => setTimeout(r, Math.ceil((1 - tokens) * msPerToken)));
          refill();
        }
        tokens -= 1;
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    refund() {
      refill();
      tokens = Math.min(burst, tokens + 1);
    },
  };
}
