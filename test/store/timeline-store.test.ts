import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { react } from '../../src/domain/react';
import { decide } from '../../src/domain/decide';
import { evolveAll, type Incident, type IncidentEvent } from '../../src/domain/incident';
import { backends, freshPostgresUrl } from '../harness/databases';
import { AT, declareCommand, jo } from '../domain/fixtures';

/** The doc timeline's bookkeeping and the coalesced sync effect, on both databases. */
describe.each(backends())('timeline store on $name', ({ name, available }) => {
  if (!available) {
    test.todo(`PostgreSQL is not available on this machine: the ${name} half is skipped`);
    return;
  }
  let store: Store;
  let n = 0;
  beforeAll(async () => {
    store = await openStore(name === 'pglite' ? 'pglite:memory' : await freshPostgresUrl());
  }, 60_000);
  afterAll(async () => store?.close());

  /** An incident whose doc is ready (so notes cause `timeline.sync`). */
  async function incidentWithDoc() {
    n += 1;
    let state: Incident | null = null;
    for (const command of [
      declareCommand({ incidentId: `${name}-t${n}`, number: await store.nextNumber(), provisioning: ['doc'] }),
      { type: 'RecordResourceReady' as const, resource: 'doc' as const, url: 'https://docs.google.com/document/d/abc/edit', label: 'INC', at: AT, by: jo },
    ]) {
      const events = decide(command, state) as IncidentEvent[];
      const next: Incident = evolveAll(events, state)!;
      expect(await store.commit({ incidentId: next.id, expectedVersion: state?.version ?? 0, events, state: next, effects: react(events, next).filter((e) => e.kind !== 'reminder.update'), now: AT })).toEqual({ ok: true });
      state = next;
    }
    return state!;
  }
  async function note(text: string, id: string) {
    const state = (await store.load(id))!;
    const events = decide({ type: 'AddNote', kind: 'note', text, at: AT, by: jo }, state) as IncidentEvent[];
    const next = evolveAll(events, state)!;
    expect(await store.commit({ incidentId: id, expectedVersion: state.version, events, state: next, effects: react(events, next), now: AT })).toEqual({ ok: true });
  }
  const syncs = async (id: string) => (await store.effects({ incidentId: id, pending: true })).filter((e) => e.kind === 'timeline.sync');

  test('one sync waits per incident: notes while it waits add none; once it is claimed the next note adds one', async () => {
    const incident = await incidentWithDoc();
    expect(await syncs(incident.id)).toHaveLength(1); // the doc became ready
    await note('a', incident.id);
    await note('b', incident.id);
    expect(await syncs(incident.id)).toHaveLength(1);
    const claimed = await store.claimEffects('2030-01-01T00:00:00.000Z', 100, 60_000);
    expect(claimed.filter((e) => e.incidentId === incident.id && e.kind === 'timeline.sync')).toHaveLength(1);
    await note('c', incident.id);
    expect(await syncs(incident.id)).toHaveLength(2);
  });

  test('known rows: pending before a write, confirmed after; revisions and channels', async () => {
    const { id } = await incidentWithDoc();
    await store.timeline.markPending(id, [{ key: `${id}:3`, text: 'Rolled back 🚀' }], AT);
    expect(await store.timeline.rows(id)).toEqual(new Map([[`${id}:3`, { key: `${id}:3`, text: null, pending: 'Rolled back 🚀', struck: false }]]));
    await store.timeline.saveRows(id, [{ key: `${id}:3`, text: 'Rolled back 🚀', struck: true }], AT);
    expect((await store.timeline.rows(id)).get(`${id}:3`)).toEqual({ key: `${id}:3`, text: 'Rolled back 🚀', pending: null, struck: true });

    expect(await store.timeline.revision(id)).toBeUndefined();
    await store.timeline.saveRevision(id, 'abc', 'rev-1', AT);
    await store.timeline.saveRevision(id, 'abc', 'rev-2', AT);
    expect(await store.timeline.revision(id)).toBe('rev-2');

    const channel = { id: `ch-${id}`, incidentId: id, docId: 'abc', resourceId: 'res', token: 'secret', expiration: '2030-01-01T00:00:00.000Z' };
    await store.timeline.addChannel(channel);
    expect(await store.timeline.channel(channel.id)).toEqual(channel);
    expect(await store.timeline.channels(id)).toEqual([channel]);
    await store.timeline.channelStopped(channel.id, AT);
    expect(await store.timeline.channel(channel.id)).toBeUndefined();
    expect(await store.timeline.channels(id)).toEqual([]);
  });
});
