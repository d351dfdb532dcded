import { cpus, loadavg } from 'node:os';
import type { Measure } from './measure';

/** The bench's one JSON summary: the last line of its stdout and bench/results/*.json. */
export interface Summary {
  at: string;
  node: string;
  cores: number;
  /** The machine's 1-minute load average when the summary was made: figures taken on a busy machine are worse. */
  load: number;
  outsideLatencyMs: number;
  measures: Measure[];
  passed: number;
  failed: number;
  skipped: number;
}

export function summarize(measures: Measure[], opts: { at: Date; outsideLatencyMs: number }): Summary {
  return {
    at: opts.at.toISOString(),
    node: process.version,
    cores: cpus().length,
    load: Math.round(loadavg()[0] * 100) / 100,
    outsideLatencyMs: opts.outsideLatencyMs,
    measures,
    passed: measures.filter((m) => m.pass === true).length,
    failed: measures.filter((m) => m.pass === false).length,
    skipped: measures.filter((m) => m.pass === 'skipped').length,
  };
}

/**
 * 1 when any measure failed (a goal missed, or a bench that could not measure), else 0: a skipped measure fails
 * nothing, and the JSON says which kind of failure it was (`figure: null` and a `why` for a bench that threw).
 */
export function exitCode(summary: Summary): 0 | 1 {
  return summary.failed > 0 ? 1 : 0;
}

/** One line a measure, before the JSON line: what a person reads in the terminal. */
export function table(measures: Measure[]): string {
  const verdict = (m: Measure) => (m.pass === true ? 'pass' : m.pass === false ? 'FAIL' : 'skip');
  const figure = (m: Measure) => (m.figure === null ? '-' : `${m.figure}${m.unit ? ` ${m.unit}` : ''}`);
  return measures
    .map((m) => `${verdict(m).padEnd(5)}${`${m.id}${m.store ? ` (${m.store})` : ''}`.padEnd(44)} ${figure(m)}   goal ${m.goal}${m.pass !== true && m.why ? `   (${m.why})` : ''}`)
    .join('\n');
}
