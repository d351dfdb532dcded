import { sidebarRequest } from '../../../src/sandbox/google-addon/request';
import { ALICE, DOC_ID, cardOf, docIncident, notificationOf, startHarness, type Harness } from './setup';

/**
 * Sidebar actions are the domain's commands, attributed to the Google user: to the Teams person the incident knows
 * by that email, else to `google:<email>`. Refusals come back as a notification on a fresh card.
 */
let h: Harness;
const alice = { email: 'alice@contoso.test' };
const dana = { email: 'dana@contoso.test' };

beforeAll(async () => {
  // 23:45 UTC: an update now puts the next one after midnight.
  h = await startHarness({ now: new Date('2026-03-14T23:45:00.000Z') });
});
afterAll(async () => h?.close());

/** Each test's own incident in its own doc, so none depends on what another test did to it. */
let docs = 0;
async function incidentInDoc(opts: { severity?: number } = {}) {
  docs += 1;
  const id = `inc-act-${docs}`;
  const docId = `${DOC_ID}-${docs}`;
  const incident = await docIncident(h, { id, docId, ...opts });
  return {
    id,
    docId,
    number: incident.number,
    act: (user: { email: string; hd?: string | null }, action: string, formInputs: Record<string, string | string[]> = {}) =>
      h.call({ user, doc: { id: docId }, parameters: { action, incidentId: id }, formInputs }),
    lastEvent: async () => (await h.store.events(id)).at(-1)!.event,
  };
}

test('changing severity runs ChangeSeverity as the Teams person with that email, and answers with the new card', async () => {
  const { id, act, lastEvent } = await incidentInDoc();
  const res = await act(alice, 'setSeverity', { severity: '1', phase: '1' });
  expect(res.problems).toEqual([]);
  expect(notificationOf(res.body)).toBe('Severity raised from 2 to 1 by Alice Adams. Teams is being updated.');
  expect(cardOf(res.body).header.subtitle).toBe('Severity 1 · Phase 1');
  expect(await lastEvent()).toMatchObject({ type: 'SeverityChanged', from: 2, to: 1, by: ALICE });
  // The same command as Teams, so the same effects: every card copy refreshed, a follow-up in every place.
  const effects = (await h.store.effects({ incidentId: id })).map((e) => e.kind);
  expect(effects).toEqual(expect.arrayContaining(['card.refresh', 'message.post']));
});

test('changing phase, adding a destructive step, posting an update; someone the incident does not know acts as themselves', async () => {
  const { id, act, lastEvent } = await incidentInDoc({ severity: 1 });
  expect(notificationOf((await act(dana, 'setPhase', { phase: '2' })).body)).toBe('Phase moved from 1 to 2 by dana@contoso.test. Teams is being updated.');
  // Phase 2 also starts the team's break (issue 18): the phase change is the event before it.
  expect((await h.store.events(id)).at(-2)!.event).toMatchObject({ type: 'PhaseChanged', to: 2, by: { id: 'google:dana@contoso.test', name: 'dana@contoso.test', email: 'dana@contoso.test' } });
  expect(await lastEvent()).toMatchObject({ type: 'BreakStarted', reason: 'impact-ended' });

  const entry = await act(dana, 'addEntry', { entry: 'Failing over the primary DB to eu-west', destructive: 'true' });
  expect(notificationOf(entry.body)).toBe('Added to the timeline.');
  expect(await lastEvent()).toMatchObject({ type: 'NoteAdded', kind: 'action', text: 'Failing over the primary DB to eu-west' });
  expect(JSON.stringify(cardOf(entry.body).sections[2])).toContain('dana@contoso.test: ACTION (announced before doing it): Failing over the primary DB to eu-west');

  const update = await act(alice, 'postUpdate', { update: 'Checkout is recovering; some card payments may still fail.' });
  // Severity 1 with customers affected: every 30 minutes, so at 23:45 the next is due tomorrow.
  expect(notificationOf(update.body)).toBe('Update posted to every place that follows the incident. Next update by 2026-03-15 00:15 UTC.');
  expect(await lastEvent()).toMatchObject({ type: 'StakeholderUpdatePosted', by: ALICE });
});

test.each([
  ['an empty entry', 'addEntry', {}, 'A note needs some text.'],
  ['no severity chosen', 'setSeverity', {}, 'Severity must be 1-4 (1 is the most severe).'],
  ['the severity it already has', 'setSeverity', { severity: '1' }, 'Nothing to change: it is already so.'],
  ['a phase out of range', 'setPhase', { phase: '7' }, 'Phase must be 0-3.'],
])('the domain answers %s in plain words', async (_what, action, inputs, text) => {
  const { id: ID, act } = await incidentInDoc({ severity: 1 });
  const before = (await h.store.load(ID))!.version;
  const res = await act(alice, action, inputs);
  expect(res.problems).toEqual([]);
  expect(notificationOf(res.body)).toBe(text);
  expect((await h.store.load(ID))!.version).toBe(before);
});

