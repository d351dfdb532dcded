import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { post, TENANT } from '../harness/activities';
import { startEchoBot, type RunningEchoBot } from '../../bench/echo-bot-process';
import { irrelevantMessage } from '../../bench/throughput';

const appId = '7a1d0e1f-3333-4444-8555-988888888816';
let channel: BotChannel;
let echo: RunningEchoBot;

beforeAll(async () => {
  channel = await startBotChannel({ appId, appPassword: 'echo-secret', tenantId: TENANT });
  echo = await startEchoBot({ appId, appPassword: 'echo-secret', tenantId: TENANT, openIdMetadataUrl: channel.openIdMetadataUrl, loginUrl: channel.loginUrl });
}, 60_000);

afterAll(async () => {
  await echo?.stop();
  await channel?.close();
});

test('the echo bot answers a signed message with 200, its echo already posted through the connector', async () => {
  const message = irrelevantMessage(channel.serviceUrl);
  const res = await post(echo.url, message, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  // Read at once: the baseline replies before it answers, so the reply is recorded by the time the 200 arrives.
  const replies = channel.recorded.filter((r) => r.op === 'reply' && r.activity.replyToId === message.id);
  expect(replies.map((r) => [r.conversationId, r.activity.text])).toEqual([[message.conversation.id, message.text]]);
});

test('the echo bot refuses an unsigned message with 401 and echoes nothing', async () => {
  const message = irrelevantMessage(channel.serviceUrl);
  const res = await post(echo.url, message);
  expect(res.status).toBe(401);
  expect(channel.recorded.filter((r) => r.activity.replyToId === message.id)).toEqual([]);
});

test('a token signed with a key the channel does not publish gets no echo', async () => {
  const message = irrelevantMessage(channel.serviceUrl);
  const res = await post(echo.url, message, channel.signInbound({ serviceUrl: channel.serviceUrl, key: 'untrusted' }));
  expect(res.status).not.toBe(200);
  expect(channel.recorded.filter((r) => r.activity.replyToId === message.id)).toEqual([]);
});

test('stopping the echo bot ends its process', async () => {
  const other = await startEchoBot({ appId, appPassword: 'echo-secret', tenantId: TENANT, openIdMetadataUrl: channel.openIdMetadataUrl, loginUrl: channel.loginUrl });
  expect(() => process.kill(other.pid, 0)).not.toThrow();
  await other.stop();
  expect(() => process.kill(other.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
}, 60_000);
