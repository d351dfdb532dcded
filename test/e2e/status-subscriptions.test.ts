import https from 'node:https';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import type { GraphState } from '../../src/sandbox/graph/state';
import { channelMessage, post, readable } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Subscriptions (issue 16, item 8) in local mode, through the real server: the page's form and the JSON endpoint,
 * double opt-in by a link read from the Graph emulator's mailbox, published updates mailed to confirmed subscribers
 * of the affected components with an unsubscribe link, no mail after unsubscribing, and the per-client limit.
 */
/** What every acceptable request is told, subscribed or not. */
const SUBSCRIBE_ANSWER = 'Thank you. If this address can receive mail, a link to confirm the subscription is on its way; nothing is sent before it is followed.';

let channel: BotChannel;
let firebreak: RunningFirebreak;
const port = 20000 + Math.floor(Math.random() * 20000);
const status = `http://localhost:${port + 2}`;

beforeAll(async () => {
  channel = await startBotChannel({ requireAuth: false });
  // As behind one reverse proxy: a request naming X-Forwarded-For is that client's; one without it, the socket's.
  firebreak = await startFirebreak({ PORT: String(port), EFFECT_RETRY_BASE_MS: '50', EFFECT_RETRY_CAP_MS: '500', TRUSTED_PROXY_HOPS: '1' });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
});

async function mailbox(): Promise<GraphState['mailbox']> {
  const line = firebreak.logs.find((l) => l.includes('"local Graph emulator"'));
  const { state } = JSON.parse(line!) as { state: string };
  return new Promise((resolve, reject) => {
    https
      .get(state, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve((JSON.parse(body) as GraphState).mailbox));
      })
      .on('error', reject);
  });
}
const mailsTo = async (address: string) => (await mailbox()).filter((m) => m.to.includes(address));
const mailTo = (address: string, subject: RegExp) => eventually(async () => (await mailsTo(address)).find((m) => subject.test(m.subject)), `a mail to ${address}: ${subject}`, 15_000);
const linkIn = (body: string, action: string) => new RegExp(`${status}/subscriptions/${action}\\?token=[^\\s]+`).exec(body)?.[0];

async function say(thread: string, text: string): Promise<string> {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread });
  expect((await post(firebreak.url, activity)).status).toBe(200);
  const r = await eventually(() => channel.recorded.slice(before).find((r) => r.conversationId === activity.conversation.id && !r.activity.attachments && !readable(r.activity.text)?.startsWith('Re: ')), `an answer to ${text}`);
  return readable(r.activity.text)!;
}

const subscribeForm = (email: string, components: string[]) =>
  fetch(`${status}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams([['email', email], ...components.map((c): [string, string] => ['component', c])]).toString() });
const subscribeJson = (email: string, components: string[]) =>
  fetch(`${status}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, components }) });

/** Follows a link from a mail as a person does: the page's button (a POST of its form). */
async function follow(link: string): Promise<string> {
  const page = await fetch(link);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self' http:\/\/localhost/);
  expect(html).not.toContain('<script');
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1];
  const token = /name="token" value="([^"]+)"/.exec(html)![1];
  const done = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
  expect(done.status).toBe(200);
  return done.text();
}

