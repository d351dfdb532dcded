import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Summary } from '../../bench/summary';

const ROOT = path.resolve(__dirname, '../..');

/** Whether `pid` is a live process (a zombie is not: it has exited and only waits to be reaped). */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync(stat)) return !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a bench that throws and one stopped by SIGTERM each fail their measure in the JSON last line, and no server they started outlives the runner', async () => {
  const results = mkdtempSync(path.join(tmpdir(), 'firebreak-bench-results-'));
  const runner = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'bench/run.ts', 'selftest'], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SELFTEST: '1', BENCH_RESULTS_DIR: results },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const pids: number[] = [];
  let stopped = false;
  runner.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  runner.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
    pids.splice(0, pids.length, ...[...stdout.matchAll(/selftest: firebreak pid (\d+)/g)].map((m) => Number(m[1])));
    // The second step's server is up and the step waits forever: stop the runner as a person or a CI job would.
    if (pids.length === 2 && !stopped) stopped = runner.kill('SIGTERM');
  });
  const code = await new Promise<number | null>((resolve) => runner.once('exit', resolve));
  try {
    expect({ pids: pids.length, stderr: pids.length === 2 ? '' : stderr }).toEqual({ pids: 2, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as Summary;
    expect(summary.measures.map((m) => [m.id, m.pass, m.figure, m.why])).toEqual([
      ['selftest', false, null, 'the bench failed: selftest: a bench that failed with its server still running'],
      ['selftest', false, null, 'the bench failed: interrupted (SIGTERM)'],
    ]);
    expect([summary.passed, summary.failed, summary.skipped]).toEqual([0, 2, 0]);
    expect(JSON.parse(readFileSync(path.join(results, 'selftest.json'), 'utf8'))).toEqual(summary);
    expect(code).toBe(143);
    expect(pids.filter(alive)).toEqual([]);
  } finally {
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    rmSync(results, { recursive: true, force: true });
  }
}, 120_000);
