import { Client } from 'pg';
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
  let url = 'pglite:memory';
  let n = 0;
  beforeAll(async () => {
    if (name === 'postgres') url = await freshPostgresUrl();
    store = await openStore(url);
  }, 60_000);
  afterAll(async () => store?.close());

  /** An incident whose doc is ready (so notes cause `timeline.sync`). */
  async function incidentWithDoc() {
    n += 1;
    let state: Incident | null = null;
    for (const command of [
      declareCommand({ incidentId: `${name}-t${n}`, number: 1000 + n, provisioning: ['doc'] }),
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

  test('a note committed while a worker is claiming the waiting sync is never lost: the check waits for the claim', async () => {
    if (name !== 'postgres') return; // one connection in PGlite: no second transaction to race with
    const incident = await incidentWithDoc();
    const worker = new Client({ connectionString: url });
    await worker.connect();
    try {
      // A worker's claim, under way: it holds the waiting sync's row.
      await worker.query('BEGIN');
      const [sync] = (await worker.query(`SELECT id FROM effects WHERE kind = 'timeline.sync' AND incident_id = $1 FOR UPDATE`, [incident.id])).rows;
      let done = false;
      const noted = note('during the claim', incident.id).then(() => (done = true));
      const blocked = async () => (await worker.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount! > 0;
      while (!done && !(await blocked())) await new Promise((r) => setTimeout(r, 5));
      await worker.query(`UPDATE effects SET claimed_until = '2030-01-01T00:00:00Z', attempts = attempts + 1 WHERE id = $1`, [sync.id]);
      await worker.query('COMMIT');
      await noted;
      // The claimed sync may have read the log before the note: a new one waits for it.
      expect((await syncs(incident.id)).map((e) => e.attempts).sort()).toEqual([0, 1]);
    } finally {
      await worker.end();
    }
  });

  test('a landed pending text is taken as written only while it is still the pending one', async () => {
    const { id } = await incidentWithDoc();
    const key = `${id}:4`;
    await store.timeline.markPending(id, [{ key, text: 'Lag is 4 s' }], AT);
    // Another replica moved on (wrote and is writing a newer text): an acceptance of the older one changes nothing.
    await store.timeline.markPending(id, [{ key, text: 'Lag is 0 s' }], AT);
    await store.timeline.acceptPending(id, [{ key, text: 'Lag is 4 s', struck: false }], AT);
    expect((await store.timeline.rows(id)).get(key)).toEqual({ key, text: null, pending: 'Lag is 0 s', struck: false });
    await store.timeline.acceptPending(id, [{ key, text: 'Lag is 0 s', struck: true }], AT);
    expect((await store.timeline.rows(id)).get(key)).toEqual({ key, text: 'Lag is 0 s', pending: null, struck: true });
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
