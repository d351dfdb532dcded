import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post, readable, TENANT } from '../harness/activities';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium, screenshotOnFailure } from '../harness/browser';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * The services directory through the real server in production mode: `experts <service>` in chat, and the experts
 * page's list behind Teams SSO, with the bot channel's local OpenID/JWKS issuer standing in for Entra ID.
 */
const APP_ID = '3f0c6a55-2222-4333-8444-955555555517';
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const AUDIENCE = `api://firebreak.test/${APP_ID}`;
const OTHER_TENANT = '99999999-8888-7777-6666-555555555555';
const PAYMENTS_ROTATION = ['Megan Bowen', 'Adele Vance', 'Isaiah Langer'];

let channel: BotChannel;
let firebreak: RunningFirebreak;
let browser: Browser | undefined;

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'experts-e2e-secret', tenantId: TENANT });
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'experts-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: 'pglite:memory',
    FIREBREAK_ORG_FILE: path.resolve(__dirname, '../../firebreak.org.example.yml'),
    EXPERTS_SSO_METADATA_URL: channel.openIdMetadataUrl,
    EXPERTS_SSO_ISSUER: ISSUER,
    EXPERTS_SSO_AUDIENCE: AUDIENCE,
  });
  if (chromiumAvailable()) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await firebreak?.stop();
  await channel?.close();
});

/** Sends a command in the ops channel and waits for the bot's answer in that thread. */
async function ask(text: string) {
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl });
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return eventually(() => channel.recorded.find((r) => r.conversationId.startsWith(activity.conversation.id.split(';')[0]) && r.activity.replyToId === activity.id)?.activity ?? channel.recorded.find((r) => r.conversationId === activity.conversation.id)?.activity, `the answer to "${text}"`);
}

/** A Teams SSO token from the local issuer: the bot's tenant, the configured issuer and audience unless told. */
const token = (o: Parameters<BotChannel['signInbound']>[0] = {}) => channel.signInbound({ issuer: ISSUER, audience: AUDIENCE, ...o, claims: { tid: TENANT, oid: '00000000-0000-0000-0000-000000000021', ...o.claims } });
const factsOf = (card: any) => Object.fromEntries(card.body.filter((b: any) => b.type === 'FactSet').flatMap((f: any) => f.facts.map((x: any) => [x.title, x.value])));

describe('experts <service> in chat', () => {
  it('answers "experts payments" with a card: who is on call now and next in the rotation, escalation, dependencies', async () => {
    const answer = await ask('experts payments');
    const card = answer.attachments?.[0]?.content;
    expect(adaptiveCardErrors(card)).toEqual([]);
    expect(card.body[0].text).toBe('Experts for payments');
    const facts = factsOf(card);
    const now = PAYMENTS_ROTATION.findIndex((name) => facts['On call now'].startsWith(name));
    expect(now).toBeGreaterThanOrEqual(0);
    // The next one is the following member of the rotation, whatever the hour the test runs at.
    expect(facts.Next.startsWith(PAYMENTS_ROTATION[(now + 1) % 3])).toBe(true);
    expect(facts['On call now']).toMatch(/until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(Mon 09:00 Europe\/Berlin\)/);
    expect(facts.Escalation).toBe('Patti Fernandez (pattif@firebreak.test)');
    expect(facts.identity).toBe('Adele Vance (adelev@firebreak.test)'); // the dependency, with its on-call
  });

  it('finds a service by its alias, and answers an unknown one in plain words listing the known ones', async () => {
    expect((await ask('experts psp')).attachments?.[0]?.content.body[0].text).toBe('Experts for payments');
    const unknown = await ask('experts ledger');
    expect(unknown.attachments).toBeUndefined();
    expect(readable(unknown.text)).toContain('I don\'t know a service called "ledger". Services: checkout, payments, search, identity');
  });
});

