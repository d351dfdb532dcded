import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Local mode, as `npm start` runs with no credentials at all: the Google sandbox starts in-process, the template
 * is built on first start, and the card links to a page where the doc can be watched filling in.
 */
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

test('local mode makes the doc in the in-process sandbox and the card links to its live view', async () => {
  const activity = channelMessage('declare Payments page blank', { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity)).status).toBe(200);
  const url = await eventually(
    () =>
      channel.recorded
        .filter((r) => r.activity.attachments)
        .map((r) => /Incident doc: \[INC-\d+ Payments page blank\]\((http:\/\/127\.0\.0\.1:\d+\/sandbox\/docs\/[^)]+)\)/.exec(JSON.stringify(r.activity.attachments[0].content))?.[1])
        .find(Boolean),
    'the card with the local doc link',
  );
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Payments page blank');
  // The page follows the doc by its own script (no inline script: the CSP allows only the sandbox's files).
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(html).toContain('<script src="/sandbox/assets/doc.js" defer></script>');
  // What the script polls: the doc's revision and its article as it is now (it keeps changing while filled in).
  const state = (await (await fetch(`${url}/state`)).json()) as { revision: string; article: string };
  expect(state.revision).toMatch(/^ALm37B/);
  expect(state.article).toContain('<h1 dir="auto">INC-1: Payments page blank</h1>');
  const index = await (await fetch(new URL('/sandbox/docs', url))).text();
  expect(index).toContain('Firebreak incident template');
  expect(firebreak.logs.join('\n')).toContain('Google sandbox running');
});
