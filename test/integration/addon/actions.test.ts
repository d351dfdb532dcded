import { sidebarRequest } from '../../../src/sandbox/google-addon/request';
import { ALICE, DOC_ID, cardOf, docIncident, notificationOf, startHarness, type Harness } from './setup';

/**
 * Sidebar actions are the domain's commands, attributed to the Google user: to the Teams person the incident knows
 * by that email, else to `google:<email>`. Refusals come back as a notification on a fresh card.
 */
let h: Harness;
const ID = 'inc-act';
const alice = { email: 'alice@contoso.test' };
const dana = { email: 'dana@contoso.test' };

beforeAll(async () => {
  h = await startHarness();
  await docIncident(h, { id: ID });
});
afterAll(async () => h?.close());

const act = (user: { email: string; hd?: string | null }, action: string, formInputs: Record<string, string | string[]> = {}) =>
  h.call({ user, doc: { id: DOC_ID }, parameters: { action, incidentId: ID }, formInputs });
const lastEvent = async () => (await h.store.events(ID)).at(-1)!.event;

test('changing severity runs ChangeSeverity as the Teams person with that email, and answers with the new card', async () => {
  const res = await act(alice, 'setSeverity', { severity: '1', phase: '1' });
  expect(res.problems).toEqual([]);
  expect(notificationOf(res.body)).toBe('Severity raised from 2 to 1 by Alice Adams. Teams is being updated.');
  expect(cardOf(res.body).header.subtitle).toBe('Severity 1 · Phase 1');
  expect(await lastEvent()).toMatchObject({ type: 'SeverityChanged', from: 2, to: 1, by: ALICE });
  // The same command as Teams, so the same effects: every card copy refreshed, a follow-up in every place.
  const effects = (await h.store.effects({ incidentId: ID })).map((e) => e.kind);
  expect(effects).toEqual(expect.arrayContaining(['card.refresh', 'message.post']));
});

test('changing phase, adding a destructive step, posting an update; someone the incident does not know acts as themselves', async () => {
  expect(notificationOf((await act(dana, 'setPhase', { phase: '2' })).body)).toBe('Phase moved from 1 to 2 by dana@contoso.test. Teams is being updated.');
  expect(await lastEvent()).toMatchObject({ type: 'PhaseChanged', to: 2, by: { id: 'google:dana@contoso.test', name: 'dana@contoso.test', email: 'dana@contoso.test' } });

  const entry = await act(dana, 'addEntry', { entry: 'Failing over the primary DB to eu-west', destructive: 'true' });
  expect(notificationOf(entry.body)).toBe('Added to the timeline.');
  expect(await lastEvent()).toMatchObject({ type: 'NoteAdded', kind: 'action', text: 'Failing over the primary DB to eu-west' });
  expect(JSON.stringify(cardOf(entry.body).sections[2])).toContain('dana@contoso.test: ACTION (announced before doing it): Failing over the primary DB to eu-west');

  const update = await act(alice, 'postUpdate', { update: 'Checkout is recovering; some card payments may still fail.' });
  expect(notificationOf(update.body)).toMatch(/^Update posted to every place that follows the incident\. Next update by \d\d:\d\d UTC\.$/);
  expect(await lastEvent()).toMatchObject({ type: 'StakeholderUpdatePosted', by: ALICE });
});

test.each([
  ['an empty entry', 'addEntry', {}, 'A note needs some text.'],
  ['no severity chosen', 'setSeverity', {}, 'Severity must be 1-4 (1 is the most severe).'],
  ['the severity it already has', 'setSeverity', { severity: '1' }, 'Nothing to change: it is already so.'],
  ['a phase out of range', 'setPhase', { phase: '7' }, 'Phase must be 0-3.'],
])('the domain answers %s in plain words', async (_what, action, inputs, text) => {
  const before = (await h.store.load(ID))!.version;
  const res = await act(alice, action, inputs);
  expect(res.problems).toEqual([]);
  expect(notificationOf(res.body)).toBe(text);
  expect((await h.store.load(ID))!.version).toBe(before);
});

