import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { cardPost } from '../../src/workers/effects/card-post';
import { createRunner } from '../../src/workers/runner';
import { declareCommand } from '../domain/fixtures';
import { unauthenticatedOutbox } from '../harness/outbox';

/**
 * The real Teams outbox (botbuilder's connector client) posting the incident card to the Bot Framework channel
 * while it throttles (429 with Retry-After) or fails (5xx): the card is retried, waits as long as it is told, and
 * is posted exactly once.
 */
let store: Store;
let channel: BotChannel;
let clock = Date.parse('2026-03-15T00:02:00.000Z');
const now = () => new Date(clock);

beforeAll(async () => {
  store = await openStore('pglite:memory');
  channel = await startBotChannel({ requireAuth: false });
}, 60_000);
afterAll(async () => {
  await store.close();
  await channel.close();
});
beforeEach(() => channel.fault(undefined));

const ACTIVITIES = /^POST \/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/; // a send or a reply

/** Declares an incident whose card goes to a conversation of its own; returns the runner that posts it. */
async function declared(incidentId: string) {
  const incidents = createIncidents(store);
  const warnings: string[] = [];
  const log = createLogger('warn', (line) => warnings.push(JSON.parse(line).msg));
  const runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    backoffMs: () => 0,
    handlers: { 'card.post': cardPost({ store, incidents, teams: unauthenticatedOutbox(now), now, log }) },
  });
  const origin = { id: `19:${incidentId}@thread.tacv2;messageid=1`, serviceUrl: channel.serviceUrl };
  const { number, ...declare } = declareCommand({ incidentId, origin, at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  const cards = () => channel.recorded.filter((r) => r.conversationId === origin.id && r.activity.attachments?.length);
  const posts = () => channel.requests.filter((r) => r.path.startsWith(`/v3/conversations/${encodeURIComponent(origin.id)}/activities`));
  return { runner, cards, posts, warnings };
}

test("a 429 is Teams' ErrorResponse (Throttled) with Retry-After; a 5xx is ServiceError", async () => {
  const send = () => fetch(`${channel.serviceUrl}v3/conversations/c1/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
  channel.fault({ status: 429, retryAfter: 7, times: 1 });
  const throttled = await send();
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get('retry-after')).toBe('7');
  expect(await throttled.json()).toEqual({ error: { code: 'Throttled', message: 'Too many requests.' } });
  channel.fault({ status: 502, times: 1 });
  const failed = await send();
  expect(failed.status).toBe(502);
  expect(failed.headers.get('retry-after')).toBeNull();
  expect(await failed.json()).toEqual({ error: { code: 'ServiceError', message: expect.any(String) } });
  expect((await send()).status).toBe(201);
});

test('a card throttled once is posted once, no sooner than Retry-After', async () => {
  const { runner, cards, posts } = await declared('of-429');
  channel.fault({ match: ACTIVITIES, status: 429, retryAfter: 1, times: 1 });
  await runner.drain();
  expect(cards().length).toBe(1);
  const [throttled, posted] = posts();
  expect([throttled.status, posted.status]).toEqual([429, 201]);
  expect(posted.at - throttled.at).toBeGreaterThanOrEqual(990); // a timer never fires early; 10 ms for clock granularity
});

test('a card that meets a 5xx is retried and posted once', async () => {
  const { runner, cards, posts } = await declared('of-5xx');
  channel.fault({ match: ACTIVITIES, status: 503, times: 1 });
  await runner.drain();
  expect(cards().length).toBe(1);
  expect(posts().map((p) => p.status)).toEqual([503, 201]);
});

test("throttled past the connector client's own retries, the effect is put off for Retry-After, then posted once", async () => {
  const { runner, cards, posts, warnings } = await declared('of-429-long');
  // botbuilder's client tries 4 times in all (each after Retry-After); every one is throttled.
  channel.fault({ match: ACTIVITIES, status: 429, retryAfter: 1, times: 4 });
  await runner.drain();
  expect(cards().length).toBe(0);
  const [pending] = (await store.effects({ pending: true })).filter((e) => e.kind === 'card.post' && e.incidentId === 'of-429-long');
  expect(Date.parse(pending.notBefore) - clock).toBe(1000);

  clock += 1000;
  await runner.drain();
  expect(cards().length).toBe(1);
  expect(posts().map((p) => p.status)).toEqual([429, 429, 429, 429, 201]);
  // Teams refused outright, so no card could be out: the retry is not an interrupted post (the crash drill counts those).
  expect(warnings.filter((w) => w.includes('interrupted'))).toEqual([]);
}, 30_000);
