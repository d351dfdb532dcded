import { atLeast, atMost, failed, keepingMeasured, measured, PartialFailure, skipped, type Measure } from '../../bench/measure';
import { exitCode, summarize, table } from '../../bench/summary';

const at = new Date('2026-12-03T20:00:00Z');

test('the summary counts passed, failed and skipped measures; a skipped one is never a pass', () => {
  const measures = [
    atMost('submit-ack-p99', 'ack', 240, 250, 'ms'),
    atMost('chat-declare-ack-p99', 'ack', 251, 250, 'ms'),
    atLeast('status-summary-rps', 'rps', 1999, 2000, 'req/s'),
    skipped('submit-ack-p99', 'ack', '<= 250 ms', 'no PostgreSQL binaries', 'postgres'),
    failed('assembly-ratio', 'ratio', '<= 1.15', new Error('timed out')),
  ];
  const summary = summarize(measures, { at, outsideLatencyMs: 300 });
  expect([summary.passed, summary.failed, summary.skipped]).toEqual([1, 3, 1]);
  expect(summary.measures.map((m) => m.pass)).toEqual([true, false, false, 'skipped', false]);
  expect(summary).toMatchObject({ at: '2026-12-03T20:00:00.000Z', outsideLatencyMs: 300, node: process.version });
  expect(exitCode(summary)).toBe(1);
});

test('a run where every measure passed or was skipped exits 0; one failure makes it 1', () => {
  const ok = [measured({ id: 'a', measure: 'a', goal: 'flat' }, '10/100 -> 5/6 ms', undefined, true), skipped('b', 'b', '<= 1', 'no PostgreSQL')];
  expect(exitCode(summarize(ok, { at, outsideLatencyMs: 300 }))).toBe(0);
  expect(exitCode(summarize([...ok, failed('c', 'c', '<= 1', 'boom')], { at, outsideLatencyMs: 300 }))).toBe(1);
});

test('the table gives each measure its verdict, store, figure and goal, and says why when it did not pass', () => {
  const lines = table([atMost('submit-ack-p99', 'ack', 20, 250, 'ms', { store: 'embedded' }), skipped('rss', 'rss', '<= 150 MB', 'no PostgreSQL binaries', 'postgres')]).split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^pass\s+submit-ack-p99 \(embedded\)\s+20 ms\s+goal <= 250 ms$/);
  expect(lines[1]).toMatch(/^skip\s+rss \(postgres\)\s+-\s+goal <= 150 MB\s+\(no PostgreSQL binaries\)$/);
});

test('a bench that fails after measuring keeps what it measured; one that fails before throws its own error', async () => {
  const first = atMost('chat-to-doc-p95-1-per-s', 'lag', 900, 2000, 'ms');
  const measures: Measure[] = [];
  const late = keepingMeasured(measures, async () => {
    measures.push(first);
    throw new Error('the burst timed out');
  });
  await expect(late).rejects.toBeInstanceOf(PartialFailure);
  await expect(late).rejects.toMatchObject({ measures: [first], message: 'the burst timed out' });
  const early = new Error('no server');
  await expect(keepingMeasured([], async () => Promise.reject(early))).rejects.toBe(early);
});
