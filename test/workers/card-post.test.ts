import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { cardPost } from '../../src/workers/effects/card-post';
import { createRunner } from '../../src/workers/runner';
import { declareCommand } from '../domain/fixtures';
import { unauthenticatedOutbox } from '../harness/outbox';

/** The real outbox posting to a local Bot Connector; the store's first recording of the card fails (a database blip). */
let store: Store;
let channel: BotChannel;
const now = () => new Date('2026-03-15T00:02:00.000Z');

beforeAll(async () => {
  store = await openStore('pglite:memory');
  channel = await startBotChannel({ requireAuth: false });
}, 60_000);
afterAll(async () => {
  await store.close();
  await channel.close();
});

test('a card whose recording failed is recorded on the retry, not posted a second time', async () => {
  let failCommits = 0;
  const flaky: Store = Object.create(store, {
    commit: {
      value: async (c: Parameters<Store['commit']>[0]) => {
        if (c.events.some((e) => e.type === 'CardPosted') && failCommits-- > 0) throw new Error('connection terminated unexpectedly');
        return store.commit(c);
      },
    },
  });
  const incidents = createIncidents(flaky);
  const teams = unauthenticatedOutbox(now);
  const runner = createRunner({
    store: flaky,
    log: createLogger('error', () => undefined),
    now,
    backoffMs: () => 0,
    handlers: { 'card.post': cardPost({ store: flaky, incidents, teams, now }) },
  });
  const origin = { id: '19:ops@thread.tacv2;messageid=1', serviceUrl: channel.serviceUrl };
  const { number, ...declare } = declareCommand({ incidentId: 'cp-1', origin, at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  failCommits = 1;
  await runner.drain();

  const cards = channel.recorded.filter((r) => r.activity.attachments?.length);
  expect(cards).toHaveLength(1);
  expect(failCommits).toBe(-1); // the recording failed once and then went through
  const incident = await store.load('cp-1');
  expect(incident?.cards).toEqual([{ conversationId: origin.id, postedIn: expect.any(String), activityId: cards[0].activityId }]);
});