test('subscribe → confirm from the mailbox → publish → mail with an unsubscribe link → unsubscribe → no more mail; the limit per client', async () => {
  // The page's form works without script under its CSP.
  // Offered once the mail sender is known (right after start).
  const [page, html] = await eventually(async () => {
    const res = await fetch(`${status}/`);
    const body = await res.text();
    return body.includes('<form') ? ([res, body] as const) : undefined;
  }, 'the subscribe form on the page');
  expect(html).toContain(`<form method="post" action="${status}/subscriptions">`);
  expect(html).toContain('name="component" value="checkout"');
  expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${status}`);

  const carol = `carol-${port}@example.com`;
  const frank = `frank-${port}@example.com`;
  const viaForm = await subscribeForm(carol, ['checkout']);
  expect(viaForm.status).toBe(202);
  expect(await viaForm.text()).toContain(SUBSCRIBE_ANSWER);
  const viaJson = await subscribeJson(frank, []);
  expect(viaJson.status).toBe(202);
  expect(await viaJson.json()).toEqual({ message: SUBSCRIBE_ANSWER });

  // Nothing is mailed to an unconfirmed subscriber: publish before confirming.
  const thread = `thread-${port}`;
  expect(await say(thread, 'declare sev2 Checkout DB failover')).toMatch(/^Declared INC-/);
  expect(await say(thread, 'publish checkout: Some customers cannot pay.')).toMatch(/^Published INC-/);

  const carolConfirm = linkIn((await mailTo(carol, /^Confirm your subscription to Acme$/)).body, 'confirm')!;
  const frankConfirm = linkIn((await mailTo(frank, /^Confirm your subscription to Acme$/)).body, 'confirm')!;
  expect(carolConfirm).toBeDefined();
  expect(await follow(carolConfirm)).toContain('Subscribed');
  expect(await follow(frankConfirm)).toContain('Subscribed');
  // A used link (or a forged one) does nothing.
  const [, token] = carolConfirm.split('token=');
  const forged = await fetch(`${status}/subscriptions/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token.slice(0, -4)}AAAA` });
  expect(forged.status).toBe(404);

  // Already subscribed or not: the same answer.
  const again = await subscribeJson(carol, ['checkout']);
  const stranger = await subscribeJson(`nobody-${port}@example.com`, ['checkout']);
  expect([again.status, await again.text()]).toEqual([stranger.status, await stranger.text()]);

  expect(await say(thread, 'publish identified checkout: A fix is rolling out.')).toMatch(/^Published INC-/);
  const update = await mailTo(carol, /^\[Acme\] Identified: /);
  expect(update.body).toContain('Identified: A fix is rolling out.');
  expect(update.body).not.toContain('Checkout DB failover'); // never the internal title
  await mailTo(frank, /^\[Acme\] Identified: /);
  expect((await mailsTo(carol)).filter((m) => m.subject.startsWith('[Acme] Investigating'))).toEqual([]); // published before she confirmed
  const unsubscribe = linkIn(update.body, 'unsubscribe')!;
  expect(unsubscribe).toBeDefined();
  expect(await follow(unsubscribe)).toContain('Unsubscribed');

  expect(await say(thread, 'publish resolved Payments work again.')).toMatch(/^Published INC-/);
  await mailTo(frank, /^\[Acme\] Resolved: /); // the mail to a subscriber who stayed went out …
  expect((await mailsTo(carol)).map((m) => m.subject).filter((s) => s.startsWith('[Acme]'))).toEqual([expect.stringMatching(/^\[Acme\] Identified: /)]); // … and none to her
  expect((await mailsTo(frank)).filter((m) => m.subject.startsWith('[Acme] Identified')).length).toBe(1); // once per update

  // The per-client limit, held in the store: asking again and again ends in 429 with Retry-After, for any address.
  let limited: Response | undefined;
  for (let i = 0; i < 8 && !limited; i++) {
    const res = await subscribeJson(`many-${i}-${port}@example.com`, []);
    if (res.status === 429) limited = res;
    else expect(res.status).toBe(202);
  }
  expect(limited?.status).toBe(429);
  expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await subscribeJson(carol, [])).status).toBe(429);
  // Behind a proxy every request comes from the proxy's address: the client it names has a budget of its own.
  const viaProxy = await fetch(`${status}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.23, 203.0.113.77:54321' }, body: JSON.stringify({ email: `proxied-${port}@example.com`, components: [] }) });
  expect(viaProxy.status).toBe(202);
}, 60_000);

test('a bad subscription request gets a 4xx with a reason, never a 500', async () => {
  const cases: [RequestInit, number][] = [
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'not-an-address' }) }, 400],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@example.com', components: ['nope'] }) }, 400],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }, 400],
    [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }, 415],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(5000) }) }, 413],
    [{ method: 'GET' }, 405],
  ];
  for (const [init, expected] of cases) {
    const res = await fetch(`${status}/subscriptions`, init);
    expect([res.status, typeof ((await res.json()) as any).error]).toEqual([expected, 'string']);
  }
});