describe('the experts page behind Teams SSO', () => {
  const list = (token?: string) => fetch(`${firebreak.url}/experts/directory`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('serves the list to a valid token of the bot\'s tenant', async () => {
    const res = await list(token());
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const s of ['checkout', 'payments', 'search', 'identity']) expect(html).toContain(`id="service-${s}"`);
  });

  it('refuses a forged token, a foreign tenant\'s, a wrong audience and none at all with 401', async () => {
    const refusals = [
      await list(token({ key: 'untrusted' })),
      await list(token({ claims: { tid: OTHER_TENANT } })),
      await list(token({ issuer: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, claims: { tid: OTHER_TENANT } })),
      await list(token({ audience: `api://elsewhere.test/${APP_ID}` })),
      await list(token({ expiresInSeconds: -3600 })),
      await list(),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    const bodies = await Promise.all(refusals.map((r) => r.json()));
    expect(bodies.every((b: any) => typeof b.error === 'string' && !/checkout|payments/.test(JSON.stringify(b)))).toBe(true);
  });

  it('the page itself is the Teams shell: no one on call in it, TeamsJS from this origin, framed only by Teams', async () => {
    const res = await fetch(`${firebreak.url}/experts`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('service-payments');
    expect(html).toContain('<script src="/experts/teams-js.js">');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors');
    expect((await fetch(`${firebreak.url}/experts/teams-js.js`)).status).toBe(200);
  });
});

/**
 * A stand-in for the Teams web client: a page served as https://teams.microsoft.com (intercepted, never fetched) that
 * frames the tab and answers TeamsJS's postMessage requests the way the host does: `initialize` with the frame
 * context, client type and SDK version, `authentication.getAuthToken` with [success, token].
 */
function teamsHost(tabUrl: string, token: string | undefined): string {
  return `<!doctype html><html><body><iframe id="tab" src="${tabUrl}" width="1200" height="800"></iframe><script>
window.addEventListener('message', function (e) {
  var m = e.data;
  if (!m || typeof m.func !== 'string') return;
  var reply = function (args) { e.source.postMessage({ id: m.id, args: args }, e.origin); };
  if (m.func === 'initialize') reply(['content', 'web', '2.0.0']);
  else if (m.func === 'authentication.getAuthToken') reply(${JSON.stringify(token)} ? [true, ${JSON.stringify(token)}] : [false, 'resourceRequiresConsent']);
});
</script></body></html>`;
}

(chromiumAvailable() ? describe : describe.skip)('the Experts tab inside a Teams host (headless Chromium)', () => {
  async function openTab(tokenFor: string | undefined) {
    const context = await browser!.newContext();
    // Both origins are https names, as in Teams: the tab's origin is forwarded to the real server (Chromium keeps a
    // public https page from framing a loopback http one, which Teams never does either).
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === 'teams.microsoft.com') return route.fulfill({ status: 200, contentType: 'text/html', body: teamsHost('https://firebreak.test/experts', tokenFor) });
      if (url.hostname === 'firebreak.test') return route.fulfill({ response: await route.fetch({ url: `${firebreak.url}${url.pathname}${url.search}` }) });
      return route.abort(); // TeamsJS's origin-list fetch from its CDN: it falls back to the list it ships
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('https://teams.microsoft.com/tab');
    const tab = page.frameLocator('#tab');
    return { context, page, tab };
  }

  it('gets the SSO token from the host and shows every service', async () => {
    const { context, page, tab } = await openTab(token());
    await screenshotOnFailure(page, 'experts-tab-teams', async () => {
      await tab.locator('#service-payments').waitFor();
      expect(await tab.locator('#experts tbody tr').count()).toBe(4);
      await tab.locator('#q').fill('platform');
      await tab.locator('#service-payments').waitFor({ state: 'hidden' });
      expect(await tab.locator('#count').innerText()).toBe('1 of 4 services');
    });
    await context.close();
  }, 30_000);

  it('a token of another tenant shows no one: the list is refused', async () => {
    const { context, page, tab } = await openTab(token({ claims: { tid: OTHER_TENANT } }));
    await screenshotOnFailure(page, 'experts-tab-foreign', async () => {
      await tab.getByText('Could not sign in through Teams: HTTP 401').waitFor();
      expect(await tab.locator('#experts').count()).toBe(0);
    });
    await context.close();
  }, 30_000);
});
