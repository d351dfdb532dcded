import { randomUUID } from 'node:crypto';
import { createIncidents, type Incidents } from '../../../src/app/incidents';
import type { DeclareIncident } from '../../../src/domain/decide';
import type { Incident, Person } from '../../../src/domain/incident';
import type { PostMessage } from '../../../src/domain/react';
import { createLogger } from '../../../src/log';
import type { GraphEmulator } from '../../../src/sandbox/graph/server';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { bridgeCreate } from '../../../src/workers/effects/bridge-create';
import { channelCreate } from '../../../src/workers/effects/channel-create';
import { mailSend } from '../../../src/workers/effects/mail-send';
import { reportGiveUp } from '../../../src/workers/give-up';
import { createRunner, type Runner } from '../../../src/workers/runner';
import { clockFrom } from '../../harness/clock';
import { eventually } from '../../harness/firebreak';
import { ALICE_OID, BOB_OID, CHANNELS_PATH, graphCalls, graphFor, ORGANIZER, SENDER, startEmulator, TEAM } from './setup';

/**
 * The three Graph effects as the runner carries them out: real store (PGlite), real adapter over HTTPS,
 * the emulator behind it. Teams is out of the picture here: card and message effects are only recorded.
 */
const ALICE: Person = { id: '29:alice', name: 'Alice Adams', aadObjectId: ALICE_OID };
const BOB: Person = { id: '29:bob', name: 'Bob Brown', aadObjectId: BOB_OID };
const DECLARED_AT = '2026-03-14T23:40:00.000Z';
const ORIGIN = { id: '19:ops@thread.tacv2', serviceUrl: 'https://smba.example/emea/', tenantId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', isChannel: true };

interface World {
  emulator: GraphEmulator;
  store: Store;
  incidents: Incidents;
  runner: Runner;
  posted: PostMessage['payload'][];
  now: () => Date;
  declare(over?: Partial<DeclareIncident>): Promise<Incident>;
  settled(incident: Incident): Promise<Incident>;
}

// One store for the file (PGlite takes seconds to start under Jest); each test has its own incidents.
let store: Store;
let world: World;
beforeAll(async () => {
  store = await openStore('pglite:memory');
});
afterAll(() => store.close());
afterEach(async () => {
  await world?.runner.stop();
  await world?.emulator.close();
  // Nothing a test left behind may run in the next one, against another emulator.
  for (const effect of await store.claimEffects('2100-01-01T00:00:00.000Z', 1000, 1)) await store.failEffect(effect, 'test over', new Date().toISOString());
});

async function start(opts: { roles?: string[]; addPlace?: boolean; mailWaitMs?: number; giveUpAfterMs?: number; crashBeforeRecordingChannel?: boolean } = {}): Promise<World> {
  const emulator = await startEmulator({ roles: opts.roles });
  // 23:40 UTC: an hour's cadence puts the next update on the next day, which the texts must say.
  const now = clockFrom(DECLARED_AT);
  let runner: Runner | undefined;
  const incidents = createIncidents(store, () => runner?.wake());
  let crash = opts.crashBeforeRecordingChannel ?? false;
  // As if the process died after Graph made the channel and before the fact was committed.
  const channelIncidents: Incidents = {
    ...incidents,
    run: async (id, command, runOpts) => {
      if (crash && command.type === 'RecordResourceReady' && command.resource === 'channel') {
        crash = false;
        throw new Error('process died before recording the channel');
      }
      return incidents.run(id, command, runOpts);
    },
  };
  const graph = graphFor(emulator);
  const posted: PostMessage['payload'][] = [];
  runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    pollMs: 20,
    backoffMs: () => 30,
    giveUpAfterMs: opts.giveUpAfterMs,
    onGiveUp: reportGiveUp(incidents, now),
    handlers: {
      'card.post': async () => undefined,
      'card.refresh': async () => undefined,
      'message.post': async (effect) => void posted.push(effect.payload as PostMessage['payload']),
      'channel.create': channelCreate({ store, incidents: channelIncidents, graph, teamId: TEAM, addPlace: opts.addPlace ?? true, now }),
      'bridge.create': bridgeCreate({ store, incidents, graph, organizerId: ORGANIZER, fallback: 'none', now }),
      'mail.send': mailSend({ store, graph, sender: SENDER, to: ['incidents@contoso.test'], waitForLinksMs: opts.mailWaitMs ?? 10_000, waitPollMs: 50, now }),
    },
  });
  runner.start();
  return {
    emulator,
    store,
    incidents,
    runner,
    posted,
    now,
    async declare(over = {}) {
      const outcome = await incidents.declare({
        type: 'DeclareIncident',
        incidentId: randomUUID(),
        title: 'Checkout API returning 500s',
        description: 'p99 errors on /checkout since 10:02 UTC.',
        severity: 2,
        commander: BOB,
        origin: ORIGIN,
        provisioning: ['channel', 'bridge'],
        mail: true,
        at: now().toISOString(),
        by: ALICE,
        ...over,
      });
      if (outcome.kind !== 'changed') throw new Error(`declare: ${outcome.kind}`);
      return outcome.incident;
    },
    /** The incident once every effect it caused has been carried out or given up. */
    async settled(incident) {
      // Reminders wait for the update cadence (an hour away); everything else must have run.
      const due = async () => (await store.effects({ incidentId: incident.id, pending: true })).filter((e) => !['reminder.update', 'reminder.handoff', 'escalate.overdue'].includes(e.kind)); // timers wait
      await eventually(async () => ((await due()).length === 0 ? true : undefined), 'all effects settled', 15_000);
      return (await store.load(incident.id))!;
    },
  };
}

