import { alertWebhook } from '../../src/alerts/routes';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';

/** The webhook's gate on the real (embedded) store: off without a token, and a refusal leaves no trace. */
let store: Store;
beforeAll(async () => {
  store = await openStore('pglite:memory');
}, 30_000);
afterAll(() => store?.close());

const TOKEN = 'webhook-test-token-0123456789';
const place = { id: '19:ops@thread.tacv2', serviceUrl: 'https://smba.test/', isChannel: true, channelId: '19:ops@thread.tacv2' };
const hook = (token?: string) => alertWebhook({ store, log: createLogger('error'), now: () => new Date('2026-12-03T10:00:00Z'), ...(token && { token }), fallbackPlace: async () => place, channelPlace: () => place });
const body = (groupKey: string) => ({ version: '4', groupKey, status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'X' }, startsAt: '2026-12-03T09:59:00Z' }] });
const rows = async () => (await store.effects()).filter((e) => e.kind === 'alert.card').length;

it('is off (404, naming the setting) while ALERT_WEBHOOK_TOKEN is unset', async () => {
  const answer = await hook()('alertmanager', body('off'), `Bearer ${TOKEN}`);
  expect(answer).toEqual({ status: 404, body: { error: 'the alert webhooks are off: set ALERT_WEBHOOK_TOKEN (docs/alerts.md)' } });
  expect(await store.alerts.get('alertmanager:off')).toBeUndefined();
});

it('refuses a missing, wrong or differently long token with 401, and a malformed body with 400: nothing stored, no card', async () => {
  const before = await rows();
  for (const authorization of [undefined, 'Bearer nope', `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
    expect((await hook(TOKEN)('alertmanager', body('refused'), authorization)).status).toBe(401);
  }
  expect((await hook(TOKEN)('alertmanager', { ...body('bad'), status: 'on fire' }, `Bearer ${TOKEN}`)).status).toBe(400);
  expect(await store.alerts.get('alertmanager:refused')).toBeUndefined();
  expect(await store.alerts.get('alertmanager:bad')).toBeUndefined();
  expect(await rows()).toBe(before);
});

it('answers before it wakes the effect runner: the card work comes after the answer', async () => {
  let woken = 0;
  const webhook = alertWebhook({ store, log: createLogger('error'), now: () => new Date('2026-12-03T10:00:00Z'), token: TOKEN, fallbackPlace: async () => place, channelPlace: () => place, wake: () => woken++ });
  expect((await webhook('alertmanager', body('answer-first'), `Bearer ${TOKEN}`)).status).toBe(200);
  expect(woken).toBe(0);
  await new Promise((r) => setImmediate(r));
  expect(woken).toBe(1);
});

it('stores the group and its one card effect; the same notification again adds nothing', async () => {
  const before = await rows();
  expect(await hook(TOKEN)('alertmanager', body('ok'), `Bearer ${TOKEN}`)).toEqual({ status: 200, body: { group: 'alertmanager:ok', status: 'firing', card: 'posting' } });
  expect((await hook(TOKEN)('alertmanager', body('ok'), `bearer ${TOKEN}`)).status).toBe(200);
  expect((await store.alerts.get('alertmanager:ok'))?.version).toBe(1);
  expect(await rows()).toBe(before + 1);
});
