import { keyedQueue } from '../../src/serial';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('work for one key runs one at a time in order; other keys run alongside; a failure blocks nothing', async () => {
  const queue = keyedQueue();
  const log: string[] = [];
  const job = (key: string, name: string, ms: number, fail = false) =>
    queue(key, async () => {
      log.push(`${name} start`);
      await tick(ms);
      log.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    });
  const results = await Promise.allSettled([job('a', 'a1', 30, true), job('a', 'a2', 1), job('b', 'b1', 5)]);
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a1', 'a2', 'b1']);
  expect(results[0].status).toBe('rejected');
  // b1 ran while a1 was still running; a2 waited for a1 to end.
  expect(log).toEqual(['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
});