test('a declaration gets its channel, its bridge, the channel as a place, and one mail with both links', async () => {
  world = await start();
  const incident = await world.settled(await world.declare());

  const [channel] = world.emulator.channels(TEAM);
  const [meeting] = world.emulator.meetings();
  expect(incident.resources.channel).toEqual({ status: 'ready', url: channel.webUrl, label: `#inc-${incident.number}-checkout-api-returning-500s` });
  expect(incident.resources.bridge).toEqual({ status: 'ready', url: meeting.joinWebUrl, label: 'Meeting bridge' });
  expect(meeting).toMatchObject({ externalId: incident.id, subject: `INC-${incident.number}: Checkout API returning 500s` });
  expect(incident.places).toContainEqual({ id: channel.id, serviceUrl: ORIGIN.serviceUrl, tenantId: ORIGIN.tenantId, isChannel: true, channelId: channel.id });
  expect((await world.store.effects({ incidentId: incident.id })).map((e) => e.key)).toContain(`card.post:${incident.id}:${channel.id}`);

  const mails = world.emulator.mailbox();
  expect(mails).toHaveLength(1);
  expect(mails[0].subject).toBe(`INC-${incident.number}: Checkout API returning 500s`);
  expect(mails[0].body.split('\n\n')).toEqual([
    `Severity 2, phase 1. Bob Brown is incident commander. Coordinating via #inc-${incident.number}-checkout-api-returning-500s (${channel.webUrl}) and Meeting bridge (${meeting.joinWebUrl}).`,
    'p99 errors on /checkout since 10:02 UTC.',
    'No business liaison yet (expected from severity 2 upward).',
    // Severity 2: an update every hour, so the next is due after midnight, on another day than the declaration.
    'Next update by 2026-03-15 00:40 UTC.',
  ]);
  expect(mails[0].to).toEqual(['incidents@contoso.test']);
});

test('a crash between "channel created" and "result recorded": the retry reuses the channel', async () => {
  world = await start({ crashBeforeRecordingChannel: true });
  const incident = await world.settled(await world.declare());

  expect(world.emulator.channels()).toHaveLength(1);
  expect(graphCalls(world.emulator).filter((c) => c === `POST ${CHANNELS_PATH} 201`)).toHaveLength(1);
  expect(incident.resources.channel).toMatchObject({ status: 'ready', url: world.emulator.channels()[0].webUrl });
  const effect = (await world.store.effects({ incidentId: incident.id })).find((e) => e.kind === 'channel.create')!;
  expect(effect).toMatchObject({ outcome: 'done', attempts: 2, lastError: 'process died before recording the channel' });
});

test('a private incident: private channel owned by commander and declarer; the mail says only who leads', async () => {
  world = await start();
  const incident = await world.settled(await world.declare({ private: true, title: 'Suspected credential leak' }));

  const [channel] = world.emulator.channels();
  expect(channel.membershipType).toBe('private');
  expect(channel.members.map((m) => m.userId).sort()).toEqual([ALICE_OID, BOB_OID].sort());
  expect(incident.resources.channel?.status).toBe('ready');
  const [mail] = world.emulator.mailbox();
  expect(mail.subject).toBe(`INC-${incident.number}: private incident declared`);
  expect(mail.body).toMatch(/^Severity 2, phase 1\. Bob Brown is incident commander\.\n\nDetails are shared with the people working on it\.\n\nNext update by 2026-03-15 00:40 UTC\.$/);
  expect(`${mail.subject} ${mail.body}`).not.toMatch(/credential|teams\.microsoft\.com/);
});

