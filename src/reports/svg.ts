import { formatDuration } from '../domain/figures';
import type { Severity } from '../domain/incident';
import { esc } from '../web/html';
import type { Report } from './figures';
import { SEVERITIES } from './figures';

/**
 * The reports page's charts as server-rendered SVG: no chart library, no script. Each mark carries its value in a
 * `<title>` (a tooltip, read by screen readers) and in data attributes, so a test reads what is drawn.
 */
const SEVERITY_COLOUR: Record<Severity, string> = { 1: '#c4314b', 2: '#e8912d', 3: '#4f6bed', 4: '#8a8886' };
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

function legend(x: number, y: number, entries: { label: string; colour: string }[], gap = 110): string {
  return entries.map((e, i) => `<rect x="${x + i * gap}" y="${y}" width="12" height="12" fill="${e.colour}"/><text x="${x + i * gap + 16}" y="${y + 10}">${esc(e.label)}</text>`).join('');
}

/** Incidents declared per week, stacked by the most severe level reached. */
export function weeksChart(report: Report): string {
  const width = 720;
  const height = 260;
  const left = 36;
  const bottom = 40;
  const top = 28;
  const max = Math.max(1, ...report.weeks.map((w) => SEVERITIES.reduce((s, sev) => s + w.bySeverity[sev], 0)));
  const plotH = height - top - bottom;
  const step = (width - left - 10) / report.weeks.length;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const ticks = [...new Set([0, Math.ceil(max / 2), max])].map((v) => `<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ccc"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`).join('');
  const bars = report.weeks
    .map((w, i) => {
      let base = 0;
      const x = left + i * step + step * 0.15;
      const rects = SEVERITIES.filter((sev) => w.bySeverity[sev] > 0)
        .map((sev) => {
          const n = w.bySeverity[sev];
          const r = `<rect class="bar" data-week="${esc(w.start)}" data-severity="${sev}" data-count="${n}" x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${((n / max) * plotH).toFixed(1)}" fill="${SEVERITY_COLOUR[sev]}"><title>Week of ${esc(w.start)}: ${n} × severity ${sev}</title></rect>`;
          base += n;
          return r;
        })
        .join('');
      const label = i % 2 === report.weeks.length % 2 ? '' : `<text x="${(x + step * 0.35).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${esc(w.start.slice(5))}</text>`;
      return rects + label;
    })
    .join('');
  return `<svg id="chart-weeks" role="img" aria-labelledby="chart-weeks-title" viewBox="0 0 ${width} ${height}" width="100%" ${FONT}><title id="chart-weeks-title">Incidents per week by severity</title>${ticks}${bars}${legend(left, 4, SEVERITIES.map((s) => ({ label: `Severity ${s}`, colour: SEVERITY_COLOUR[s] })))}</svg>`;
}

/** Median time to mitigate and to resolve, per severity: two bars each, labelled with the duration. */
export function mediansChart(report: Report): string {
  const width = 720;
  const rowH = 44;
  const left = 90;
  const top = 28;
  const height = top + rowH * SEVERITIES.length + 10;
  const max = Math.max(1, ...report.medians.flatMap((m) => [m.mitigateSeconds ?? 0, m.resolveSeconds ?? 0]));
  const w = (v: number) => Math.max(2, (v / max) * (width - left - 140));
  const rows = report.medians
    .map((m, i) => {
      const y0 = top + i * rowH;
      const bar = (what: 'mitigate' | 'resolve', v: number | undefined, dy: number, colour: string) =>
        v === undefined
          ? `<text x="${left}" y="${y0 + dy + 11}" fill="#666">no ${what === 'mitigate' ? 'mitigated' : 'resolved'} incident</text>`
          : `<rect class="median" data-severity="${m.severity}" data-what="${what}" data-seconds="${v}" x="${left}" y="${y0 + dy}" width="${w(v).toFixed(1)}" height="14" fill="${colour}"><title>Severity ${m.severity}: median time to ${what} ${formatDuration(v)}</title></rect><text x="${(left + w(v) + 6).toFixed(1)}" y="${y0 + dy + 11}">${esc(formatDuration(v))}</text>`;
      return `<text x="${left - 8}" y="${y0 + 20}" text-anchor="end">Severity ${m.severity} (${m.count})</text>${bar('mitigate', m.mitigateSeconds, 2, '#4f6bed')}${bar('resolve', m.resolveSeconds, 20, '#107c10')}`;
    })
    .join('');
  return `<svg id="chart-medians" role="img" aria-labelledby="chart-medians-title" viewBox="0 0 ${width} ${height}" width="100%" ${FONT}><title id="chart-medians-title">Median time to mitigate and to resolve by severity</title>${rows}${legend(left, 4, [{ label: 'to mitigate', colour: '#4f6bed' }, { label: 'to resolve', colour: '#107c10' }])}</svg>`;
}

/** Follow-up items: one bar split into done on time, done late, open and overdue, open. */
export function followUpsChart(report: Report): string {
  const width = 720;
  const height = 70;
  const parts = [
    { key: 'onTime', label: 'done on time', colour: '#107c10', n: report.followUps.onTime },
    { key: 'late', label: 'done late', colour: '#e8912d', n: report.followUps.late },
    { key: 'overdue', label: 'open, overdue', colour: '#c4314b', n: report.followUps.overdue },
    { key: 'open', label: 'open', colour: '#8a8886', n: report.followUps.open },
  ];
  const total = parts.reduce((s, p) => s + p.n, 0);
  let x = 10;
  const bars = total
    ? parts
        .filter((p) => p.n > 0)
        .map((p) => {
          const w = (p.n / total) * (width - 20);
          const r = `<rect class="followups" data-what="${p.key}" data-count="${p.n}" x="${x.toFixed(1)}" y="26" width="${w.toFixed(1)}" height="24" fill="${p.colour}"><title>${p.n} ${p.label}</title></rect>`;
          x += w;
          return r;
        })
        .join('')
    : '<text x="10" y="42" fill="#666">No follow-up items yet.</text>';
  return `<svg id="chart-followups" role="img" aria-labelledby="chart-followups-title" viewBox="0 0 ${width} ${height}" width="100%" ${FONT}><title id="chart-followups-title">Follow-up items done on time</title>${bars}${legend(10, 4, parts.map((p) => ({ label: `${p.label} (${p.n})`, colour: p.colour })), 170)}</svg>`;
}

/** "7 of 9 done on time (78 %)" */
export function onTimeLine(report: Report): string {
  const done = report.followUps.onTime + report.followUps.late;
  return done ? `${report.followUps.onTime} of ${done} done items were done on time (${Math.round((100 * report.followUps.onTime) / done)} %).` : 'No follow-up item is done yet.';
}
