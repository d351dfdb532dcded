import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's prometheus-alertmanager (.ci/run installs it); the upstream tarball's binary name second. */
const BINARIES = ['/usr/bin/prometheus-alertmanager', '/usr/local/bin/alertmanager', '/usr/bin/alertmanager'];

export function alertmanagerBinary(): string | undefined {
  return BINARIES.find((b) => existsSync(b));
}

export interface RunningAlertmanager {
  url: string;
  logs: string[];
  /** POST /api/v2/alerts (Alertmanager's API v2). */
  postAlerts(alerts: { labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string; generatorURL?: string }[]): Promise<void>;
  /** GET /api/v2/alerts: the alerts as Alertmanager holds them (its own clock's startsAt). */
  alerts(): Promise<{ labels: Record<string, string>; annotations: Record<string, string>; generatorURL?: string; startsAt: string; endsAt: string; fingerprint: string }[]>;
  /** A counter of its /metrics, summed over its series (e.g. alertmanager_notifications_failed_total). */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The real Alertmanager with one receiver per route, each a webhook to `receivers[name]` with its bearer token
 * (http_config.authorization). Waits are small so a group notifies within about a second: group_wait and
 * group_interval 1s. https://prometheus.io/docs/alerting/latest/configuration/
 */
export async function startAlertmanager(opts: { receivers: { name: string; url: string; token: string; match?: Record<string, string> }[] }): Promise<RunningAlertmanager> {
  const binary = alertmanagerBinary();
  if (!binary) throw new Error('prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)');
  const dir = mkdtempSync(path.join(tmpdir(), 'alertmanager-'));
  const [first, ...others] = opts.receivers;
  const yaml = [
    'route:',
    `  receiver: ${first.name}`,
    "  group_by: ['alertname', 'service']",
    '  group_wait: 1s',
    '  group_interval: 1s',
    '  repeat_interval: 1h',
    ...(others.length ? ['  routes:'] : []),
    ...others.flatMap((r) => [`    - receiver: ${r.name}`, '      matchers:', ...Object.entries(r.match ?? {}).map(([k, v]) => `        - ${k}="${v}"`)]),
    'receivers:',
    ...opts.receivers.flatMap((r) => [
      `  - name: ${r.name}`,
      '    webhook_configs:',
      `      - url: ${r.url}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${JSON.stringify(r.token)}`,
    ]),
  ].join('\n');
  writeFileSync(path.join(dir, 'alertmanager.yml'), `${yaml}\n`);
  const port = 30000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    binary,
    [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=debug'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } },
  );
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}:\n${logs.join('\n')}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`alertmanager did not become ready:\n${logs.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    logs,
    async postAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      if (!res.ok) throw new Error(`alertmanager refused the alerts: HTTP ${res.status} ${await res.text()}`);
    },
    async alerts() {
      return (await fetch(`${url}/api/v2/alerts`)).json() as Promise<Awaited<ReturnType<RunningAlertmanager["alerts"]>>>;
    },
    async metric(name) {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
        .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
