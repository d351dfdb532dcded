/** Percentiles of a sample, in the sample's unit. */
export function percentiles(samples: number[], ps = [50, 95, 99]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return Object.fromEntries([...ps.map((p) => [`p${p}`, round(at(p))]), ['max', round(sorted[sorted.length - 1])], ['n', sorted.length]]);
}

export const round = (n: number) => Math.round(n * 10) / 10;

export function report(name: string, figures: Record<string, unknown>, target?: string): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${v}`);
  process.stdout.write(`${name.padEnd(48)} ${parts.join('  ')}${target ? `   (target: ${target})` : ''}\n`);
}
