import { alertsBench } from './alerts';
import { docReadsBench } from './doc-reads';
import { chatLatency } from './chat-latency';
import { assemblyBench } from './assembly';
import { statusSummaryBench } from './status-summary';
import { submitLatency } from './submit-latency';
import { timelineBench } from './timeline';

/** `npm run bench`: prints figures. Nothing here passes or fails on time; the machines are shared and noisy. */
async function main(): Promise<void> {
  const only = process.argv[2];
  const benches: Record<string, () => Promise<void>> = {
    'submit-latency': () => submitLatency(),
    'chat-latency': () => chatLatency(),
    assembly: () => assemblyBench(),
    timeline: () => timelineBench(),
    'status-summary': () => statusSummaryBench(),
    alerts: () => alertsBench(),
    'doc-reads': () => docReadsBench(),
  };
  for (const [name, run] of Object.entries(benches)) {
    if (only && only !== name) continue;
    await run();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
