import { createDocsBudget, createWriteBudget } from '../../src/google/write-budget';
import type { Store } from '../../src/store/store';
import { onTwoReplicas } from '../harness/replicas';
import { eventually } from '../harness/firebreak';

/** The Docs write budget, shared by every replica through the store. A fake clock: counts, not wall-clock thresholds. */
onTwoReplicas('shared budget', (replicaStores, name) => {

  test('two replicas draw on one bucket: together they get the burst, then one write per 60/perMinute seconds', async () => {
    let t = Date.parse('2026-03-15T00:00:00.000Z');
    const opts = { name: `${name}:docs:incidents@example.com`, perMinute: 60, burst: 3, now: () => t };
    const [a, b] = [createWriteBudget(replicaStores()[0].budgets, opts), createWriteBudget(replicaStores()[1].budgets, opts)];
    const got: string[] = [];
    await Promise.all([a.take().then(() => got.push('a1')), b.take().then(() => got.push('b1')), a.take().then(() => got.push('a2'))]);
    expect(got).toHaveLength(3);

    // The shared bucket is empty until time moves, whichever replica asks (a wait, and nothing taken).
    expect(await replicaStores()[1].budgets.take(opts.name, 60, 3, t)).toBe(1000);
    let fourth = false;
    const p = b.take().then(() => (fourth = true));
    t += 1000;
    await p;
    expect(fourth).toBe(true);
  });

  test('a write taken but not made is given back to every replica', async () => {
    const t = Date.parse('2026-03-15T01:00:00.000Z');
    const bucket = `${name}:docs:refund@example.com`;
    const a = createWriteBudget(replicaStores()[0].budgets, { name: bucket, perMinute: 60, burst: 1, now: () => t });
    await a.take();
    expect(await replicaStores()[1].budgets.take(bucket, 60, 1, t)).toBe(1000); // empty for the other replica too
    a.refund();
    await eventually(async () => ((await replicaStores()[1].budgets.take(bucket, 60, 1, t)) === 0 ? true : undefined), 'the refunded write');
  });

  test("a bucket's level is what is left for every replica, read without taking (the doc watcher plans its polls by it)", async () => {
    let t = Date.parse('2026-03-15T02:00:00.000Z');
    const bucket = `${name}:docs-reads:level@example.com`;
    const [a, b] = replicaStores().map((s) => createDocsBudget(s.budgets, { name: bucket, perMinute: 60, burst: 4, now: () => t }));
    expect(await b.level()).toBe(4); // a bucket nobody used is full
    await a.take();
    await a.take();
    expect(await b.level()).toBe(2);
    expect(await b.level()).toBe(2);
    t += 1500;
    expect(await a.level()).toBeCloseTo(3.5);
  });
});