test('a person outside the allowed domains, or a personal account, reads but is told why they cannot change', async () => {
  const before = (await h.store.load(ID))!.version;
  for (const user of [{ email: 'vendor@partner.example' }, { email: 'alice@contoso.test', hd: null }]) {
    const res = await act(user, 'setSeverity', { severity: '2' });
    expect(res.problems).toEqual([]);
    expect(notificationOf(res.body)).toMatch(/^Only people signed in with a Google Workspace account of contoso\.test can change incidents here; you are signed in as /);
    expect(cardOf(res.body).header.title).toBe('INC-1: Checkout API returning 500s');
  }
  expect((await h.store.load(ID))!.version).toBe(before);
});

test('a card of another incident, used in this doc, changes nothing', async () => {
  await docIncident(h, { id: 'inc-other', docId: 'doc-of-the-other-one', title: 'Search is slow' });
  const res = await h.call({ user: alice, doc: { id: DOC_ID }, parameters: { action: 'setSeverity', incidentId: 'inc-other' }, formInputs: { severity: '1' } });
  expect(notificationOf(res.body)).toBe("That card was for INC-2, which is not this doc's incident; nothing was changed.");
  expect(cardOf(res.body).header.title).toBe('INC-1: Checkout API returning 500s');
  expect((await h.store.load('inc-other'))!.severity).toBe(2);
});

test('the same request delivered twice adds one entry', async () => {
  const { url, init } = sidebarRequest(h.issuer, { endpoint: h.endpoint, user: alice, doc: { id: DOC_ID }, parameters: { action: 'addEntry', incidentId: ID }, formInputs: { entry: 'db-2 lag back to 0 s' } });
  const first = await (await fetch(url, init)).json();
  const again = await (await fetch(url, init)).json();
  expect(notificationOf(first)).toBe('Added to the timeline.');
  expect(notificationOf(again)).toBe('Already done.');
  const entries = (await h.store.events(ID)).filter((e) => e.event.type === 'NoteAdded' && e.event.text === 'db-2 lag back to 0 s');
  expect(entries).toHaveLength(1);
});

test("a double click on one card's button counts once, though each request carries fresh tokens", async () => {
  const shown = cardOf((await act(alice, 'addEntry', { entry: 'warming the cache' })).body);
  const nonce = JSON.stringify(shown).match(/"key":"nonce","value":"([^"]+)"/)?.[1];
  expect(nonce).toBeDefined();
  const press = () => h.call({ user: alice, doc: { id: DOC_ID }, parameters: { action: 'addEntry', incidentId: ID, nonce: nonce! }, formInputs: { entry: 'cache warm' } });
  const [first, second] = [await press(), await press()];
  expect([notificationOf(first.body), notificationOf(second.body)]).toEqual(['Added to the timeline.', 'Already done.']);
  // The answer is a new card whose buttons carry a new nonce: the next press is a new request.
  expect(JSON.stringify(cardOf(first.body))).not.toContain(nonce!);
  const third = await h.call({ user: alice, doc: { id: DOC_ID }, parameters: { action: 'addEntry', incidentId: ID, nonce: 'another-card' }, formInputs: { entry: 'cache warm' } });
  expect(notificationOf(third.body)).toBe('Added to the timeline.');
  expect((await h.store.events(ID)).filter((e) => e.event.type === 'NoteAdded' && e.event.text === 'cache warm')).toHaveLength(2);
});

test('a resolved incident says so on changes, and still takes timeline entries', async () => {
  await h.incidents.run(ID, { type: 'ResolveIncident', summary: 'Rolled back.', at: h.now.toISOString(), by: ALICE });
  expect(notificationOf((await act(alice, 'setSeverity', { severity: '3' })).body)).toBe("Incident #1 is resolved; it can't be changed any more.");
  expect(notificationOf((await act(alice, 'postUpdate', { update: 'All good' })).body)).toBe("Incident #1 is resolved; it can't be changed any more.");
  expect(notificationOf((await act(alice, 'addEntry', { entry: 'Postmortem scheduled for Monday' })).body)).toBe('Added to the timeline.');
});
