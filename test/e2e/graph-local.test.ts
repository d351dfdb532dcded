import https from 'node:https';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import type { GraphState } from '../../src/sandbox/graph/state';
import { channelMessage, post } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Local mode as `npm start` runs it: no credentials, the Graph emulator inside the server process (its
 * certificate trusted in-process), a channel without auth standing in for the Agents Playground.
 */
let channel: BotChannel;
let firebreak: RunningFirebreak;

beforeAll(async () => {
  channel = await startBotChannel({ requireAuth: false });
  firebreak = await startFirebreak({ EFFECT_RETRY_BASE_MS: '50', EFFECT_RETRY_CAP_MS: '500' });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
});

/** The emulator's state page. Its certificate was made inside the server process, so the test does not verify it. */
async function emulatorState(): Promise<GraphState> {
  const line = firebreak.logs.find((l) => l.includes('"local Graph emulator"'));
  if (!line) throw new Error('the server did not log its Graph emulator');
  const { state } = JSON.parse(line) as { state: string };
  return new Promise((resolve, reject) => {
    https
      .get(state, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

test('a declaration gets an emulated channel and bridge on its card and mails the emulated list', async () => {
  const activity = channelMessage('declare sev3 Search is slow', { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity)).status).toBe(200);
  const card = await eventually(() => channel.recorded.find((r) => r.conversationId === activity.conversation.id && r.activity.attachments), 'the card');

  const state = await eventually(async () => {
    const s = await emulatorState();
    return s.channels.length && s.meetings.length && s.mailbox.length ? s : undefined;
  }, 'channel, bridge and mail in the emulator', 15_000);
  expect(state.channels[0].displayName).toBe('inc-1-search-is-slow');
  expect(state.mailbox[0]).toMatchObject({ to: ['incidents@firebreak.local'], subject: 'INC-1: Search is slow' });
  expect(state.mailbox[0].body).toContain(state.meetings[0].joinWebUrl);

  await eventually(() => {
    const text = JSON.stringify(channel.current(card.conversationId, card.activityId) ?? {});
    return text.includes(state.channels[0].webUrl) && text.includes(state.meetings[0].joinWebUrl) ? true : undefined;
  }, 'the card showing both links');
  // The Agents Playground has no Teams channel to post into: the incident stays where it was declared.
  expect(channel.recorded.filter((r) => r.op === 'create')).toEqual([]);
}, 30_000);
