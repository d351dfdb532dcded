import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { cardPost } from '../../src/workers/effects/card-post';
import { messagePost } from '../../src/workers/effects/message-post';
import { reportGiveUp } from '../../src/workers/give-up';
import { createRunner } from '../../src/workers/runner';
import { declareCommand, sam } from '../domain/fixtures';
import { unauthenticatedOutbox } from '../harness/outbox';

/** Two Bot Connectors: the incident's conversation works, the announcements team refuses the bot (not installed). */
let store: Store;
let team: BotChannel;
let announcements: BotChannel;
const now = () => new Date('2026-03-15T00:02:00.000Z');

beforeAll(async () => {
  store = await openStore('pglite:memory');
  [team, announcements] = await Promise.all([startBotChannel({ requireAuth: false }), startBotChannel({ requireAuth: false })]);
}, 60_000);
afterAll(async () => {
  await store.close();
  await Promise.all([team.close(), announcements.close()]);
});

test('a follow-up the announcements channel refuses is reported in the incident conversation, not dropped', async () => {
  const incidents = createIncidents(store);
  const teams = unauthenticatedOutbox(now);
  const runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    handlers: { 'card.post': cardPost({ store, incidents, teams, now }), 'card.refresh': async () => undefined, 'message.post': messagePost({ store, teams }) },
    onGiveUp: reportGiveUp(incidents, now, { store, teams }),
  });
  const origin = { id: '19:ops@thread.tacv2;messageid=1', serviceUrl: team.serviceUrl };
  const announce = { id: '19:announce@thread.tacv2', serviceUrl: announcements.serviceUrl, isChannel: true };
  const { number, ...declare } = declareCommand({ incidentId: 'gu-1', origin, announceIn: [announce], at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await runner.drain();

  announcements.fault({ status: 403 });
  await incidents.run('gu-1', { type: 'ChangeSeverity', severity: 1, at: now().toISOString(), by: sam });
  await runner.drain();

  const told = team.recorded.map((r) => r.activity.text ?? '').filter((t) => t.includes('could not deliver'));
  expect(told).toHaveLength(1);
  expect(told[0]).toContain('**INC-1: Firebreak could not deliver a message to the announcements channel**');
  expect(team.recorded.some((r) => /Severity raised from 2 to 1/.test(r.activity.text ?? ''))).toBe(true);
});
