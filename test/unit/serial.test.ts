import { keyedQueue } from '../../src/serial';

test('work for one key runs one at a time in order; other keys run alongside; a failure blocks nothing', async () => {
  const queue = keyedQueue();
  const log: string[] = [];
  // a1 goes on only once b1 has finished: b1 can finish only if it runs alongside a1, not after it.
  let b1Finished!: () => void;
  const b1Done = new Promise<void>((resolve) => (b1Finished = resolve));
  const job = (key: string, name: string, opts: { until?: Promise<void>; fail?: boolean } = {}) =>
    queue(key, async () => {
      log.push(`${name} start`);
      await opts.until;
      log.push(`${name} end`);
      if (name === 'b1') b1Finished();
      if (opts.fail) throw new Error(name);
      return name;
    });
  const results = await Promise.allSettled([job('a', 'a1', { until: b1Done, fail: true }), job('a', 'a2'), job('b', 'b1')]);
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a1', 'a2', 'b1']);
  expect(results[0].status).toBe('rejected');
  // b1 ran while a1 was still running; a2 waited for a1 to end.
  expect(log).toEqual(['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
});
