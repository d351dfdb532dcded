import { request } from 'node:http';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium, localPage, screenshotOnFailure } from '../harness/browser';
import { startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * The experts page in headless Chromium, local mode (open on loopback, host-checked): the list rendered by the
 * server, searchable with the script and without it. Every wait is bounded (10 s per step).
 */
const run = chromiumAvailable() ? test : test.skip;
let firebreak: RunningFirebreak;
let browser: Browser;

beforeAll(async () => {
  firebreak = await startFirebreak({});
  if (chromiumAvailable()) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await firebreak?.stop();
});

const rowsShown = `Array.from(document.querySelectorAll('#experts tbody tr')).filter((r) => !r.hidden).map((r) => r.id)`;

run('lists every service with its on-call and dependencies; typing filters the rows', async () => {
  const page = await localPage(browser);
  page.setDefaultTimeout(10_000);
  await screenshotOnFailure(page, 'experts-page', async () => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${firebreak.url}/experts`);
    expect(await page.evaluate(rowsShown)).toEqual(['service-checkout', 'service-payments', 'service-search', 'service-identity']);
    const checkout = await page.locator('#service-checkout').innerText();
    expect(checkout).toContain('Alex Wilber');
    expect(checkout).toMatch(/payments: (Megan Bowen|Adele Vance|Isaiah Langer)/);
    await page.fill('#q', 'discovery');
    await page.waitForFunction(`${rowsShown}.length === 1`);
    expect(await page.evaluate(rowsShown)).toEqual(['service-search']);
    expect(await page.locator('#count').innerText()).toBe('1 of 4 services');
    expect(errors).toEqual([]); // no CSP violation, no script error
  });
  await page.close();
}, 30_000);

run('searches without script (?q=, a GET form)', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await screenshotOnFailure(page, 'experts-page-noscript', async () => {
    await page.goto(`${firebreak.url}/experts`);
    await page.fill('#q', 'login');
    await Promise.all([page.waitForURL(/q=login/), page.click('button[type=submit]')]);
    expect(await page.locator('#experts tbody tr').evaluateAll((rows) => rows.map((r) => r.id))).toEqual(['service-identity']);
  });
  await context.close();
}, 30_000);

test('answers only to loopback names in local mode (421 for a rebound name)', async () => {
  const { port } = new URL(firebreak.url);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/experts/directory', headers: { host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(421);
});
