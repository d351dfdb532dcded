import type { GoogleSandboxOptions } from '../src/sandbox/google';
import { startFirebreak, type RunningFirebreak } from '../test/harness/firebreak';
import { googleDeployment, type GoogleDeployment } from '../test/harness/google-deployment';
import { graphDeployment, type GraphDeployment } from '../test/harness/graph-deployment';

/**
 * What production talks to, locally, every part of it slowed by the same latency (issue 15: "every outside call
 * slowed to 300 ms"): the Bot Framework channel (Bot Connector), the Graph emulator (channels, meetings, mail) and
 * the Google sandbox (Docs, Drive, with its enforced quota). `firebreak()` starts the product configured for all
 * three, as production runs it; a bench never measures with one of them left unconfigured or fast.
 */
export interface World extends GoogleDeployment {
  graph: GraphDeployment['graph'];
  latencyMs: number;
  /** Every outside system answers `latencyMs` late (0: on time). */
  slow(latencyMs: number): void;
  /** Firebreak with the channel, Graph and Google configured, on `databaseUrl`; `extra` adds or overrides settings. */
  firebreak(databaseUrl: string, extra?: Record<string, string>): Promise<RunningFirebreak>;
}

/** How long a bench waits for a server's /healthz: the bench shares a loaded machine; a slow start is not a failure. */
export const HEALTHY_WITHIN_MS = 180_000;

let apps = 0;

export async function startWorld(opts: { latencyMs: number; google?: GoogleSandboxOptions }): Promise<World> {
  // An app id of its own per world: nothing one bench's channel recorded is mistaken for another's.
  const appId = `7a1d0e1f-3333-4444-8555-9${String(process.pid % 100000).padStart(5, '0')}${String(++apps).padStart(6, '0')}`;
  const password = 'bench-secret';
  const google = await googleDeployment({ appId, password, sandbox: { writesPerMinute: 60, ...opts.google } });
  let graph: GraphDeployment;
  try {
    graph = await graphDeployment({ appId, password, tenantId: google.env.MICROSOFT_APP_TENANT_ID });
  } catch (err) {
    await google.close();
    throw err;
  }
  const world: World = {
    ...google,
    graph: graph.graph,
    latencyMs: opts.latencyMs,
    env: { ...google.env, ...graph.env },
    slow(latencyMs) {
      const fault = latencyMs > 0 ? { latencyMs } : undefined;
      google.channel.fault(fault);
      google.google.fault(fault);
      graph.graph.fault(fault);
    },
    firebreak: (databaseUrl, extra = {}) =>
      startFirebreak({ ...world.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...extra }, { healthyWithinMs: HEALTHY_WITHIN_MS }),
    async close() {
      world.slow(0);
      try {
        await graph.close();
      } finally {
        await google.close();
      }
    },
  };
  world.slow(opts.latencyMs);
  return world;
}
