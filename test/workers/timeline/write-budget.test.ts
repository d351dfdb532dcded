import { loadGoogleConfig } from '../../../src/config/google';
import { createWriteBudget } from '../../../src/google/write-budget';

/**
 * The Docs write budget against a fake clock (jest's timers move Date.now and setTimeout together): what matters is
 * when writes are let through, counted, never a wall-clock threshold.
 */
beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

/** Asks for `n` writes at once and records when each is let through. */
function saturate(budget: ReturnType<typeof createWriteBudget>, n: number): number[] {
  const granted: number[] = [];
  for (let i = 0; i < n; i++) void budget.take().then(() => granted.push(Date.now()));
  return granted;
}

/** The most writes any 60-second window holds (Google counts writes per minute per user). */
function busiestMinute(times: number[]): number {
  return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));
}

test('perMinute writes a minute: with a burst of one, each next write waits exactly 60 s / perMinute', async () => {
  const granted = saturate(createWriteBudget(60, { burst: 1 }), 3);
  await jest.advanceTimersByTimeAsync(0);
  expect(granted).toEqual([0]);
  await jest.advanceTimersByTimeAsync(999);
  expect(granted).toEqual([0]);
  await jest.advanceTimersByTimeAsync(1);
  expect(granted).toEqual([0, 1000]);
  await jest.advanceTimersByTimeAsync(1000);
  expect(granted).toEqual([0, 1000, 2000]);
});

test("the default pace (GOOGLE_DOCS_WRITES_PER_MINUTE unset) keeps every minute under Google's 60 writes, and keeps up with it", async () => {
  const problems: string[] = [];
  const { docsWritesPerMinute } = loadGoogleConfig({}, 'local', 3978, problems, process.cwd());
  expect(problems).toEqual([]);
  const granted = saturate(createWriteBudget(docsWritesPerMinute), 400);
  await jest.advanceTimersByTimeAsync(5 * 60_000);
  // 5 at once, then one every 1.2 s ("5 + 50 by default, under 60", write-budget.ts): the first minute holds 5 + 49.
  expect(granted.filter((t) => t === 0)).toHaveLength(5);
  expect(busiestMinute(granted)).toBe(54);
  expect(busiestMinute(granted)).toBeLessThan(60);
  expect(granted.filter((t) => t < 5 * 60_000)).toHaveLength(5 + 5 * 50 - 1);
});

test('a write given back is spent again at once, but never grows the burst', async () => {
  const budget = createWriteBudget(60, { burst: 1 });
  await budget.take();
  budget.refund();
  budget.refund();
  const granted = saturate(budget, 2);
  await jest.advanceTimersByTimeAsync(0);
  expect(granted).toEqual([0]); // one refund's worth, not two
  await jest.advanceTimersByTimeAsync(1000);
  expect(granted).toEqual([0, 1000]);
});
