import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Measure } from './measure';
import { lineChart, type Series } from './plot';

const STORE_LABEL = { postgres: 'PostgreSQL', embedded: 'embedded store' } as const;

function series(measures: Measure[], id: string): Series[] {
  return measures
    .filter((m) => m.id === id && Array.isArray((m.details as { points?: unknown })?.points))
    .map((m) => ({ label: STORE_LABEL[m.store ?? 'postgres'], points: (m.details as { points: [number, number][] }).points }));
}

/**
 * bench/README.md's plots from a run's measures: chat -> doc latency against notes per second (chat-to-doc.svg) and
 * RSS against active incidents (rss.svg), written beside the JSON when the run measured them. Answers the files written.
 */
export function writePlots(measures: Measure[], dir: string): string[] {
  const written: string[] = [];
  const rates = series(measures, 'chat-to-doc-p95-by-rate');
  if (rates.length) {
    const file = path.join(dir, 'chat-to-doc.svg');
    writeFileSync(file, lineChart({ title: 'chat note -> row in the doc, p95, against notes per second (every outside call +300 ms)', xLabel: 'notes per second', yLabel: 'p95 latency (ms)', series: rates, goal: { y: 2000, label: 'goal at 1 note/s: 2 s' } }));
    written.push(file);
  }
  const rss = series(measures, 'rss-by-incidents');
  if (rss.length) {
    const file = path.join(dir, 'rss.svg');
    const postgresOnly = rss.every((s) => s.label === STORE_LABEL.postgres);
    writeFileSync(file, lineChart({ title: 'server RSS against active incidents, after 20 notes/s for a minute', xLabel: 'active incidents', yLabel: 'RSS (MB)', series: rss, ...(postgresOnly && { goal: { y: 150, label: 'goal on PostgreSQL: 150 MB' } }) }));
    written.push(file);
  }
  return written;
}
