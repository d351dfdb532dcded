import { sendToAudiences } from '../../src/audiences/send';
import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { EXAMPLE_ORG_FILE, loadOrgFile } from '../../src/org/load';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import type { BotDeps } from '../../src/teams/deps';
import { AT, declareCommand, jo } from '../domain/fixtures';

/** Sending to audiences through the real app service and store (PGlite in memory): what is told where, and what is said instead. */
const org = loadOrgFile(EXAMPLE_ORG_FILE);
const audience = (id: string) => org.audiences.find((a) => a.id === id)!;
let store: Store;

beforeAll(async () => {
  store = await openStore('pglite:memory');
});
afterAll(() => store.close());

function deps(mail: boolean): BotDeps {
  return { incidents: createIncidents(store), store, log: createLogger('error', () => undefined), now: () => new Date(AT), newId: () => 'unused', mail, org };
}

async function declared(id: string) {
  const { number: _n, ...command } = declareCommand({ incidentId: id });
  const outcome = await createIncidents(store).declare(command);
  if (outcome.kind !== 'changed') throw new Error(outcome.kind);
  return outcome.incident;
}

test('without a mail sender an audience reached only by mail is not told, and the answer says why; its Teams channel still is', async () => {
  const incident = await declared('send-1');
  const result = await sendToAudiences(deps(false), incident, [{ audience: audience('leadership'), text: 'Rolled back.' }, { audience: audience('support'), text: 'Rolled back, tell customers.' }], jo, AT, 'k-1');
  expect(result).toMatchObject({
    sent: [
      'Sent to Front-line support.',
      'Managers and executives: not mailed to incident-leadership@example.com: no mail sender is configured (GRAPH_MAIL_SENDER, INCIDENT_MAIL_TO).',
      'Front-line support: not mailed to support-leads@example.com: no mail sender is configured (GRAPH_MAIL_SENDER, INCIDENT_MAIL_TO).',
    ],
  });
  const effects = (await store.effects({ pending: true })).filter((e) => e.incidentId === 'send-1');
  expect(effects.some((e) => e.kind === 'mail.send')).toBe(false);
  expect(effects.filter((e) => e.kind === 'message.post').map((e) => (e.payload as { conversation: { id: string } }).conversation.id)).toEqual(['19:support-frontline@thread.tacv2']);
});

test('the status page is not published from here: the answer points to publish; a re-delivery sends nothing twice', async () => {
  const incident = await declared('send-2');
  const picks = [{ audience: audience('customers'), text: 'We are looking into it.' }, { audience: audience('core'), text: 'Rolled back.' }];
  const first = await sendToAudiences(deps(true), incident, picks, jo, AT, 'k-2');
  expect(first).toMatchObject({ sent: ['Sent to Core on-call team.', expect.stringMatching(/^External customers: publish it on the status page with "publish /)] });
  expect(await sendToAudiences(deps(true), incident, picks, jo, AT, 'k-2')).toEqual({ duplicate: true });
  const events = (await store.events('send-2')).map((e) => e.event.type);
  expect(events.filter((t) => t === 'AudienceUpdateSent')).toHaveLength(1);
});
