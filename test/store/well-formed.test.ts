import { decide, type Command } from '../../src/domain/decide';
import { evolveAll, type Incident, type IncidentEvent } from '../../src/domain/incident';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { backends, freshPostgresUrl } from '../harness/databases';
import { AT, declareCommand, jo } from '../domain/fixtures';

/**
 * PostgreSQL refuses NUL in text and jsonb, and unpaired surrogates in jsonb. Whatever path such text takes (a doc
 * row, a future command), the store writes U+FFFD in its place instead of failing the request.
 */
const NASTY = 'nul\u0000 high\ud800 low\udc00 pair\ud83d\ude00';
const SAFE = 'nul\ufffd high\ufffd low\ufffd pair\ud83d\ude00';

describe.each(backends())('the store on $name takes any text', ({ name, available }) => {
  if (!available) {
    test.todo(`PostgreSQL is not available on this machine: the ${name} half is skipped`);
    return;
  }
  let store: Store;
  beforeAll(async () => {
    store = await openStore(name === 'pglite' ? 'pglite:memory' : await freshPostgresUrl());
  }, 60_000);
  afterAll(async () => store?.close());

  function commitFor(command: Command, state: Incident | null) {
    const events = decide(command, state) as IncidentEvent[];
    const next = evolveAll(events, state)!;
    return { incidentId: next.id, expectedVersion: state?.version ?? 0, events, state: next, effects: [], now: AT };
  }

  test('events, snapshot, inbound keys and timeline rows with NUL and lone surrogates are stored as U+FFFD', async () => {
    const declared = commitFor(declareCommand({ incidentId: `wf-${name}`, number: 901, title: NASTY }), null);
    expect(await store.commit({ ...declared, inboundKey: `key-${NASTY}` })).toEqual({ ok: true });
    const note = commitFor({ type: 'AddNote', kind: 'note', text: NASTY, at: AT, by: { ...jo, name: NASTY } }, declared.state);
    expect(await store.commit(note)).toEqual({ ok: true });

    const loaded = await store.load(declared.state.id);
    expect(loaded?.title).toBe(SAFE);
    const events = (await store.events(declared.state.id)).map((e) => e.event);
    expect(events.map((e) => (e.type === 'NoteAdded' ? [e.text, e.by.name] : e.type))).toEqual(['IncidentDeclared', [SAFE, SAFE]]);
    expect(await store.seenInbound(`key-${SAFE}`)).toBe(true);

    await store.timeline.saveRows(declared.state.id, [{ key: 'row-1', text: NASTY }], AT);
    expect([...(await store.timeline.rows(declared.state.id)).values()].map((r) => r.text)).toEqual([SAFE]);
  });

  test('text that is already well-formed, escapes included, is stored as it is', async () => {
    const title = 'a literal \\u0000 typed out, "quotes", emoji \ud83d\ude00 and \u00e9';
    const declared = commitFor(declareCommand({ incidentId: `wf2-${name}`, number: 902, title }), null);
    expect(await store.commit(declared)).toEqual({ ok: true });
    expect((await store.load(declared.state.id))?.title).toBe(title);
  });
});
