import { ALICE, BOB, DOC_ID, OTHER_DOC, cardOf, cardText, docIncident, notificationOf, startHarness, type Harness } from './setup';

/** What the sidebar shows when it opens, and how it answers requests it cannot act on; every answer must render. */
let h: Harness;
let incidentId: string;
const alice = { email: 'alice@contoso.test' };

beforeAll(async () => {
  // 23:45 in Paris (22:45 UTC): the next update, an hour after a declaration half an hour ago, is due at 23:15 UTC,
  // the same day in UTC but tomorrow in Paris; the sidebar speaks the reader's time zone.
  h = await startHarness({ now: new Date('2026-03-14T22:45:00.000Z') });
  const incident = await docIncident(h, { id: 'inc-home' });
  incidentId = incident.id;
  // Six entries after the declaration, so the card must leave the oldest ones out.
  for (const text of ['one', 'two', 'three', 'four', 'five', 'six']) {
    await h.incidents.run(incidentId, { type: 'AddNote', kind: 'note', text: `entry ${text}`, at: h.now.toISOString(), by: BOB });
  }
  await h.incidents.run(incidentId, { type: 'AssignRole', role: 'comms', person: BOB, at: h.now.toISOString(), by: ALICE });
});
afterAll(async () => h?.close());

test('an incident doc opens on the incident: state, people, links, cadence, the latest five entries, and the actions', async () => {
  const res = await h.call({ user: alice, doc: { id: DOC_ID }, timeZone: 'Europe/Paris' });
  expect(res.problems).toEqual([]);
  const card = cardOf(res.body);
  expect(card.header).toEqual({ title: 'INC-1: Checkout API returning 500s', subtitle: 'Severity 2 · Phase 1' });
  const facts = card.sections[0].widgets.filter((w: any) => w.decoratedText).map((w: any) => [w.decoratedText.topLabel, w.decoratedText.text]);
  expect(facts).toEqual(
    expect.arrayContaining([
      ['Severity', '2: Major: a key feature is broken or badly degraded for many customers'],
      ['Phase', '1: Stop the bleeding: quick mitigation of the immediate issue'],
      ['Incident commander', 'Alice Adams'],
      ['Communications lead', 'Bob Brown'],
      ['Customer impact', 'Yes'],
      ['Next update due', '2026-03-15 00:15 Europe/Paris'],
    ]),
  );
  // Customers are affected and nobody talks to them yet: the gap is shown, as on the Teams card.
  expect(cardText(card.sections[0])).toContain('No customer liaison yet');
  expect(card.sections[1].widgets[0].buttonList.buttons.map((b: any) => [b.text, b.onClick.openLink.url])).toEqual([
    ['Join the bridge', 'https://teams.microsoft.com/l/meetup-join/bridge-1'],
    ['Open the channel', 'https://teams.microsoft.com/l/channel/19%3Ainc-1/inc-1'],
  ]);
  const timeline = card.sections[2];
  expect(timeline.header).toBe('Timeline (latest five)');
  expect(timeline.widgets.map((w: any) => w.textParagraph.text.replace(/^<b>[^<]+<\/b> /, ''))).toEqual([
    'Bob Brown: entry three',
    'Bob Brown: entry four',
    'Bob Brown: entry five',
    'Bob Brown: entry six',
    'Alice Adams: Bob Brown is communications lead.',
  ]);
  const buttons = card.sections.flatMap((s: any) => s.widgets).filter((w: any) => w.buttonList).flatMap((w: any) => w.buttonList.buttons).filter((b: any) => b.onClick.action);
  expect(buttons.map((b: any) => [b.text, b.onClick.action.function, Object.fromEntries(b.onClick.action.parameters.map((p: any) => [p.key, p.value]))])).toEqual([
    ['Change severity', h.endpoint, { action: 'setSeverity', incidentId, nonce: expect.any(String) }],
    ['Change phase', h.endpoint, { action: 'setPhase', incidentId, nonce: expect.any(String) }],
    ['Add to timeline', h.endpoint, { action: 'addEntry', incidentId, nonce: expect.any(String) }],
    ['Post update', h.endpoint, { action: 'postUpdate', incidentId, nonce: expect.any(String) }],
  ]);
});

