import { createIncidents, type Incidents } from '../../src/app/incidents';
import type { Command, DeclareIncident } from '../../src/domain/decide';
import type { ResourceKind } from '../../src/domain/incident';
import { createLogger } from '../../src/log';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { CARD_PACE_MS, CONFIRM_HOLD_MS, createCardPace, type CardPace } from '../../src/teams/card-pace';
import { cardPost } from '../../src/workers/effects/card-post';
import { cardRefresh } from '../../src/workers/effects/card-refresh';
import { createRunner, type Runner } from '../../src/workers/runner';
import { onePerIncident } from '../../src/workers/serial';
import { declareCommand, jo, sam } from '../domain/fixtures';
import { unauthenticatedOutbox } from '../harness/outbox';

type Change = Exclude<Command, DeclareIncident>;

/**
 * Issue 14 item 12: a copy of the card is rewritten at most once a second while the incident assembles, the
 * rewrite that shows it assembled is not held back, and the copy a person just pressed a button on keeps its answer
 * for a moment. The real store, runner and outbox, and a local Bot Connector that records every PUT; the clock is
 * the test's, moved by hand, so what is due when is exact.
 */
let store: Store;
let channel: BotChannel;
let incidents: Incidents;
let runner: Runner;
let pace: CardPace;
let clock = Date.parse('2026-03-15T00:02:00.000Z');
const now = () => new Date(clock);
const idle = async () => undefined;

beforeAll(async () => {
  store = await openStore('pglite:memory');
  channel = await startBotChannel({ requireAuth: false });
  incidents = createIncidents(store);
  const teams = unauthenticatedOutbox(now);
  pace = createCardPace();
  runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    backoffMs: () => 0,
    handlers: {
      'card.post': cardPost({ store, incidents, teams, now, pace }),
      'card.refresh': onePerIncident(cardRefresh({ store, teams, pace, now })),
      // The resources are recorded by the test, at the times it chooses.
      'channel.create': idle,
      'bridge.create': idle,
      'doc.create': idle,
      'doc.fill': idle,
      'timeline.sync': idle,
      'message.post': idle,
      'reminder.update': idle,
    },
  });
}, 60_000);
afterAll(async () => {
  await store.close();
  await channel.close();
});

/** Moves the clock to `ms` after the declaration and runs whatever is due then. */
async function at(ms: number, t0: number): Promise<void> {
  clock = t0 + ms;
  await runner.drain();
}

/** Declares with a channel, a bridge and a doc to come, and the card also in an announcements channel. */
async function declare(id: string) {
  const t0 = clock;
  const origin = { id: `19:ops@thread.tacv2;messageid=${id}`, serviceUrl: channel.serviceUrl };
  const announce = { id: `19:announce-${id}@thread.tacv2`, serviceUrl: channel.serviceUrl, isChannel: true };
  const { number, ...command } = declareCommand({ incidentId: id, origin, announceIn: [announce], at: now().toISOString(), provisioning: ['channel', 'bridge', 'doc'] });
  void number;
  await incidents.declare(command);
  await at(0, t0);
  const post = channel.recorded.find((r) => r.conversationId === origin.id && r.op === 'send');
  const other = channel.recorded.find((r) => r.conversationId.startsWith(`${announce.id};messageid=`) && r.op === 'create');
  expect(post).toBeDefined();
  expect(other).toBeDefined();
  const puts = (activityId: string) => () => channel.recorded.filter((r) => r.op === 'update' && r.activityId === activityId).map((r) => r.activity.attachments[0].content);
  return { t0, origin, cardPuts: puts(post!.activityId), announcementPuts: puts(other!.activityId) };
}

const ready = (resource: ResourceKind, at: number): Change => ({ type: 'RecordResourceReady', resource, url: `https://example.test/${resource}`, label: `the ${resource}`, at: new Date(at).toISOString(), by: jo });
const text = (card: unknown) => JSON.stringify(card);
/** Runs a command at `ms` after the declaration, then whatever is due then. */
async function run(id: string, t0: number, ms: number, command: (at: number) => Change): Promise<void> {
  clock = t0 + ms;
  await incidents.run(id, command(t0 + ms));
  await runner.drain();
}

test('channel, bridge and doc arriving within moments of each other rewrite each copy once, with all three', async () => {
  const { t0, cardPuts, announcementPuts } = await declare('pace-1');
  await run('pace-1', t0, 300, (t) => ready('channel', t));
  await run('pace-1', t0, 500, (t) => ready('bridge', t));
  expect(cardPuts()).toHaveLength(0); // within a second of the post: waits, the doc still on its way
  await run('pace-1', t0, 800, (t) => ready('doc', t)); // the last one: written at once, no waiting out the second
  for (const puts of [cardPuts, announcementPuts]) {
    expect(puts()).toHaveLength(1);
    for (const resource of ['channel', 'bridge', 'doc']) expect(text(puts()[0])).toContain(`https://example.test/${resource}`);
  }
  await at(10_000, t0);
  expect(cardPuts()).toHaveLength(1); // the rewrites that waited find the copy current: nothing left to write
  expect(announcementPuts()).toHaveLength(1);
});

