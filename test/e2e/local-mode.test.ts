import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/** With no configuration at all: local mode, no credentials, the embedded store, a warning that auth is off. */
let channel: BotChannel;
let firebreak: RunningFirebreak;

beforeAll(async () => {
  channel = await startBotChannel({ requireAuth: false });
  firebreak = await startFirebreak({});
}, 60_000);
afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
});

test('serves /healthz in local mode on the embedded store', async () => {
  const res = await fetch(`${firebreak.url}/healthz`);
  expect(await res.json()).toEqual({ ok: true }); // liveness only: the mode and store are in the start log
  expect(firebreak.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'firebreak listening')).toMatchObject({ mode: 'local', store: 'pglite' });
  const warnings = firebreak.logs.filter((l) => l.includes('NOT authenticated'));
  expect(warnings).toHaveLength(1);
});

test('answers a declare activity (no token) with the incident card, posted without a token', async () => {
  const activity = channelMessage('declare sev1 Payments failing', { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity)).status).toBe(200);
  const card = await eventually(() => channel.recorded.find((r) => r.activity.attachments && r.activity.summary?.includes('Payments failing')), 'the card');
  // Its number depends on what the other tests of this file declared first (they run in a random order).
  expect(card.activity.summary).toMatch(/^INC-\d+: Payments failing\. Severity 1, phase 1\. Alice Adams is incident commander\.$/);
  expect(adaptiveCardErrors(card.activity.attachments[0].content)).toEqual([]);
});

test('local mode answers only to loopback host names, and the sandbox sidebar only to JSON', async () => {
  const { request } = await import('node:http');
  const { port } = new URL(firebreak.url);
  // fetch won't let a test set Host; a page that rebinds its own name to 127.0.0.1 sends its own name there.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', headers: { host: `rebind.example:${port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(421);
  expect((await fetch(`${firebreak.url}/healthz`)).status).toBe(200);
  expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);

  const form = await fetch(`${firebreak.url}/sandbox/addon`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"docId":"x"}' });
  expect(form.status).toBe(415);
});

test('/metrics is open in local mode (loopback; the host check above covers every route) and /readyz says ready', async () => {
  const res = await fetch(`${firebreak.url}/metrics`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('firebreak_active_incidents');
  expect((await fetch(`${firebreak.url}/readyz`)).status).toBe(200);
});

test('/metrics counts Docs reads, open pages and alert groups as the service does them', async () => {
  const scrape = async () => (await fetch(`${firebreak.url}/metrics`)).text();
  const sample = (text: string, name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ').pop() ?? NaN);
  // A declaration makes its doc in the Google sandbox: the fill reads the copy (Docs reads).
  const thread = `metrics-${Date.now()}`;
  expect((await post(firebreak.url, channelMessage('declare sev2 Checkout slow for metrics', { serviceUrl: channel.serviceUrl, thread }))).status).toBe(200);
  await eventually(async () => ((sample(await scrape(), 'firebreak_docs_reads_total') || 0) > 0 ? true : undefined), 'a Docs read counted', 30_000);
  // A page for the incident waits for an answer (nobody here can acknowledge): one open page.
  await post(firebreak.url, channelMessage('page checkout db latency', { serviceUrl: channel.serviceUrl, thread }));
  await eventually(async () => (sample(await scrape(), 'firebreak_pages_open') >= 1 ? true : undefined), 'an open page', 30_000);
  expect(await scrape()).toMatch(/^firebreak_page_ack_seconds\{stat="count"\} 0$/m);
  // An alert through the generic webhook, with the token local mode generated and printed.
  const token = /take the bearer token (\S+)/.exec(firebreak.logs.join('\n'))?.[1];
  expect(token).toBeDefined();
  const alert = await fetch(`${firebreak.url}/api/alerts/generic`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ group: `metrics-${Date.now()}`, status: 'firing', summary: 'Checkout 5xx', labels: { service: 'checkout' } }),
  });
  expect(alert.status).toBeLessThan(300);
  await eventually(async () => (sample(await scrape(), 'firebreak_alert_groups{status="firing"}') >= 1 ? true : undefined), 'a firing alert group', 30_000);
});