test('a person outside the allowed domains, or a personal account, reads but is told why they cannot change', async () => {
  const { id: ID, number, act } = await incidentInDoc();
  const before = (await h.store.load(ID))!.version;
  for (const user of [{ email: 'vendor@partner.example' }, { email: 'alice@contoso.test', hd: null }]) {
    const res = await act(user, 'setSeverity', { severity: '2' });
    expect(res.problems).toEqual([]);
    expect(notificationOf(res.body)).toMatch(/^Only people signed in with a Google Workspace account of contoso\.test can change incidents here; you are signed in as /);
    expect(cardOf(res.body).header.title).toBe(`INC-${number}: Checkout API returning 500s`);
  }
  expect((await h.store.load(ID))!.version).toBe(before);
});

test('a card of another incident, used in this doc, changes nothing', async () => {
  const { docId, number } = await incidentInDoc();
  const other = await docIncident(h, { id: 'inc-other', docId: 'doc-of-the-other-one', title: 'Search is slow' });
  const res = await h.call({ user: alice, doc: { id: docId }, parameters: { action: 'setSeverity', incidentId: 'inc-other' }, formInputs: { severity: '1' } });
  expect(notificationOf(res.body)).toBe(`That card was for INC-${other.number}, which is not this doc's incident; nothing was changed.`);
  expect(cardOf(res.body).header.title).toBe(`INC-${number}: Checkout API returning 500s`);
  expect((await h.store.load('inc-other'))!.severity).toBe(2);
});

test('the same request delivered twice adds one entry', async () => {
  const { id: ID, docId } = await incidentInDoc();
  const { url, init } = sidebarRequest(h.issuer, { endpoint: h.endpoint, user: alice, doc: { id: docId }, parameters: { action: 'addEntry', incidentId: ID }, formInputs: { entry: 'db-2 lag back to 0 s' } });
  const first = await (await fetch(url, init)).json();
  const again = await (await fetch(url, init)).json();
  expect(notificationOf(first)).toBe('Added to the timeline.');
  expect(notificationOf(again)).toBe('Already done.');
  const entries = (await h.store.events(ID)).filter((e) => e.event.type === 'NoteAdded' && e.event.text === 'db-2 lag back to 0 s');
  expect(entries).toHaveLength(1);
});

test("a double click on one card's button counts once, though each request carries fresh tokens", async () => {
  const { id: ID, docId, act } = await incidentInDoc();
  const shown = cardOf((await act(alice, 'addEntry', { entry: 'warming the cache' })).body);
  const nonce = JSON.stringify(shown).match(/"key":"nonce","value":"([^"]+)"/)?.[1];
  expect(nonce).toBeDefined();
  const press = () => h.call({ user: alice, doc: { id: docId }, parameters: { action: 'addEntry', incidentId: ID, nonce: nonce! }, formInputs: { entry: 'cache warm' } });
  const [first, second] = [await press(), await press()];
  expect([notificationOf(first.body), notificationOf(second.body)]).toEqual(['Added to the timeline.', 'Already done.']);
  // The answer is a new card whose buttons carry a new nonce: the next press is a new request.
  expect(JSON.stringify(cardOf(first.body))).not.toContain(nonce!);
  const third = await h.call({ user: alice, doc: { id: docId }, parameters: { action: 'addEntry', incidentId: ID, nonce: 'another-card' }, formInputs: { entry: 'cache warm' } });
  expect(notificationOf(third.body)).toBe('Added to the timeline.');
  expect((await h.store.events(ID)).filter((e) => e.event.type === 'NoteAdded' && e.event.text === 'cache warm')).toHaveLength(2);
});

test('a resolved incident says so on changes, and refuses timeline entries from the sidebar in plain words (read-only)', async () => {
  const { id: ID, number, act } = await incidentInDoc();
  await h.incidents.run(ID, { type: 'ResolveIncident', summary: 'Rolled back.', at: h.now.toISOString(), by: ALICE });
  // The sidebar's own words, naming nothing that can only be typed in Teams.
  const refused = new RegExp(`^INC-${number} was resolved at \\d\\d:\\d\\d UTC, so the sidebar is read-only and nothing was changed\\. Add notes in its Teams conversation\\.$`);
  expect(notificationOf((await act(alice, 'setSeverity', { severity: '3' })).body)).toMatch(refused);
  expect(notificationOf((await act(alice, 'postUpdate', { update: 'All good' })).body)).toMatch(refused);
  expect((await h.store.events(ID)).filter((e) => e.event.type === 'SeverityChanged' || e.event.type === 'StakeholderUpdatePosted')).toHaveLength(0);
  expect(notificationOf((await act(alice, 'addEntry', { entry: 'Postmortem scheduled for Monday' })).body)).toMatch(
    new RegExp(`^INC-${number} was resolved at \\d\\d:\\d\\d UTC, so the sidebar is read-only and nothing was added\\. Add notes in its Teams conversation\\.$`),
  );
  expect((await h.store.events(ID)).filter((e) => e.event.type === 'NoteAdded')).toHaveLength(0);
});
