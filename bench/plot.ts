import { esc } from '../src/web/html';

/**
 * The bench's plots (bench/README.md shows them): a line chart as plain SVG, no chart library. Each point carries
 * its value in a `<title>` and in data attributes, so a test reads what is drawn; a goal is a dashed line.
 */
export interface Series {
  label: string;
  points: [x: number, y: number][];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  goal?: { y: number; label: string };
}

const COLOURS = ['#4f6bed', '#e8912d', '#2e8540', '#c4314b'];
const WIDTH = 640;
const HEIGHT = 360;
const LEFT = 64;
const RIGHT = 20;
const TOP = 40;
const BOTTOM = 52;

/** Round, readable tick values from 0 to at least `max`: 1, 2 or 5 times a power of ten apart. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function lineChart(chart: LineChart): string {
  const points = chart.series.flatMap((s) => s.points);
  const xs = ticks(Math.max(0, ...points.map(([x]) => x)));
  const ys = ticks(Math.max(0, chart.goal?.y ?? 0, ...points.map(([, y]) => y)));
  const xMax = xs[xs.length - 1];
  const yMax = ys[ys.length - 1];
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const px = (x: number) => (LEFT + (x / xMax) * plotW).toFixed(1);
  const py = (y: number) => (TOP + plotH - (y / yMax) * plotH).toFixed(1);
  const grid = [
    ...ys.map((v) => `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/><text x="${LEFT - 6}" y="${Number(py(v)) + 4}" text-anchor="end">${v}</text>`),
    ...xs.map((v) => `<text x="${px(v)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${v}</text>`),
  ].join('');
  const goal = chart.goal
    ? `<line class="goal" data-y="${chart.goal.y}" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${py(chart.goal.y)}" y2="${py(chart.goal.y)}" stroke="#c4314b" stroke-dasharray="6 4"/><text x="${WIDTH - RIGHT}" y="${Number(py(chart.goal.y)) - 4}" text-anchor="end" fill="#c4314b">${esc(chart.goal.label)}</text>`
    : '';
  const lines = chart.series
    .map((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
      const path = sorted.map(([x, y]) => `${px(x)},${py(y)}`).join(' ');
      const dots = sorted
        .map(([x, y]) => `<circle class="point" data-series="${esc(s.label)}" data-x="${x}" data-y="${y}" cx="${px(x)}" cy="${py(y)}" r="4" fill="${colour}"><title>${esc(s.label)}: ${x} ${esc(chart.xLabel)} → ${y} ${esc(chart.yLabel)}</title></circle>`)
        .join('');
      const key = `<rect x="${LEFT + 8 + i * 170}" y="${TOP - 26}" width="12" height="12" fill="${colour}"/><text x="${LEFT + 24 + i * 170}" y="${TOP - 16}">${esc(s.label)}</text>`;
      return `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots}${key}`;
    })
    .join('');
  const axes = `<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + plotH}" stroke="#333"/><line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}" stroke="#333"/>`;
  const labels = `<text x="${LEFT + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${esc(chart.xLabel)}</text><text transform="translate(16 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(chart.yLabel)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, sans-serif" font-size="12"><title>${esc(chart.title)}</title><rect width="100%" height="100%" fill="#fff"/>${grid}${goal}${axes}${lines}${labels}</svg>\n`;
}
