import { createIncidents, type Incidents } from '../../../src/app/incidents';
import type { Person } from '../../../src/domain/incident';
import { createLogger } from '../../../src/log';
import { startBotChannel, type BotChannel } from '../../../src/sandbox/botframework';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { docCreate } from '../../../src/workers/effects/doc-create';
import { docFill } from '../../../src/workers/effects/doc-fill';
import { messagePost } from '../../../src/workers/effects/message-post';
import { reportGiveUp } from '../../../src/workers/give-up';
import { createRunner, type Runner } from '../../../src/workers/runner';
import { createDocPace } from '../../../src/workers/timeline/pace';
import { readable } from '../../harness/activities';
import { unauthenticatedOutbox } from '../../harness/outbox';
import { ALICE, clientsFor, googleWorld, incident, type GoogleWorld } from './setup';

/**
 * Nobody of a private incident is left unable to open its doc without anyone knowing: the doc effects, through the
 * real adapter against the Google sandbox (whose directory knows example.com's people only), tell the incident's
 * conversation once per person who could not be given the doc, and never the announcements channel.
 */
let world: GoogleWorld;
let store: Store;
let team: BotChannel;
let incidents: Incidents;
let runner: Runner;
const now = () => new Date();
const pace = createDocPace(0); // the doc's turn, shared by its writers as in main.ts
const idle = async () => undefined;

beforeAll(async () => {
  world = await googleWorld();
  store = await openStore('pglite:memory');
  team = await startBotChannel({ requireAuth: false });
  incidents = createIncidents(store);
  const teams = unauthenticatedOutbox(now);
  runner = createRunner({
    store,
    log: createLogger('error', () => undefined),
    now,
    handlers: {
      'doc.create': docCreate({ store, incidents, docs: world.docs, pace, now }),
      'doc.fill': docFill({ store, incidents, docs: world.docs, pace, now }),
      'message.post': messagePost({ store, teams }),
      'card.post': idle,
      'card.refresh': idle,
      'timeline.sync': idle,
      'reminder.update': idle,
    },
    onGiveUp: reportGiveUp(incidents, now, { store, teams }),
  });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await team?.close();
  await world?.close();
});

const kim: Person = { id: '29:kim', name: 'Kim Ode' }; // the Teams roster gave no email
const con: Person = { id: '29:con', name: 'Con Tractor', email: 'con@no-google.example' }; // no Google account
const bob: Person = { id: '29:bob', name: 'Bob Brown', email: 'bob@example.com' };

test("a role holder with no Google account and one with no email known are each told of once in the incident's conversation; a later fill does not repeat it", async () => {
  const origin = { id: '19:ops@thread.tacv2;messageid=7', serviceUrl: team.serviceUrl };
  const announce = { id: '19:announce@thread.tacv2', serviceUrl: team.serviceUrl, isChannel: true };
  const incidentId = 'share-1';
  await incidents.declare({ type: 'DeclareIncident', incidentId, title: 'Payroll data exposed', private: true, origin, announceIn: [announce], provisioning: ['doc'], at: now().toISOString(), by: ALICE });
  await incidents.run(incidentId, { type: 'AssignRole', role: 'sme', person: con, at: now().toISOString(), by: ALICE });
  await incidents.run(incidentId, { type: 'AssignRole', role: 'comms', person: kim, at: now().toISOString(), by: ALICE });
  await runner.drain(); // the doc is made, filled and shared once, with the roles given by then
  const doc = (await store.load(incidentId))!.resources.doc!;
  expect(doc.status).toBe('ready');

  // Another role later: the fill shares the doc with Bob, and says nothing again about Con or Kim.
  await incidents.run(incidentId, { type: 'AssignRole', role: 'customer', person: bob, at: now().toISOString(), by: ALICE });
  await runner.drain();
  const docId = doc.url!.split('/').pop()!;
  expect((await clientsFor(world.sandbox, world.privateKey, bob.email!).docs.documents.get({ documentId: docId })).status).toBe(200);

  const told = team.recorded.map((r) => ({ where: r.conversationId, text: readable(r.activity.text) ?? '' })).filter((m) => m.text.includes('cannot open the private incident doc'));
  expect(told.map((m) => m.where)).toEqual([origin.id, origin.id]);
  const about = (name: string) => told.filter((m) => m.text.includes(`${name} cannot open`)).map((m) => m.text);
  expect(about('Con Tractor')).toEqual([expect.stringContaining('no Google account for con@no-google.example')]);
  expect(about('Con Tractor')[0]).toContain("Share it with them by hand from the doc's Share button");
  expect(about('Kim Ode')).toEqual([expect.stringContaining('no email known')]);
  expect(about('Kim Ode')[0]).toContain('There is nothing Firebreak can do about it');
  expect(about('Bob Brown')).toEqual([]);
  expect(about('Alice Adams')).toEqual([]);
});

test('the adapter reports whom a private doc could not be shared with, once each whatever parts they hold; a public doc, nobody', async () => {
  const roles = [{ type: 'RoleAssigned', role: 'sme', person: con }, { type: 'RoleAssigned', role: 'business', person: con }, { type: 'RoleAssigned', role: 'comms', person: kim }];
  const secret = incident(70, roles as any, { private: true, commander: kim });
  const made = await world.docs.create(secret);
  expect(made.unshared).toEqual([{ person: kim, reason: 'no-email' }, { person: con, reason: 'no-google-account' }]);
  expect(await world.docs.fill(secret)).toEqual({ id: made.id, url: made.url, unshared: made.unshared });
  // Alice (the declarer) was shared with: she is not reported.
  expect((await clientsFor(world.sandbox, world.privateKey, ALICE.email!).docs.documents.get({ documentId: made.id })).status).toBe(200);
  const open = incident(71, roles as any);
  expect((await world.docs.create(open)).unshared).toEqual([]);
  expect((await world.docs.fill(open))!.unshared).toEqual([]);
});
