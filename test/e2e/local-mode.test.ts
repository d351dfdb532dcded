import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, post } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/** With no configuration at all: local mode, no credentials, the embedded store, a warning that auth is off. */
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

test('serves /healthz in local mode on the embedded store', async () => {
  const res = await fetch(`${firebreak.url}/healthz`);
  expect(await res.json()).toEqual({ ok: true, mode: 'local', store: 'pglite' });
  const warnings = firebreak.logs.filter((l) => l.includes('NOT authenticated'));
  expect(warnings).toHaveLength(1);
});

test('answers a declare activity (no token) with the incident card, posted without a token', async () => {
  const activity = channelMessage('declare sev1 Payments failing', { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity)).status).toBe(200);
  const card = await eventually(() => channel.recorded.find((r) => r.activity.attachments), 'the card');
  expect(card.activity.summary).toBe('INC-1: Payments failing. Severity 1, phase 1. Alice Adams is incident commander.');
  expect(adaptiveCardErrors(card.activity.attachments[0].content)).toEqual([]);
});
