import { createLogger } from '../../src/log';
import { createReplyQueue } from '../../src/teams/replies';
import { eventually } from '../harness/firebreak';

const inbound = { id: 'a-1', serviceUrl: 'http://connector.test', conversation: { id: '19:ops@thread.tacv2;messageid=1' } } as never;

test('a later reply that never comes (a Docs read hanging) is answered in plain words after the timeout, and the replies queued after it still go out, in order', async () => {
  const sent: string[] = [];
  const queue = createReplyQueue({
    teams: { reply: async (_conversation, _replyTo, activity) => void sent.push(activity.text!) },
    runNow: async () => undefined,
    log: createLogger('error', () => undefined),
    timeoutMs: 100,
  });
  queue.send(inbound, [{ later: () => new Promise(() => undefined) }, { activity: { type: 'message', text: 'Status: INC-1 is active.' } }]);
  await eventually(() => (sent.length === 2 ? true : undefined), 'both replies', 5_000);
  expect(sent).toEqual(['That took too long to look up (Google did not answer in time). Ask again in a minute.', 'Status: INC-1 is active.']);
});
