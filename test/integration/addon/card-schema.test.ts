import { given, declareCommand, jo, sam, AT } from '../../domain/fixtures';
import { errorCard, fileAccessCard, incidentCard, notIncidentCard } from '../../../src/google/addon/cards';
import { pushCard, requestFileScope, updateCard } from '../../../src/google/addon/responses';
import { addonResponseErrors, cardErrors } from '../../../src/sandbox/google-addon/card-schema';

/**
 * The checker the tests trust must itself refuse what Google's renderer refuses; then every card Firebreak builds,
 * in every state, passes it.
 */
const ENDPOINT = 'https://firebreak.example.com/api/addon';
const ok = { sections: [{ widgets: [{ textParagraph: { text: 'hi' } }] }] };
const widget = (w: unknown) => ({ sections: [{ widgets: [w] }] });

test('a well-formed answer passes', () => {
  expect(addonResponseErrors(pushCard(ok))).toEqual([]);
  expect(addonResponseErrors(updateCard(ok, 'Done.'))).toEqual([]);
  expect(addonResponseErrors(requestFileScope())).toEqual([]);
});

test.each([
  ['a misspelt widget', widget({ textParagraf: { text: 'hi' } }), /additional properties \(textParagraf\)/],
  ['a field of the wrong type', widget({ decoratedText: { text: 'x', wrapText: 'yes' } }), /wrapText must be boolean/],
  ['a value outside an enum', widget({ selectionInput: { name: 's', type: 'DROP_DOWN', items: [] } }), /type must be equal to one of the allowed values/],
  ['a widget of two kinds', widget({ divider: {}, textParagraph: { text: 'x' } }), /a widget must have exactly one kind \(has textParagraph, divider\)/],
  ['an onClick with two behaviours', widget({ buttonList: { buttons: [{ text: 'b', onClick: { openLink: { url: 'https://x' }, action: { function: ENDPOINT } } }] } }), /onClick must have exactly one of/],
  ['an Apps Script function name instead of the endpoint URL', widget({ buttonList: { buttons: [{ text: 'b', onClick: { action: { function: 'onSeverity' } } }] } }), /function must be the URL of the HTTP endpoint/],
  ['more than 100 widgets', { sections: [{ widgets: Array.from({ length: 101 }, () => ({ divider: {} })) }] }, /has 101 widgets; a card holds at most 100/],
])('refused: %s', (_what, card, problem) => {
  expect(cardErrors(card).join('\n')).toMatch(problem);
  expect(addonResponseErrors(pushCard(card as never)).join('\n')).toMatch(problem);
});

test.each([
  ['an empty notification', { renderActions: { action: { notification: { text: '' } } } }],
  ['two navigations in one step', { action: { navigations: [{ pushCard: ok, updateCard: ok }] } }],
  ['an unknown host action', { renderActions: { hostAppAction: { editorAction: { openFile: {} } } } }],
  ['an empty answer', {}],
  ['a bare card', ok],
])('refused envelope: %s', (_what, body) => {
  expect(addonResponseErrors(body)).not.toEqual([]);
});

test('every card Firebreak builds renders, in every state', () => {
  const { state: active } = given(declareCommand({ provisioning: ['channel', 'bridge', 'doc'], customerImpact: true }));
  const { state: resolved } = given(
    declareCommand(),
    { type: 'RecordResourceReady', resource: 'bridge', url: 'https://meet.example/b', label: 'Bridge', at: AT, by: jo },
    { type: 'AssignRole', role: 'sme', person: sam, at: AT, by: jo },
    { type: 'ResolveIncident', summary: 'Rolled back.', at: AT, by: jo },
  );
  const ctx = { endpoint: ENDPOINT, now: new Date(AT), timeZone: 'Not/AZone' };
  const entries = [
    { id: 'a:1', at: AT, who: 'Jo <Park>', text: 'db-2 lag 40 s', edited: true },
    { id: 'a:2', at: AT, who: 'Sam', text: 'oops', deleted: true },
  ];
  for (const card of [incidentCard(active, [], ctx), incidentCard(resolved, entries, ctx), notIncidentCard(undefined), notIncidentCard('https://teams.example/l'), fileAccessCard(ENDPOINT), errorCard('x & y', ENDPOINT)]) {
    expect(cardErrors(card)).toEqual([]);
  }
  // A resolved incident is read-only in the sidebar: no input, no button that changes anything; it says when.
  const resolvedCard = incidentCard(resolved, entries, ctx);
  expect(resolvedCard.sections.map((s) => s.header)).toEqual([undefined, 'Where to coordinate', 'Timeline (latest five)', 'Resolved: read-only']);
  expect(JSON.stringify(resolvedCard)).not.toMatch(/textInput|selectionInput|"action":\{/);
  expect(resolvedCard.header?.subtitle).toMatch(/^Resolved /);
  expect(JSON.stringify(resolvedCard)).toContain('<s>oops</s> <i>(deleted in chat)</i>');
  expect(JSON.stringify(incidentCard(active, [], ctx))).toContain('"topLabel":"Channel","text":"assembling…"');
});