test('people typed text is escaped in the card HTML', async () => {
  // Its own incident and doc: the incident above keeps the entries the first test counts.
  await docIncident(h, { id: 'inc-escape', docId: 'doc-escape' });
  await h.incidents.run('inc-escape', { type: 'AddNote', kind: 'note', text: 'restarted <b>db-2</b> & "cache"', at: h.now.toISOString(), by: BOB });
  const card = cardOf((await h.call({ user: alice, doc: { id: 'doc-escape' } })).body);
  expect(card.sections[2].widgets.at(-1).textParagraph.text).toMatch(/Bob Brown: restarted &lt;b&gt;db-2&lt;\/b&gt; &amp; &quot;cache&quot;$/);
});

test('any other doc says it is not an incident doc and links to declaring one in Teams', async () => {
  const res = await h.call({ user: alice, doc: { id: OTHER_DOC } });
  expect(res.problems).toEqual([]);
  const card = cardOf(res.body);
  expect(card.header.subtitle).toBe('This is not an incident doc');
  expect(cardText(card)).toContain('"openLink":{"url":"https://teams.microsoft.com/l/chat/0/0?users=28:firebreak"}');
});

test('without access to the file it asks for it, and the button asks Docs for drive.file on this document', async () => {
  const res = await h.call({ user: alice, doc: { id: DOC_ID, hasFileScope: false } });
  expect(res.problems).toEqual([]);
  const button = cardOf(res.body).sections[0].widgets[1].buttonList.buttons[0];
  expect(button.onClick.action.parameters).toEqual([{ key: 'action', value: 'requestFileScope' }]);
  const asked = await h.call({ user: alice, doc: { id: DOC_ID, hasFileScope: false }, parameters: { action: 'requestFileScope' } });
  expect(asked.problems).toEqual([]);
  expect(asked.body).toEqual({ renderActions: { hostAppAction: { editorAction: { requestFileScopeForActiveDocument: {} } } } });
});

test.each([
  ['an unknown action', { action: 'launchMissiles', incidentId: 'inc-home' }, 'Firebreak does not know the action &quot;launchMissiles&quot;, so nothing was changed.'],
  ['an unknown parameter', { action: 'setSeverity', incidentId: 'inc-home', severity: '1' }, 'This request carries parameters Firebreak does not know (severity), so nothing was changed.'],
  ['a button of an incident that does not exist', { action: 'setSeverity', incidentId: 'inc-nope' }, 'This button belongs to an incident Firebreak does not know; reopen the sidebar.'],
])('%s gets a card that says so, not an error status', async (_what, parameters, message) => {
  const before = (await h.store.load('inc-home'))!.version;
  const res = await h.call({ user: alice, doc: { id: DOC_ID }, parameters, formInputs: { severity: '1' } });
  expect(res.status).toBe(200);
  expect(res.problems).toEqual([]);
  expect(cardText(cardOf(res.body))).toContain(message);
  expect(notificationOf(res.body)).toBeUndefined();
  expect((await h.store.load('inc-home'))!.version).toBe(before);
});

test('a "back" button from an error card shows the incident again', async () => {
  const res = await h.call({ user: alice, doc: { id: DOC_ID }, parameters: { action: 'home' } });
  expect(res.problems).toEqual([]);
  expect(cardOf(res.body).header.title).toBe('INC-1: Checkout API returning 500s');
  expect(res.body.renderActions.action.navigations[0].updateCard).toBeDefined();
});

test('a failing store is a 500 that says nothing of the failure', async () => {
  const broken = await startHarness();
  await broken.store.close();
  try {
    const res = await broken.call({ user: alice, doc: { id: DOC_ID } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal error; the request can be retried' });
  } finally {
    await broken.close().catch(() => undefined);
  }
});
