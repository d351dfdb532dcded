import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * /metrics (issue 19 item 8), end to end through the real server process in production mode: the bearer token, and
 * figures that move with what the service does: requests by route and status, active incidents, a Bot Connector
 * failure counted by system and status, the failed effect in the outbox until its retry.
 */
const APP_ID = '7a1e0b55-3333-4444-8555-96666666666a';
const TOKEN = 'metrics-e2e-token-0123456789abcdef0123456789';

let channel: BotChannel;
let firebreak: RunningFirebreak;

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'metrics-e2e-secret', tenantId: TENANT });
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'metrics-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${tmpdir()}/firebreak-metrics-${randomUUID()}`,
    METRICS_TOKEN: TOKEN,
    // A failed attempt waits a long time for its retry, so the test sees it in the outbox.
    EFFECT_RETRY_BASE_MS: '600000',
    EFFECT_RETRY_CAP_MS: '600000',
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
});

const scrape = async (authorization = `Bearer ${TOKEN}`) => {
  const res = await fetch(`${firebreak.url}/metrics`, { headers: { authorization } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
/** A sample's value (labels in prom-client's order), or undefined when absent. */
const sample = (text: string, name: string, labels = ''): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
};

test('production asks for the bearer token', async () => {
  expect((await fetch(`${firebreak.url}/metrics`)).status).toBe(401);
  expect((await scrape('Bearer not-the-token')).status).toBe(401);
  const ok = await scrape();
  expect(ok.status).toBe(200);
  expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(ok.text).toContain('# TYPE firebreak_http_request_duration_seconds histogram');
});

test('a declaration shows as a request to its route, an active incident, and a failed card post as a Bot Connector 503 waiting in the outbox', async () => {
  const before = await scrape();
  const active = sample(before.text, 'firebreak_active_incidents') ?? 0;
  const failures = sample(before.text, 'firebreak_effect_failures_total', 'system="bot-connector",status="503"') ?? 0;

  const conversation = `19:metrics-${randomUUID()}@thread.tacv2`;
  const say = async (text: string) => {
    const res = await post(firebreak.url, { ...channelMessage(text, { serviceUrl: channel.serviceUrl, channel: conversation }) }, channel.signInbound({ serviceUrl: channel.serviceUrl }));
    expect(res.status).toBe(200);
  };
  // The incident card's post (a new activity, not the acknowledgement's reply) meets 503s past the connector client's
  // own retries (4 tries in all: test/workers/outbox-faults.test.ts).
  channel.fault({ status: 503, match: /^POST \/v3\/conversations\/[^/]+\/activities$/, times: 4 });
  await say(`declare sev3 metrics ${randomUUID().slice(0, 8)}`);

  const after = await eventually(async () => {
    const s = await scrape();
    return (sample(s.text, 'firebreak_effect_failures_total', 'system="bot-connector",status="503"') ?? 0) > failures ? s.text : undefined;
  }, 'the failure counted', 30_000);
  expect(sample(after, 'firebreak_active_incidents')).toBe(active + 1);
  expect(sample(after, 'firebreak_outbox_depth', 'kind="card.post"')).toBeGreaterThanOrEqual(1);
  expect(sample(after, 'firebreak_outbox_oldest_age_seconds', 'kind="card.post"')).toBeGreaterThanOrEqual(0);
  expect(sample(after, 'firebreak_http_request_duration_seconds_count', 'route="/api/messages",method="POST",status="200"')).toBeGreaterThanOrEqual(1);
  // Issue 19 item 9: the effect's log lines carry its key, kind and incident; the turn's carry the activity id.
  const lines = firebreak.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const retry = lines.find((l) => l.msg === 'effect will retry' && l.effectKind === 'card.post');
  expect(retry).toMatchObject({ effect: expect.any(String), incident: expect.any(String), level: 'info' });
  expect(JSON.stringify(retry)).not.toContain('metrics-e2e-secret');
  // Routes, not URLs: no label carries an id.
  expect(after).not.toContain(conversation);
});
