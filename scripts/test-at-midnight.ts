/**
 * `npm test`'s last step: the suites whose answers depend on the hour run again just before and just after midnight
 * UTC, under libfaketime (`faketime`), which fakes the clock of Jest and of every process it starts (the test
 * harness passes FAKETIME* and LD_PRELOAD on to the server processes). Each run is in a time zone whose date is
 * not UTC's at that moment, so code that reads local time is caught too. Where `faketime` is not installed it says
 * so and skips, as the PostgreSQL and Chromium halves do.
 *
 * Run it alone: `node --no-deprecation --import tsx scripts/test-at-midnight.ts [extra jest arguments]`.
 */
import { spawn, spawnSync } from 'node:child_process';

/** Suites that state a time or a date: next update due, the cadence, the sidebar's local time. */
const SUITES = [
  'test/domain/messages.test.ts',
  'test/integration/graph/effects.test.ts',
  'test/integration/addon/actions.test.ts',
  'test/integration/addon/home.test.ts',
  'test/workers/update-reminder.test.ts',
  'test/e2e/teams.test.ts',
  'test/e2e/addon.test.ts',
  'test/e2e/find.test.ts',
  'test/e2e/route.test.ts',
  'test/e2e/audiences.test.ts',
  'test/e2e/status-publish.test.ts',
];

const RUNS = [
  { at: '23:30', timeZone: 'Pacific/Kiritimati' }, // UTC+14: there it is already tomorrow afternoon
  { at: '00:10', timeZone: 'Pacific/Pago_Pago' }, // UTC-11: there it is still yesterday afternoon
];

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

if (!installed('faketime')) {
  process.stdout.write('[firebreak] faketime not found: the runs at 23:30 and 00:10 UTC are SKIPPED (apt-get install -y faketime)\n');
  process.exit(0);
}

const day = new Date().toISOString().slice(0, 10);

/** One run under faketime, its output kept and printed whole when it ends (the two runs go side by side). */
function runAt(run: (typeof RUNS)[number]): Promise<{ run: (typeof RUNS)[number]; status: number | null; output: string }> {
  const epoch = Date.parse(`${day}T${run.at}:00.000Z`) / 1000;
  // One worker each: the two runs share the machine's cores.
  const args = ['-m', `@${epoch}`, process.execPath, '--no-deprecation', '--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--maxWorkers=1', ...SUITES, ...process.argv.slice(2)];
  const header = `\n[firebreak] the time-sensitive suites at ${day} ${run.at} UTC, TZ=${run.timeZone}: TZ=${run.timeZone} faketime ${args.slice(0, 2).join(' ')} node ... jest ${SUITES.length} suites\n`;
  return new Promise((resolve) => {
    const child = spawn('faketime', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: run.timeZone } });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (status) => resolve({ run, status, output: header + Buffer.concat(chunks).toString('utf8') }));
  });
}

void Promise.all(RUNS.map(runAt)).then((results) => {
  let failed = 0;
  for (const { run, status, output } of results) {
    process.stdout.write(output);
    if (status !== 0) {
      process.stdout.write(`[firebreak] the time-sensitive suites FAILED at ${day} ${run.at} UTC (TZ=${run.timeZone})\n`);
      failed = status ?? 1;
    }
  }
  process.exit(failed);
});
