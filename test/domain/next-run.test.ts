import { nextRunAt } from '../../src/domain/cadence';

test('a repeating reminder runs next at the first step of its cadence after the run started', () => {
  const anchor = '2026-03-16T01:00:00.000Z';
  // On time: the next quarter hour.
  expect(nextRunAt(anchor, 15, new Date('2026-03-16T01:00:02.000Z'))).toBe('2026-03-16T01:15:00.000Z');
  // Started a little late: still 01:15 (no drift by the run's own lateness).
  expect(nextRunAt(anchor, 15, new Date('2026-03-16T01:03:00.000Z'))).toBe('2026-03-16T01:15:00.000Z');
  // Started long after (the service was down): one reminder at the next step, not one per missed quarter hour.
  expect(nextRunAt(anchor, 15, new Date('2026-03-16T02:07:00.000Z'))).toBe('2026-03-16T02:15:00.000Z');
  // Started exactly on a later step: the one after it.
  expect(nextRunAt(anchor, 60, new Date('2026-03-16T02:00:00.000Z'))).toBe('2026-03-16T03:00:00.000Z');
});
