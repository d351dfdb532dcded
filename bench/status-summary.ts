import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { createIncidents } from '../src/app/incidents';
import { loadOrgFile } from '../src/org/load';
import { createPublisher } from '../src/status/publish';
import { openStore } from '../src/store/open';
import { ALICE, TENANT } from '../test/harness/activities';
import { measured, type Measure, type MeasureDef } from './measure';
import { report, round } from './stats';
import type { StoreName } from './stores';
import { startWorld } from './world';

export const SUMMARY_RPS: MeasureDef = {
  id: 'status-summary-rps',
  measure: 'status page summary.json with 100 open incidents, requests/s (the lower of the main server and the status origin); the load generator shares the cores',
  goal: '>= 2000 req/s',
};

/**
 * Issue 16 item 9: GET summary.json with 100 open, published incidents, from `connections` keep-alive clients for
 * `seconds`, on the main server (/status/api/v2/…) and on the status origin (Host routing to /api/v2/…). Target
 * ≥ 2,000 requests/s. The load generator shares the machine's cores with the server: the figure is a floor. Every
 * outside system is configured and slowed, as for the other benches (the seeded incidents' cards go out slowed).
 */
export async function statusSummaryBench(opts: { databaseUrl: string; store: StoreName; outsideLatencyMs: number; incidents?: number; connections?: number; seconds?: number }): Promise<Measure[]> {
  const count = opts.incidents ?? 100;
  const connections = opts.connections ?? 32;
  const seconds = opts.seconds ?? 5;
  const world = await startWorld({ latencyMs: opts.outsideLatencyMs });
  try {
    const channel = world.channel;
    const orgFile = path.resolve(__dirname, '../firebreak.org.example.yml');
    await seed(opts.databaseUrl, orgFile, count, channel.serviceUrl);
    const firebreak = await world.firebreak(opts.databaseUrl, { FIREBREAK_ORG_FILE: orgFile, STATUS_URL: 'https://status.bench.test' });
    try {
      const probe = await fetch(`${firebreak.url}/status/api/v2/summary.json`);
      const open = ((await probe.json()) as { incidents: unknown[] }).incidents.length;
      if (open !== count) throw new Error(`summary.json lists ${open} open incidents, not ${count}`);
      // The seeded incidents' cards are posted right after the start: let that work finish first.
      const posted = Date.now() + 30_000;
      while (channel.recorded.length < count && Date.now() < posted) await new Promise((r) => setTimeout(r, 200));
      const rates: Record<string, number> = {};
      let errors = 0;
      for (const [label, host, p] of [
        ['main server /status/api/v2/summary.json', undefined, '/status/api/v2/summary.json'],
        ['status origin (Host) /api/v2/summary.json', 'status.bench.test', '/api/v2/summary.json'],
      ] as const) {
        const r = await load(firebreak.url, p, host, connections, seconds);
        rates[host ? 'statusOrigin' : 'mainServer'] = round(r.perSecond);
        errors += r.errors;
        report(`summary.json, ${count} open incidents, ${label}`, { 'req/s': round(r.perSecond), errors: r.errors, n: r.done, kB: round(r.bytes / 1024) }, '≥ 2000 req/s');
      }
      const figure = Math.min(...Object.values(rates));
      const def = { ...SUMMARY_RPS, measure: SUMMARY_RPS.measure.replace('100 open', `${count} open`) };
      return [measured(def, figure, 'req/s', figure >= 2000 && errors === 0, { store: opts.store, details: { ...rates, errors, incidents: count, connections, seconds } })];
    } finally {
      await firebreak.stop();
    }
  } finally {
    await world.close();
  }
}

/** Declares and publishes `count` incidents with the real modules, before the server starts on the same store. */
async function seed(databaseUrl: string, orgFile: string, count: number, serviceUrl: string): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    const org = loadOrgFile(orgFile);
    const incidents = createIncidents(store, () => undefined);
    const publish = createPublisher({ org, store: store.statusPage, incidents, statusUrl: 'https://status.bench.test' });
    const components = org.statusPage.components.map((c) => c.id);
    for (let i = 0; i < count; i++) {
      const at = new Date().toISOString();
      const outcome = await incidents.declare({
        type: 'DeclareIncident',
        incidentId: randomUUID(),
        title: `Bench incident ${i}`,
        severity: 2,
        origin: { id: `19:bench@thread.tacv2;messageid=${i}`, serviceUrl, tenantId: TENANT, isChannel: true },
        at,
        by: { id: ALICE.id, name: ALICE.name },
      });
      if (outcome.kind !== 'changed') throw new Error(`declare ${i}: ${outcome.kind}`);
      const answer = await publish({ incident: outcome.incident, text: `${components[i % components.length]}: Some customers see errors (${i}).`, by: { id: ALICE.id, name: ALICE.name }, at });
      if (!('published' in answer)) throw new Error(`publish ${i}: ${JSON.stringify(answer)}`);
    }
  } finally {
    await store.close();
  }
}

/** Closed-loop load: each connection sends its next request when the last answer is read. */
async function load(base: string, p: string, host: string | undefined, connections: number, seconds: number) {
  const { hostname, port } = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let done = 0;
  let errors = 0;
  let bytes = 0;
  const once = () =>
    new Promise<void>((resolve) => {
      const req = request({ hostname, port, path: p, agent, headers: { 'accept-encoding': 'gzip', ...(host && { host }) } }, (res) => {
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => {
          if (res.statusCode === 200) done++;
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  // One second of warm-up, not counted.
  const warm = Date.now() + 1000;
  await Promise.all(Array.from({ length: connections }, async () => { while (Date.now() < warm) await once(); }));
  done = errors = bytes = 0;
  const started = performance.now();
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => { while (Date.now() < until) await once(); }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { perSecond: done / elapsed, errors, done, bytes: bytes / Math.max(1, done) };
}
