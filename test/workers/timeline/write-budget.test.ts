import { loadGoogleConfig } from '../../../src/config/google';
import { createWriteBudget, type WriteBudget } from '../../../src/google/write-budget';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';

/**
 * The Docs write budget (kept in the store, so every replica shares it) against a fake clock: jest's timers move
 * Date.now and setTimeout together, so what is checked is when writes are let through, counted, never a wall-clock
 * threshold. Two replicas on one bucket: test/store/budget.test.ts.
 */
let store: Store;
beforeAll(async () => {
  store = await openStore('pglite:memory');
}, 60_000);
afterAll(() => store?.close());
// The store's own work (PGlite's WASM, promise jobs) runs for real; only the clock and the budget's waits are faked.
beforeEach(() => jest.useFakeTimers({ now: 0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

let buckets = 0;
const budget = (perMinute: number, burst?: number) => createWriteBudget(store.budgets, { name: `test-${++buckets}`, perMinute, ...(burst ? { burst } : {}) });

/** Asks for `n` writes at once and records when each is let through. */
function saturate(b: WriteBudget, n: number): number[] {
  const granted: number[] = [];
  for (let i = 0; i < n; i++) void b.take().then(() => granted.push(Date.now()));
  return granted;
}

/** Lets the store answer what is asked of it now (real I/O), without moving the clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Moves the fake clock by `ms`, a step at a time, letting the store answer at each step. */
async function advance(ms: number, step = 100): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await settle();
    await jest.advanceTimersByTimeAsync(Math.min(step, ms - done));
  }
  await settle();
}

/** The most writes any 60-second window holds (Google counts writes per minute per user). */
function busiestMinute(times: number[]): number {
  return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));
}

test('perMinute writes a minute: with a burst of one, each next write waits exactly 60 s / perMinute', async () => {
  const granted = saturate(budget(60, 1), 3);
  await advance(0);
  expect(granted).toEqual([0]);
  await advance(999, 1);
  expect(granted).toEqual([0]);
  await advance(1, 1);
  expect(granted).toEqual([0, 1000]);
  await advance(1000, 1);
  expect(granted).toEqual([0, 1000, 2000]);
});

test("the default pace (GOOGLE_DOCS_WRITES_PER_MINUTE unset) keeps every minute under Google's 60 writes, and keeps up with it", async () => {
  const problems: string[] = [];
  const { docsWritesPerMinute } = loadGoogleConfig({}, 'local', 3978, problems, process.cwd());
  expect(problems).toEqual([]);
  const granted = saturate(budget(docsWritesPerMinute), 400);
  await advance(5 * 60_000, 200);
  // 5 at once, then one every 1.2 s ("5 + 50 by default, under 60", write-budget.ts): the first minute holds 5 + 49.
  expect(granted.filter((t) => t === 0)).toHaveLength(5);
  expect(busiestMinute(granted)).toBe(54);
  expect(granted.filter((t) => t < 5 * 60_000)).toHaveLength(5 + 5 * 50 - 1);
});

test('a write given back is spent again at once, but never grows the burst', async () => {
  const b = budget(60, 1);
  const first = saturate(b, 1);
  await advance(0);
  expect(first).toEqual([0]);
  b.refund();
  b.refund();
  await settle();
  const granted = saturate(b, 2);
  await advance(0);
  expect(granted).toEqual([0]); // one refund's worth, not two
  await advance(1000, 1);
  expect(granted).toEqual([0, 1000]);
});
