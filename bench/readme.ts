import { readFileSync, writeFileSync } from 'node:fs';
import type { Measure } from './measure';
import type { Summary } from './summary';

const START = '<!-- figures:start (written by npm run bench; edit bench/readme.ts, not this table) -->';
const END = '<!-- figures:end -->';

const cell = (s: unknown) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const verdict = (m: Measure) => (m.pass === true ? 'pass' : m.pass === false ? '**FAIL**' : 'skipped');
const STORE = { postgres: 'PostgreSQL', embedded: 'embedded' } as const;

/** The latest full run as a Markdown table: one row a measure and store, with the verdict and why it was not a pass. */
export function figuresTable(summary: Summary): string {
  const head = `Last full run: ${summary.at.slice(0, 16).replace('T', ' ')} UTC, Node ${summary.node}, ${summary.cores} cores (load ${summary.load} at the end), every outside system +${summary.outsideLatencyMs} ms. ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped.`;
  const rows = summary.measures.map((m) => `| ${cell(m.measure)} | ${m.store ? STORE[m.store] : ''} | ${cell(m.figure === null ? '—' : `${m.figure}${m.unit ? ` ${m.unit}` : ''}`)} | ${cell(m.goal)} | ${verdict(m)}${m.pass !== true && m.why ? `: ${cell(m.why)}` : ''} |`);
  return [head, '', '| Measure | Store | Figure | Goal | Verdict |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Rewrites the table between the markers of `file` (bench/README.md); false when the file has no markers. */
export function updateReadme(file: string, summary: Summary): boolean {
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) return false;
  writeFileSync(file, `${text.slice(0, from + START.length)}\n${figuresTable(summary)}\n${text.slice(to)}`);
  return true;
}
