import { parseRowTime, rowTime } from '../../src/domain/doc-time';

const seen = '2026-03-15T00:09:00.000Z';

test('time cells people type are read as UTC on the day they were seen', () => {
  expect(parseRowTime('00:07', seen)).toBe('2026-03-15T00:07:00.000Z');
  expect(parseRowTime(' 0:07:31 UTC ', seen)).toBe('2026-03-15T00:07:31.000Z');
  expect(parseRowTime('03-14 23:58', seen)).toBe('2026-03-14T23:58:00.000Z');
  expect(parseRowTime('2026-03-14T22:00:00+01:00', seen)).toBe('2026-03-14T21:00:00.000Z');
});

test('a bare time later than it was seen is the day before; a few minutes ahead is a clock off', () => {
  expect(parseRowTime('23:50', seen)).toBe('2026-03-14T23:50:00.000Z');
  expect(parseRowTime('00:12', seen)).toBe('2026-03-15T00:12:00.000Z');
});

test('what does not read as a time is undefined (the row gets the time it was seen)', () => {
  for (const cell of ['', 'about 10ish', '25:00', '12:60', '02-30 10:00', 'yesterday']) expect(parseRowTime(cell, seen)).toBeUndefined();
});

test('Firebreak writes HH:MM on the day of the declaration, MM-DD HH:MM on another', () => {
  expect(rowTime('2026-03-15T14:02:59.000Z', '2026-03-15T00:02:00.000Z')).toBe('14:02');
  expect(rowTime('2026-03-16T01:00:00.000Z', '2026-03-15T00:02:00.000Z')).toBe('03-16 01:00');
});
