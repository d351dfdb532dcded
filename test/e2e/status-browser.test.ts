import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { ALICE, channelMessage, post, TENANT } from '../harness/activities';
import { artifactsDir, chromiumAvailable, launchChromium, localPage, screenshotOnFailure } from '../harness/browser';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * The status page and the embed rendered in headless Chromium: light and dark, landmarks and contrast, and the embed
 * on another origin under a strict CSP (no violation reported). UPDATE_SCREENSHOTS=1 writes the screenshots kept in
 * docs/status-page/; otherwise they go to the browser artifacts folder.
 */
/** Browser globals used inside page.evaluate (the project's lib has no DOM). */
declare const document: any, getComputedStyle: any, DOMParser: any;

const APP_ID = '3f0c6a55-2222-4333-8444-955555555517';
const SHOTS = process.env.UPDATE_SCREENSHOTS ? path.resolve(__dirname, '../../docs/status-page') : artifactsDir();
const run = chromiumAvailable() ? test : test.skip;

let channel: BotChannel;
let firebreak: RunningFirebreak;
let browser: Browser;
let site: Server;
let siteUrl: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'status-browser-secret', tenantId: TENANT });
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'status-browser-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: 'pglite:memory',
    FIREBREAK_ORG_FILE: path.resolve(__dirname, '../../firebreak.org.example.yml'),
  });
  // The organisation's own site: another origin, with a strict CSP that allows only Firebreak's script.
  site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': `default-src 'none'; script-src ${firebreak.url}/status/embed.js` });
    res.end(`<!doctype html><html lang="en"><head><title>Acme</title></head><body><h1>Acme shop</h1><p>Service status: <span data-firebreak-status></span></p><script src="${firebreak.url}/status/embed.js"></script></body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
  if (chromiumAvailable()) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  await firebreak?.stop();
  await channel?.close();
});

async function publishSomething(): Promise<void> {
  const thread = `thread-${randomUUID()}`;
  const token = () => channel.signInbound({ serviceUrl: channel.serviceUrl });
  await post(firebreak.url, channelMessage('declare sev2 Internal: cache stampede on db-7', { serviceUrl: channel.serviceUrl, thread }), token());
  await eventually(() => channel.recorded.find((r) => /Declared INC-/.test(r.activity.text ?? '') && r.conversationId.endsWith(thread)), 'the declaration');
  await post(firebreak.url, channelMessage('publish checkout, payments: Some customers cannot complete checkout.', { serviceUrl: channel.serviceUrl, thread, from: ALICE }), token());
  await eventually(() => channel.recorded.find((r) => /Published INC-/.test(r.activity.text ?? '') && r.conversationId.endsWith(thread)), 'the publication');
}

/** CSP violations and script errors the page reported. */
function problemsOf(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || /Content Security Policy/i.test(m.text())) && seen.push(m.text()));
  page.on('pageerror', (e) => seen.push(e.message));
  return seen;
}

/** WCAG contrast ratio of an element's text on the page's background. */
const contrastOf = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const fg = lum(rgb(getComputedStyle(document.querySelector(sel)!).color));
    const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }, selector);

run('the status page renders in light and dark, with landmarks, readable contrast and no CSP violation', async () => {
  await publishSomething();
  for (const scheme of ['light', 'dark'] as const) {
    const page = await localPage(browser);
    const problems = problemsOf(page);
    await screenshotOnFailure(page, `status-page-${scheme}`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${firebreak.url}/status`);
      expect(await page.locator('header').count()).toBe(1);
      expect(await page.locator('main').count()).toBe(1);
      expect(await page.locator('footer').count()).toBe(1);
      expect(await page.locator('h1').allTextContents()).toEqual(['Acme status']);
      await expect(page.locator('[role=status]').textContent()).resolves.toMatch(/Outage/);
      await expect(page.locator('main').textContent()).resolves.toContain('Some customers cannot complete checkout.');
      for (const selector of ['h1', '[role=status]', 'li.component span:last-child', 'h3', 'time']) expect(await contrastOf(page, selector)).toBeGreaterThanOrEqual(4.5);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(17, 18, 22)' : 'rgb(255, 255, 255)');
      await page.screenshot({ path: path.join(SHOTS, `page-${scheme}.png`), fullPage: true });
      expect(problems).toEqual([]);
      // The feed is well-formed Atom: Chromium's own XML parser, which gives a parsererror otherwise.
      await page.goto(`${firebreak.url}/healthz`); // same origin, no page CSP: the page's own forbids fetch
      const parsed = await page.evaluate(async (u: string) => {
        const feed = new DOMParser().parseFromString(await (await fetch(u)).text(), 'application/xml');
        return { root: `${feed.documentElement.namespaceURI} ${feed.documentElement.localName}`, errors: feed.getElementsByTagName('parsererror').length, entries: feed.getElementsByTagName('entry').length };
      }, `${firebreak.url}/status/history.atom`);
      expect(parsed).toEqual({ root: 'http://www.w3.org/2005/Atom feed', errors: 0, entries: expect.any(Number) });
      expect(parsed.entries).toBeGreaterThan(0);
    });
    await page.close();
  }
});

run('the embed shows the badge and the banner on another origin under a strict CSP', async () => {
  await publishSomething();
  const page = await localPage(browser);
  const problems = problemsOf(page);
  await screenshotOnFailure(page, 'status-embed', async () => {
    await page.goto(siteUrl);
    await expect(page.locator('[data-firebreak-badge]').textContent()).resolves.toMatch(/Outage$/);
    await expect(page.locator('[data-firebreak-banner]').textContent()).resolves.toContain('Investigating degraded service');
    await page.screenshot({ path: path.join(SHOTS, 'embed.png') });
    expect(problems).toEqual([]);
  });
  await page.close();
});
