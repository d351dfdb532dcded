import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { cardPost } from '../../src/workers/effects/card-post';
import { messagePost } from '../../src/workers/effects/message-post';
import { updateReminder } from '../../src/workers/effects/update-reminder';
import { createRunner } from '../../src/workers/runner';
import { declareCommand, jo } from '../domain/fixtures';
import { unauthenticatedOutbox } from '../harness/outbox';
import type { TeamsOutbox } from '../../src/teams/outbox';

/** The cadence over a simulated hour: the real outbox posts to a local Bot Connector; only the clock is ours. */
let store: Store;
let channel: BotChannel;
let clock: Date;
const now = () => clock;

beforeAll(async () => {
  store = await openStore('pglite:memory');
  channel = await startBotChannel({ requireAuth: false });
}, 60_000);
afterAll(async () => {
  await store.close();
  await channel.close();
});

function makeRunner(wrap: (teams: TeamsOutbox) => TeamsOutbox = (teams) => teams) {
  const incidents = createIncidents(store);
  const teams = wrap(unauthenticatedOutbox(now));
  const runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    handlers: {
      'card.post': cardPost({ store, incidents, teams, now }),
      'card.refresh': async () => undefined,
      'message.post': messagePost({ store, teams }),
      'reminder.update': updateReminder({ store, teams, now }),
    },
  });
  return { incidents, runner };
}

/** Declares through the app service (which numbers it) and returns the number given. */
async function declared(incidents: ReturnType<typeof makeRunner>['incidents'], command: ReturnType<typeof declareCommand>): Promise<number> {
  const { number: _unnumbered, ...declare } = command;
  const outcome = await incidents.declare(declare);
  if (outcome.kind !== 'changed') throw new Error(`declare: ${outcome.kind}`);
  return outcome.incident.number;
}

test('a reminder goes out when an update is due and none was posted; a posted update moves it', async () => {
  clock = new Date('2026-03-15T00:02:00.000Z');
  const { incidents, runner } = makeRunner();
  const origin = { id: '19:ops@thread.tacv2;messageid=1', serviceUrl: channel.serviceUrl };
  const number = await declared(incidents, declareCommand({ incidentId: 'cad-1', origin, at: clock.toISOString() }));
  await runner.drain();
  const reminders = () => channel.recorded.filter((r) => r.conversationId.startsWith('19:ops@') && /a stakeholder update is due now/.test(r.activity.text ?? ''));

  clock = new Date('2026-03-15T01:01:00.000Z'); // a minute before the severity-2 hour is up
  await runner.drain();
  expect(reminders()).toHaveLength(0);

  clock = new Date('2026-03-15T01:02:00.000Z');
  await runner.drain();
  expect(reminders().map((r) => r.activity.text)).toEqual([
    `**INC-${number}: a stakeholder update is due now**\n\nJo Park (incident commander): stakeholders were promised an update by now. "No news yet" is still an update.\n\nPost one with "update \\<text\\>" or the card's Update button; it will say when the next one comes.`,
  ]);

  await incidents.run('cad-1', { type: 'PostStakeholderUpdate', text: 'Still investigating', at: '2026-03-15T01:10:00.000Z', by: jo });
  clock = new Date('2026-03-15T02:09:00.000Z');
  await runner.drain();
  expect(reminders()).toHaveLength(1); // the next is due at 02:10
  clock = new Date('2026-03-15T02:10:00.000Z');
  await runner.drain();
  expect(reminders()).toHaveLength(2);
});

test('an overdue update is reminded again every quarter hour until one goes out or the incident is resolved', async () => {
  clock = new Date('2026-03-16T00:00:00.000Z');
  const { incidents, runner } = makeRunner();
  const origin = { id: '19:ops2@thread.tacv2;messageid=1', serviceUrl: channel.serviceUrl };
  const declare = declareCommand({ incidentId: 'cad-2', origin, at: clock.toISOString() });
  const number = await declared(incidents, declare);
  await runner.drain();
  const texts = () =>
    channel.recorded
      .filter((r) => r.conversationId.startsWith('19:ops2') && /stakeholder update is (due|overdue)/.test(r.activity.text ?? ''))
      .map((r) => r.activity.text!.split('\n')[0]);

  for (const at of ['01:00', '01:14', '01:15', '01:29', '01:30']) {
    clock = new Date(`2026-03-16T${at}:00.000Z`);
    await runner.drain();
  }
  expect(texts()).toEqual([
    `**INC-${number}: a stakeholder update is due now**`,
    `**INC-${number}: a stakeholder update is overdue by 15 min**`,
    `**INC-${number}: a stakeholder update is overdue by 30 min**`,
  ]);

  await incidents.run('cad-2', { type: 'ResolveIncident', at: '2026-03-16T01:31:00.000Z', by: declare.by });
  clock = new Date('2026-03-16T02:00:00.000Z');
  await runner.drain();
  expect(texts()).toHaveLength(3);
  expect((await store.effects({ incidentId: 'cad-2', pending: true })).filter((e) => e.kind === 'reminder.update')).toEqual([]);
});

test('a reminder whose post stalled past the next quarter hour is followed at once by the one now due (the cadence is kept from the due time)', async () => {
  clock = new Date('2026-03-17T00:00:00.000Z');
  let stallMinutes = 0;
  // The real outbox; the clock moves on while a reminder is being posted (a slow connector, a stepped clock).
  const { incidents, runner } = makeRunner((teams) => ({
    ...teams,
    async postMessage(conversation, message, signal) {
      const id = await teams.postMessage(conversation, message, signal);
      clock = new Date(clock.getTime() + stallMinutes * 60_000);
      stallMinutes = 0; // one stall
      return id;
    },
  }));
  const origin = { id: '19:ops3@thread.tacv2;messageid=1', serviceUrl: channel.serviceUrl };
  const number = await declared(incidents, declareCommand({ incidentId: 'cad-3', origin, at: clock.toISOString() }));
  await runner.drain();
  const texts = () =>
    channel.recorded
      .filter((r) => r.conversationId.startsWith('19:ops3') && /stakeholder update is (due|overdue)/.test(r.activity.text ?? ''))
      .map((r) => r.activity.text!.split('\n')[0]);

  clock = new Date('2026-03-17T01:00:00.000Z');
  stallMinutes = 16;
  await runner.drain();
  expect(clock.toISOString()).toBe('2026-03-17T01:16:00.000Z');
  await runner.drain();
  expect(texts()).toEqual([`**INC-${number}: a stakeholder update is due now**`, `**INC-${number}: a stakeholder update is overdue by 16 min**`]);
  // And the quarter hours stay where they were: 01:30, not 01:31.
  clock = new Date('2026-03-17T01:30:00.000Z');
  await runner.drain();
  expect(texts()).toHaveLength(3);
  await incidents.run('cad-3', { type: 'ResolveIncident', at: clock.toISOString(), by: jo });
});
