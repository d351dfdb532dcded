import fc from 'fast-check';
import { sidebarEvent } from '../../../src/sandbox/google-addon/request';
import { weirdText } from '../../harness/fuzz-activities';
import { DOC_ID, cardOf, docIncident, notificationOf, startHarness, type Harness } from './setup';

/**
 * The sidebar endpoint takes anything a caller holding valid tokens can send without a 500: NUL and lone surrogates
 * in an entry are stored as U+FFFD, HTML in it is shown as text, and generated events with fields broken or replaced
 * get a 2xx/4xx answer. `FUZZ_SEED` replays a run.
 */
let h: Harness;
const ID = 'inc-bad-input';
const alice = { email: 'alice@contoso.test' };
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const RUNS = 600;

beforeAll(async () => {
  h = await startHarness();
  await docIncident(h, { id: ID });
});
afterAll(async () => h?.close());

test('an entry with NUL and lone surrogates is added with U+FFFD in their place', async () => {
  const res = await h.call({ user: alice, doc: { id: DOC_ID }, parameters: { action: 'addEntry', incidentId: ID }, formInputs: { entry: 'db\u0000 lag \ud800 back' } });
  expect(res.status).toBe(200);
  expect(notificationOf(res.body)).toBe('Added to the timeline.');
  const last = (await h.store.events(ID)).at(-1)!.event;
  expect(last).toMatchObject({ type: 'NoteAdded', text: 'db\ufffd lag \ufffd back' });
});

test('an entry that looks like HTML is shown as text in the sidebar', async () => {
  const res = await h.call({ user: alice, doc: { id: DOC_ID }, parameters: { action: 'addEntry', incidentId: ID }, formInputs: { entry: '<a href="https://evil.example">x</a> <b>y</b>' } });
  const shown = JSON.stringify(cardOf(res.body));
  expect(shown).toContain('&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt; &lt;b&gt;y&lt;/b&gt;');
  expect(shown).not.toContain('<a href');
});

test('a body nested past any event is a 400, not a crash', async () => {
  const event = sidebarEvent(h.issuer, { endpoint: h.endpoint, user: alice, doc: { id: DOC_ID } });
  const bearer = (event.authorizationEventObject as { systemIdToken: string }).systemIdToken;
  const deep = `{"commonEventObject":{"hostApp":"DOCS","x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
  const res = await h.post(deep, { authorization: `Bearer ${bearer}` });
  expect(res).toEqual({ status: 400, body: { error: 'the event is nested more than 64 levels deep' } });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const PATHS = [
  'commonEventObject', 'commonEventObject.hostApp', 'commonEventObject.parameters', 'commonEventObject.parameters.action', 'commonEventObject.parameters.incidentId',
  'commonEventObject.parameters.nonce', 'commonEventObject.parameters.extra', 'commonEventObject.formInputs', 'commonEventObject.formInputs.entry',
  'commonEventObject.formInputs.entry.stringInputs', 'commonEventObject.formInputs.entry.stringInputs.value', 'commonEventObject.formInputs.severity.stringInputs.value',
  'commonEventObject.timeZone', 'commonEventObject.timeZone.id', 'authorizationEventObject', 'authorizationEventObject.userIdToken', 'docs', 'docs.id', 'docs.title',
  'docs.addonHasFileScopePermission',
];
const value: fc.Arbitrary<Json> = fc.oneof(weirdText, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, fc.constant(null), fc.array(weirdText, { maxLength: 3 }));

function set(target: Record<string, Json>, path: string, v: Json | undefined): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, Json>;
  }
  if (v === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = v;
}

test(`${RUNS} generated sidebar events with fields broken or replaced: never a 5xx (seed ${SEED})`, async () => {
  const action = fc.constantFrom('addEntry', 'setSeverity', 'setPhase', 'postUpdate', 'home', 'requestFileScope', 'launch');
  const request = fc.record({
    action,
    incidentId: fc.constantFrom(ID, 'unknown-incident'),
    entry: weirdText,
    severity: fc.constantFrom('1', '2', 'x'),
    withDoc: fc.boolean(),
    mutations: fc.array(fc.record({ path: fc.constantFrom(...PATHS), value: fc.option(value, { nil: undefined, freq: 4 }) }), { maxLength: 3 }),
  });
  const samples = fc.sample(request, { numRuns: RUNS, seed: SEED });
  const failures: string[] = [];
  for (const [i, r] of samples.entries()) {
    const event = sidebarEvent(h.issuer, { endpoint: h.endpoint, user: alice, doc: r.withDoc ? { id: DOC_ID } : undefined, parameters: { action: r.action, incidentId: r.incidentId }, formInputs: { entry: r.entry, severity: r.severity, update: r.entry } }) as Record<string, Json>;
    const bearer = (event.authorizationEventObject as { systemIdToken: string }).systemIdToken;
    for (const m of r.mutations) set(event, m.path, m.value);
    const res = await h.post(event, { authorization: `Bearer ${bearer}` });
    if (res.status >= 500) failures.push(`#${i} ${res.status} ${JSON.stringify(res.body)}: ${JSON.stringify(r.mutations).slice(0, 300)}`);
  }
  if (failures.length) throw new Error(`FUZZ_SEED=${SEED}: ${failures.length} of ${RUNS} got a 5xx:\n${failures.slice(0, 5).join('\n')}`);
}, 120_000);
