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
