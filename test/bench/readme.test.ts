import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { figuresTable, updateReadme } from '../../bench/readme';
import { summarize } from '../../bench/summary';

const summary = summarize(
  [
    { id: 'a', measure: 'submit ack p99', store: 'postgres', figure: 42.5, unit: 'ms', goal: '<= 250 ms', pass: true },
    { id: 'b', measure: 'RSS | at 1,000', store: 'embedded', figure: 320, unit: 'MB', goal: '<= 300 MB', pass: false, why: 'peak 340 MB' },
    { id: 'c', measure: 'reads', figure: null, goal: '<= 240/min', pass: 'skipped', why: 'no PostgreSQL here' },
  ],
  { at: new Date('2026-12-03T20:30:00Z'), outsideLatencyMs: 300 },
);

test('the table has a row a measure with its verdict, and says why what did not pass did not', () => {
  const rows = figuresTable(summary).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Measure'));
  expect(rows).toEqual([
    '| submit ack p99 | PostgreSQL | 42.5 ms | <= 250 ms | pass |',
    '| RSS \\| at 1,000 | embedded | 320 MB | <= 300 MB | **FAIL**: peak 340 MB |',
    '| reads |  | — | <= 240/min | skipped: no PostgreSQL here |',
  ]);
  expect(figuresTable(summary)).toContain('1 passed, 1 failed, 1 skipped');
});

test('the README keeps everything outside its markers and replaces the table between them', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'firebreak-readme-')), 'README.md');
  const start = '<!-- figures:start (written by npm run bench; edit bench/readme.ts, not this table) -->';
  writeFileSync(file, `# Bench\n\nbefore\n${start}\nold table\n<!-- figures:end -->\nafter\n`);
  expect(updateReadme(file, summary)).toBe(true);
  const text = readFileSync(file, 'utf8');
  expect(text.startsWith('# Bench\n\nbefore\n')).toBe(true);
  expect(text).not.toContain('old table');
  expect(text).toContain('| submit ack p99 | PostgreSQL | 42.5 ms |');
  expect(text.endsWith('<!-- figures:end -->\nafter\n')).toBe(true);
  writeFileSync(file, 'no markers');
  expect(updateReadme(file, summary)).toBe(false);
});
