import { request } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post } from '../harness/activities';
import { artifactsDir, chromiumAvailable, launchChromium, localPage, screenshotOnFailure } from '../harness/browser';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * The reports page in headless Chromium, local mode (open on loopback, host-checked): incidents declared and resolved
 * through the real server, then the page's server-rendered SVG charts read as drawn. With UPDATE_SCREENSHOTS=1 its
 * picture is written to docs/screenshots/reports.png (else to the browser artifacts folder).
 */
const run = chromiumAvailable() ? test : test.skip;
let channel: BotChannel;
let firebreak: RunningFirebreak;
let browser: Browser;

beforeAll(async () => {
  channel = await startBotChannel({ requireAuth: false });
  firebreak = await startFirebreak({});
  if (chromiumAvailable()) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await firebreak?.stop();
  await channel?.close();
});

/** Says `text` in a thread of the ops channel and waits for the bot's answer there. */
async function say(thread: string, text: string) {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread });
  expect((await post(firebreak.url, activity)).status).toBe(200);
  await eventually(() => (channel.recorded.slice(before).some((r) => r.conversationId === activity.conversation.id) ? true : undefined), `an answer to "${text}"`);
}

run('charts this week\'s incidents by severity, the median times and the follow-ups done on time', async () => {
  await say('rep-1', 'declare sev1 Checkout down');
  await say('rep-1', 'impact yes');
  await say('rep-1', 'impact no');
  await say('rep-1', 'resolve confirm rolled back');
  await say('rep-1', 'followup Alert on checkout errors due tomorrow');
  await say('rep-1', 'followup done 1');
  await say('rep-2', 'declare sev3 Search slow');
  await say('rep-2', 'followup Tune the index due in 30 days');

  const page = await localPage(browser);
  page.setDefaultTimeout(10_000);
  await screenshotOnFailure(page, 'reports-page', async () => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${firebreak.url}/reports`);
    const bars = await page.locator('#chart-weeks rect.bar').evaluateAll((rects) => rects.map((r) => `${r.getAttribute('data-severity')}:${r.getAttribute('data-count')}`));
    expect(bars).toEqual(['1:1', '3:1']); // both in this week's column
    const resolve = await page.locator('#chart-medians rect.median[data-severity="1"][data-what="resolve"]').getAttribute('data-seconds');
    expect(Number(resolve)).toBeGreaterThanOrEqual(0);
    expect(await page.locator('#chart-medians').innerHTML()).toContain('no resolved incident'); // severity 3 is open
    expect(await page.locator('#on-time').innerText()).toBe('1 of 1 done items were done on time (100 %).');
    expect(await page.locator('#chart-followups rect.followups').evaluateAll((rects) => rects.map((r) => `${r.getAttribute('data-what')}:${r.getAttribute('data-count')}`))).toEqual(['onTime:1', 'open:1']);
    const box = await page.locator('#chart-weeks').boundingBox();
    expect(box!.width).toBeGreaterThan(300); // drawn, not collapsed
    expect(errors).toEqual([]); // no CSP violation, no script error
    const file = process.env.UPDATE_SCREENSHOTS ? path.resolve(__dirname, '../../docs/screenshots/reports.png') : path.join(artifactsDir(), 'reports.png');
    await page.screenshot({ path: file, fullPage: true });
  });
  await page.close();
}, 60_000);

test('answers only to loopback names in local mode (421 for a rebound name)', async () => {
  const { port } = new URL(firebreak.url);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/reports', headers: { host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(421);
});