test('a missing permission is not retried: the card and the conversation name it, the rest goes on', async () => {
  world = await start({ roles: ['Channel.ReadBasic.All', 'OnlineMeetings.ReadWrite.All', 'Mail.Send'] });
  const incident = await world.settled(await world.declare());

  expect(incident.resources.channel).toEqual({
    status: 'failed',
    detail: 'Microsoft Graph refused to create the incident channel (HTTP 403 Forbidden): the app needs the application permission Channel.Create (or the resource-specific Channel.Create.Group) with admin consent.',
  });
  expect(incident.resources.bridge?.status).toBe('ready');
  const effect = (await world.store.effects({ incidentId: incident.id })).find((e) => e.kind === 'channel.create')!;
  expect(effect).toMatchObject({ outcome: 'failed', attempts: 1 });
  const said = world.posted.find((p) => p.conversation.id === ORIGIN.id);
  expect(said?.message.lines[0]).toMatch(/^Firebreak gave up creating the channel: .*Channel\.Create/);
  // The mail went once the channel was known to have failed, with the bridge it has.
  expect(world.emulator.mailbox()[0].body).toMatch(/^Severity 2, phase 1\. Bob Brown is incident commander\. Coordinating via Meeting bridge \(https:/);
});

test('while Graph keeps failing the card says the channel is retrying; it is made when Graph is back', async () => {
  world = await start();
  world.emulator.fault({ match: /channels$/, status: 500 });
  const declared = await world.declare();
  const retrying = await eventually(async () => {
    const now = await world.store.load(declared.id);
    return now?.resources.channel?.status === 'retrying' ? now.resources.channel : undefined;
  }, 'channel retrying');
  expect(retrying.detail).toBe('Microsoft Graph is unavailable: HTTP 500 InternalServerError');

  world.emulator.fault(undefined);
  const incident = await world.settled(declared);
  expect(incident.resources.channel?.status).toBe('ready');
  expect(world.emulator.channels()).toHaveLength(1);
});

test('given up after the configured time, the card and the conversation say so plainly', async () => {
  world = await start({ giveUpAfterMs: 500 });
  world.emulator.fault({ match: /onlineMeetings/, status: 503, retryAfter: 0 });
  const incident = await world.settled(await world.declare());
  expect(incident.resources.bridge).toEqual({ status: 'failed', detail: 'Microsoft Graph is unavailable: HTTP 503 ServiceUnavailable' });
  expect(incident.resources.channel?.status).toBe('ready');
  const said = world.posted.find((p) => p.conversation.id === ORIGIN.id && p.message.lines[0].includes('meeting bridge'));
  expect(said?.message.lines[0]).toBe('Firebreak gave up creating the meeting bridge: Microsoft Graph is unavailable: HTTP 503 ServiceUnavailable');
});

test('the declaration mail waits for the links only so long, then goes saying what is still assembling', async () => {
  // The wait must outlast making the bridge on a loaded machine (400 ms did not always), and the channel's retry (30 s
  // away) must outlast the wait: then the mail names the bridge and says the channel is still assembling.
  world = await start({ mailWaitMs: 4000 });
  world.emulator.fault({ match: /channels$/, status: 503, retryAfter: 30 });
  const declared = await world.declare();
  const [mail] = await eventually(() => (world.emulator.mailbox().length ? world.emulator.mailbox() : undefined), 'the mail');
  expect(mail.body.split('\n\n')[0]).toMatch(/Coordinating via Meeting bridge \(https:[^)]+\)\. Still assembling: channel\.$/);
  // The runner marks the effect done just after Graph's 202.
  const effect = await eventually(async () => (await world.store.effects({ incidentId: declared.id })).find((e) => e.kind === 'mail.send' && e.outcome === 'done'), 'the mail effect done');
  expect(effect.attempts).toBeGreaterThan(1);
});

test('in local mode the channel gets made and linked but does not become a place', async () => {
  world = await start({ addPlace: false });
  const incident = await world.settled(await world.declare());
  expect(incident.resources.channel?.status).toBe('ready');
  expect(incident.places.map((p) => p.id)).toEqual([ORIGIN.id]);
});

test('a severity change mails a follow-up carrying severity, phase, commander and the links to join', async () => {
  world = await start();
  const incident = await world.settled(await world.declare());
  await world.incidents.run(incident.id, { type: 'ChangeSeverity', severity: 1, at: world.now().toISOString(), by: ALICE });
  const followUp = await eventually(() => world.emulator.mailbox().find((m) => m.subject.startsWith('Re:')), 'the follow-up mail');
  expect(followUp.subject).toBe(`Re: INC-${incident.number}: Checkout API returning 500s`);
  const [channel] = world.emulator.channels(TEAM);
  const [meeting] = world.emulator.meetings().filter((m) => m.externalId === incident.id);
  expect(followUp.body.split('\n\n').slice(0, 2)).toEqual([
    'Severity raised from 2 to 1 by Alice Adams.',
    `Severity 1, phase 1. Bob Brown is incident commander. Coordinating via #inc-${incident.number}-checkout-api-returning-500s (${channel.webUrl}) and Meeting bridge (${meeting.joinWebUrl}).`,
  ]);
  expect(followUp.headers['x-firebreak-key']).toMatch(/^mail\.send:/);
});
