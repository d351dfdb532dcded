import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Measure } from '../../bench/measure';
import { writePlots } from '../../bench/plots';
import { lineChart, ticks } from '../../bench/plot';

const attrs = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<[a-z]+ class="${cls}"([^>]*)>`, 'g'))].map((m) => Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));

test('ticks are round steps from 0 reaching the maximum', () => {
  expect(ticks(2300)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
  expect(ticks(4)).toEqual([0, 1, 2, 3, 4]);
  expect(ticks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  expect(ticks(0)).toEqual([0, 1]);
});

test('a line chart draws each point where its value says, sorted by x, with the goal as a dashed line above the highest point', () => {
  const svg = lineChart({
    title: 'chat -> doc latency',
    xLabel: 'notes/s',
    yLabel: 'p95 ms',
    series: [
      { label: 'PostgreSQL', points: [[4, 1800], [1, 1200], [2, 1400]] },
      { label: 'embedded <store>', points: [[1, 1300]] },
    ],
    goal: { y: 2000, label: 'goal 2 s' },
  });
  const points = attrs(svg, 'point');
  expect(points.map((p) => [p['data-series'], Number(p['data-x']), Number(p['data-y'])])).toEqual([
    ['PostgreSQL', 1, 1200],
    ['PostgreSQL', 2, 1400],
    ['PostgreSQL', 4, 1800],
    ['embedded &#60;store&#62;', 1, 1300],
  ]);
  // Higher values are drawn higher (smaller y on screen), further right for larger x.
  const [a, b, c] = points;
  expect(Number(a.cy)).toBeGreaterThan(Number(b.cy));
  expect(Number(b.cx)).toBeLessThan(Number(c.cx));
  const [goal] = attrs(svg, 'goal');
  expect(Number(goal.y1)).toBeLessThan(Number(c.cy));
  expect(svg).not.toContain('<store>');
});

test('a run that measured the sweeps plots them, one series a store; a run that did not writes no plot', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'firebreak-plots-'));
  const rate = (store: 'postgres' | 'embedded', points: [number, number][]): Measure => ({ id: 'chat-to-doc-p95-by-rate', measure: 'm', goal: 'g', figure: 'x', pass: true, store, details: { points } });
  const written = writePlots([rate('postgres', [[1, 1500], [2, 1700]]), rate('embedded', [[1, 1600]]), { id: 'other', measure: 'm', goal: 'g', figure: 1, pass: true }], dir);
  expect(written.map((f) => path.basename(f))).toEqual(['chat-to-doc.svg']);
  const svg = readFileSync(written[0], 'utf8');
  expect(attrs(svg, 'point').map((p) => [p['data-series'], p['data-x'], p['data-y']])).toEqual([
    ['PostgreSQL', '1', '1500'],
    ['PostgreSQL', '2', '1700'],
    ['embedded store', '1', '1600'],
  ]);
  expect(writePlots([], mkdtempSync(path.join(tmpdir(), 'firebreak-plots-')))).toEqual([]);
});
