import { startBotChannel } from '../src/sandbox/botframework';
import { TENANT } from '../test/harness/activities';
import { startFirebreak } from '../test/harness/firebreak';
import type { Measure, MeasureDef } from './measure';
import { HEALTHY_WITHIN_MS } from './world';

/**
 * The `selftest` bench tests the runner (test/bench/cleanup.test.ts) and is registered only with BENCH_SELFTEST=1.
 * Its two steps each start a Firebreak and leave it running, as a bench that crashes mid-way does; the runner must
 * end them. The smallest server there is (the Bot Framework channel only, the store in memory), to keep it cheap.
 * - the first then throws: the runner must record a failed measure and go on to the next step;
 * - the second then waits forever: the test stops the runner with SIGTERM.
 */
export const SELFTEST: MeasureDef = { id: 'selftest', measure: 'a bench that leaves its server running and fails', goal: 'never passes' };

export async function selftest(opts: { hang: boolean }): Promise<Measure[]> {
  const appId = '7a1d0e1f-3333-4444-8555-900000000001';
  const channel = await startBotChannel({ appId, appPassword: 'bench-secret', tenantId: TENANT });
  try {
    const firebreak = await startFirebreak(
      {
        MICROSOFT_APP_ID: appId,
        MICROSOFT_APP_PASSWORD: 'bench-secret',
        MICROSOFT_APP_TENANT_ID: TENANT,
        BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
        BOT_LOGIN_URL: channel.loginUrl,
        DATABASE_URL: 'pglite:memory',
        LOG_LEVEL: 'warn',
      },
      { healthyWithinMs: HEALTHY_WITHIN_MS },
    );
    // The test reads the server's pid from this line, to check the process is gone once the runner is.
    process.stdout.write(`selftest: firebreak pid ${firebreak.pid}\n`);
    if (opts.hang) await new Promise(() => undefined);
    throw new Error('selftest: a bench that failed with its server still running');
  } finally {
    await channel.close();
  }
}