test('a slow assembly: at most one rewrite a second, each with everything that came, the assembled card at once', async () => {
  const { t0, cardPuts } = await declare('pace-2');
  await run('pace-2', t0, 300, (t) => ready('channel', t));
  await at(CARD_PACE_MS - 1, t0);
  expect(cardPuts()).toHaveLength(0);
  await at(CARD_PACE_MS, t0); // a second after the post
  expect(cardPuts()).toHaveLength(1);
  expect(text(cardPuts()[0])).toContain('https://example.test/channel');
  expect(text(cardPuts()[0])).toContain('assembling');
  await run('pace-2', t0, 1_400, (t) => ready('bridge', t));
  await at(2 * CARD_PACE_MS - 1, t0);
  expect(cardPuts()).toHaveLength(1);
  await at(2 * CARD_PACE_MS, t0);
  expect(cardPuts()).toHaveLength(2);
  expect(text(cardPuts()[1])).toContain('https://example.test/bridge');
  await run('pace-2', t0, 2_300, (t) => ready('doc', t));
  expect(cardPuts()).toHaveLength(3);
  expect(text(cardPuts()[2])).toContain('https://example.test/doc');
  expect(text(cardPuts()[2])).not.toContain('assembling');
  await at(10_000, t0);
  expect(cardPuts()).toHaveLength(3);
});

test("a person's change while the card waits is shown with the rewrite that waited, with everything that arrived", async () => {
  const { t0, cardPuts } = await declare('pace-3');
  await run('pace-3', t0, 300, (t) => ready('channel', t));
  await run('pace-3', t0, 400, (t) => ({ type: 'ChangeSeverity', severity: 1, at: new Date(t).toISOString(), by: sam }));
  expect(cardPuts()).toHaveLength(0);
  await at(CARD_PACE_MS, t0);
  expect(cardPuts()).toHaveLength(1);
  expect(text(cardPuts()[0])).toContain('Severity 1');
  expect(text(cardPuts()[0])).toContain('https://example.test/channel');
  await at(10_000, t0);
  expect(cardPuts()).toHaveLength(1);
});

test('once assembled, every change rewrites the card at once', async () => {
  const { t0, cardPuts } = await declare('pace-4');
  for (const [i, resource] of (['channel', 'bridge', 'doc'] as const).entries()) await run('pace-4', t0, 100 * (i + 1), (t) => ready(resource, t));
  expect(cardPuts()).toHaveLength(1);
  await run('pace-4', t0, 5_000, (t) => ({ type: 'ChangeSeverity', severity: 1, at: new Date(t).toISOString(), by: sam }));
  await run('pace-4', t0, 5_100, (t) => ({ type: 'ChangePhase', phase: 2, at: new Date(t).toISOString(), by: sam }));
  expect(cardPuts()).toHaveLength(3);
  expect(text(cardPuts()[2])).toContain('2: Full resolution');
});

test('the copy whose button was pressed keeps its answer for a moment; the other copies change at once', async () => {
  const { t0, origin, cardPuts, announcementPuts } = await declare('pace-5');
  for (const [i, resource] of (['channel', 'bridge', 'doc'] as const).entries()) await run('pace-5', t0, 100 * (i + 1), (t) => ready(resource, t));
  expect(cardPuts()).toHaveLength(1);
  clock = t0 + 5_000;
  pace.answered({ conversationId: origin.id }, now()); // what card-actions.ts notes when a button in this conversation is pressed (Teams naming no message)
  await run('pace-5', t0, 5_000, (t) => ({ type: 'ChangeSeverity', severity: 1, at: new Date(t).toISOString(), by: sam }));
  expect(announcementPuts()).toHaveLength(2);
  expect(text(announcementPuts()[1])).toContain('Severity 1');
  await at(5_000 + CONFIRM_HOLD_MS - 1, t0);
  expect(cardPuts()).toHaveLength(1); // the person reads "Done. Everyone sees the change."
  await at(5_000 + CONFIRM_HOLD_MS, t0);
  expect(cardPuts()).toHaveLength(2); // then everyone else in the conversation sees it too
  expect(text(cardPuts()[1])).toContain('Severity 1');
  await at(20_000, t0);
  expect(cardPuts()).toHaveLength(2);
});
