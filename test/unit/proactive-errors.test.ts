import { ActivityHandler } from 'botbuilder';
import type { BotConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { createTeamsEndpoint } from '../../src/teams/endpoint';

/**
 * A proactive turn (continueConversationAsync: a member lookup, an outbox post) hands its error to its caller, which
 * decides: Teams answering "not a member" is an answer there, not a failure to log. A programming error is logged
 * with its stack (the caller's retry keeps only its message).
 */
const lines: string[] = [];
const { adapter } = createTeamsEndpoint({ appPassword: '' } as unknown as BotConfig, new ActivityHandler(), createLogger('debug', (l) => lines.push(l)));
const reference = { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: '19:ops@thread.tacv2', isGroup: true, conversationType: 'channel', name: '' } };
const proactive = (error: Error) =>
  adapter.continueConversationAsync('', reference as never, async () => {
    throw error;
  });

beforeEach(() => lines.splice(0));

test('Teams answering with an HTTP error (a member not in the team) goes to the caller, with no error logged', async () => {
  const notMember = Object.assign(new Error('The member is not in the conversation'), { name: 'RestError', statusCode: 404 });
  await expect(proactive(notMember)).rejects.toBe(notMember);
  expect(lines.filter((l) => /"level":"error"/.test(l))).toEqual([]);
});

test('a bug of ours in a proactive turn goes to the caller and is logged with its stack', async () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
  await expect(proactive(bug)).rejects.toBe(bug);
  const logged = lines.filter((l) => /"level":"error"/.test(l)).map((l) => JSON.parse(l));
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ msg: 'proactive turn failed' });
  expect(logged[0].error).toContain('TypeError: Cannot read properties of undefined');
  expect(logged[0].error).toContain('proactive-errors.test.ts');
});
