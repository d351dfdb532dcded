import { createIncidents } from '../../src/app/incidents';
import { fileOnCallSource } from '../../src/oncall/file-source';
import type { OrgFile } from '../../src/org/schema';
import type { Service } from '../../src/org/services';
import { createPaging } from '../../src/paging/pages';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';

/** The page's incident side, on the real store: an acknowledgement in a private incident adds the person to its channel. */
const MEGAN = { id: 'meganb', name: 'Megan Bowen', email: 'meganb@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000021' };
const payments: Service = { name: 'payments', aliases: [], dependsOn: [], statusPage: 'ask', experts: { kind: 'fixed', people: ['meganb'] } };
const org = { people: [MEGAN], services: [payments] } as unknown as OrgFile;
const ALICE = { id: '29:alice', name: 'Alice Adams' };
const SYSTEM = { id: 'firebreak', name: 'Firebreak' };
const AT = '2026-03-02T10:00:00.000Z';

let store: Store;
beforeAll(async () => {
  store = await openStore('pglite:memory');
}, 60_000);
afterAll(() => store?.close());

test('acknowledged in a private incident: SME, told, added to its channel; the steps are on its timeline', async () => {
  const incidents = createIncidents(store);
  await incidents.declare({ type: 'DeclareIncident', incidentId: 'i1', title: 'Payments down', private: true, origin: { id: 'c1', serviceUrl: 'https://smba.example/' }, provisioning: ['channel'], at: AT, by: ALICE });
  await incidents.run('i1', { type: 'RecordResourceReady', resource: 'channel', url: 'https://teams.example/l/channel/inc-1', label: 'inc-1', at: AT, by: SYSTEM });
  let n = 0;
  const paging = createPaging({ store, experts: { org, source: fileOnCallSource(org) }, now: () => new Date(AT), newId: () => `p${++n}`, wake: () => undefined });
  const paged = await paging.request({ service: payments, reason: 'card declines', by: ALICE, incidentId: 'i1' });
  expect(paged.kind).toBe('paged');
  const megan = { id: '29:megan', name: 'Megan Bowen', aadObjectId: MEGAN.aadObjectId };
  expect((await paging.answer({ pageId: 'p1', step: 0, personId: 'meganb', answer: 'ack', by: megan })).kind).toBe('paged');

  const incident = await store.load('i1');
  expect(incident!.roles.sme).toEqual([{ ...megan, email: MEGAN.email }]);
  const effects = await store.effects({ incidentId: 'i1' });
  expect(effects.find((e) => e.kind === 'channel.join')).toMatchObject({ key: 'channel.join:i1:29:megan', payload: { person: { aadObjectId: MEGAN.aadObjectId } } });
  expect(effects.some((e) => e.kind === 'message.post' && JSON.stringify(e.payload).includes('Megan Bowen is now a subject-matter expert'))).toBe(true);
  expect((await store.events('i1')).map((e) => e.event.type)).toEqual(['IncidentDeclared', 'ResourceReady', 'PagePaged', 'PageAcknowledged', 'RoleAssigned']);
  expect((await store.paging.events('p1')).map((e) => e.type)).toEqual(['PagePaged', 'PageAcknowledged']);
});
