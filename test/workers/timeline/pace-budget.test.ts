import { createDocPace } from '../../../src/workers/timeline/pace';

/** Pacing with a fake clock: counts, not wall-clock thresholds. (The write budget: write-budget.test.ts.) */
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

test("a doc's next write may start one interval after the previous write STARTED, not after it ended", async () => {
  let t = 0;
  const waits: number[] = [];
  const pace = createDocPace(1000, () => t, async (ms) => {
    waits.push(ms);
    t += ms;
  });
  const first = await pace.ready('doc'); // nothing written yet: at once
  expect(first).toBe(0);
  t += 600; // the write took 600 ms
  pace.wrote('doc', first);
  expect(await pace.ready('doc')).toBe(1000); // 400 ms after the first write ended, 1 s after it started
  expect(waits).toEqual([400]);
  expect(await pace.ready('another doc')).toBe(1000); // other docs are not held back
  t = 2600; // a write that took longer than the interval holds nothing back
  pace.wrote('doc', 1000);
  expect(await pace.ready('doc')).toBe(2600);
  expect(waits).toEqual([400]);
});
