import { createWriteBudget } from '../../../src/google/write-budget';
import { createDocPace } from '../../../src/workers/timeline/pace';

/** Pacing with a fake clock: counts, not wall-clock thresholds. */
test('the write budget lets a burst through, then one write per 60/perMinute seconds, in order', async () => {
  let t = 0;
  const budget = createWriteBudget(60, { burst: 3, now: () => t });
  const order: number[] = [];
  await Promise.all([0, 1, 2].map((i) => budget.take().then(() => order.push(i))));
  expect(order).toEqual([0, 1, 2]);
  let fourth = false;
  const p = budget.take().then(() => (fourth = true));
  await new Promise((r) => setImmediate(r));
  expect(fourth).toBe(false); // the bucket is empty until time moves
  t += 1000;
  await p;
  expect(fourth).toBe(true);
});

test('the doc pace runs one holder at a time per doc, others freely', async () => {
  const pace = createDocPace(0);
  const log: string[] = [];
  let release!: () => void;
  const first = pace.exclusive('a', () => new Promise<void>((r) => (release = () => { log.push('a1'); r(); })));
  const second = pace.exclusive('a', async () => void log.push('a2'));
  await pace.exclusive('b', async () => void log.push('b1'));
  expect(log).toEqual(['b1']);
  release();
  await Promise.all([first, second]);
  expect(log).toEqual(['b1', 'a1', 'a2']);
});

test('a write taken but not made is given back, never beyond the burst', async () => {
  const t = 0;
  const budget = createWriteBudget(60, { burst: 1, now: () => t });
  await budget.take();
  budget.refund();
  budget.refund();
  let second = false;
  await budget.take().then(() => (second = true));
  expect(second).toBe(true);
  let third = false;
  void budget.take().then(() => (third = true));
  await new Promise((r) => setImmediate(r));
  expect(third).toBe(false); // one refund's worth, not two
});
