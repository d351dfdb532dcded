import { decide, type Command } from '../../src/domain/decide';
import { evolveAll, type Incident, type IncidentEvent } from '../../src/domain/incident';
import { react } from '../../src/domain/react';
import { openStore } from '../../src/store/open';
import type { Commit, Store } from '../../src/store/store';
import { backends, freshPostgresUrl } from '../harness/databases';
import { AT, declareCommand, jo, sam } from '../domain/fixtures';

/** One contract, two implementations: the same suite on the embedded store and on PostgreSQL. */
describe.each(backends())('store on $name', ({ name, available }) => {
  if (!available) {
    test.todo(`PostgreSQL is not available on this machine: the ${name} half is skipped`);
    return;
  }
  let store: Store;
  let counter = 0;

  beforeAll(async () => {
    store = await openStore(name === 'pglite' ? 'pglite:memory' : await freshPostgresUrl());
  }, 60_000);
  afterAll(async () => store?.close());

  /** Builds the commit a command would make on `state`. */
  function commitFor(command: Command, state: Incident | null, extra: Partial<Commit> = {}): Commit & { state: Incident } {
    const events = decide(command, state) as IncidentEvent[];
    const next = evolveAll(events, state)!;
    // The store is indifferent to effect kinds; timers (reminders, the overdue escalation: due an hour or more later) are
    // left out so lease timings stay simple.
    const effects = react(events, next).filter((e) => !['reminder.update', 'reminder.handoff', 'escalate.overdue'].includes(e.kind));
    return { incidentId: next.id, expectedVersion: state?.version ?? 0, events, state: next, effects, now: AT, ...extra };
  }

  async function declared(overrides = {}) {
    counter += 1;
    let state: Incident | undefined;
    const result = await store.commitNew({ now: AT }, (number) => {
      const commit = commitFor(declareCommand({ incidentId: `${name}-${counter}`, number, ...overrides }), null);
      state = commit.state;
      return commit;
    });
    expect(result).toEqual({ ok: true });
    return state!;
  }

  test('numbers are allocated in order, in the declaring transaction', async () => {
    const a = await declared();
    const b = await declared();
    expect(b.number).toBe(a.number + 1);
    expect(await store.commitNew({ now: AT }, (number) => commitFor(declareCommand({ incidentId: a.id, number }), null))).toEqual({ ok: false, reason: 'conflict' });
    await expect(
      store.commitNew({ now: AT }, () => {
        throw new Error('the declaration could not be built');
      }),
    ).rejects.toThrow('could not be built');
    expect((await declared()).number).toBe(b.number + 1);
  });

  test('a commit stores events, snapshot and effects together', async () => {
    const incident = await declared({ provisioning: ['doc'] });
    expect(await store.load(incident.id)).toEqual(incident);
    expect(await store.byNumber(incident.number)).toEqual(incident);
    expect((await store.events(incident.id)).map((e) => [e.version, e.event.type])).toEqual([[1, 'IncidentDeclared']]);
    const effects = await store.effects({ incidentId: incident.id });
    expect(effects.map((e) => e.kind)).toEqual(['card.post', 'doc.create']);
    expect(effects[0]).toMatchObject({ attempts: 0, outcome: null, lastError: null, notBefore: AT });
  });

  test('optimistic concurrency: a commit on a stale version is a conflict and writes nothing', async () => {
    const incident = await declared();
    const first = commitFor({ type: 'ChangeSeverity', severity: 1, at: AT, by: jo }, incident);
    const stale = commitFor({ type: 'ChangePhase', phase: 2, at: AT, by: sam }, incident);
    expect(await store.commit(first)).toEqual({ ok: true });
    expect(await store.commit(stale)).toEqual({ ok: false, reason: 'conflict' });
    expect((await store.load(incident.id))!.phase).toBe(1);
    expect((await store.events(incident.id)).map((e) => e.event.type)).toEqual(['IncidentDeclared', 'SeverityChanged']);
    expect((await store.effects({ incidentId: incident.id })).filter((e) => e.key.includes(':2:'))).toHaveLength(1);
  });

  test('declaring the same incident id twice is a conflict', async () => {
    const incident = await declared();
    const again = commitFor(declareCommand({ incidentId: incident.id, number: 999_999 }), null);
    expect(await store.commit(again)).toEqual({ ok: false, reason: 'conflict' });
  });

  test('an inbound key makes a re-delivery a duplicate, rolled back whole', async () => {
    const incident = await declared();
    const note = commitFor({ type: 'AddNote', kind: 'note', text: 'x', at: AT, by: jo }, incident, { inboundKey: `teams:c:${name}-a1` });
    expect(await store.commit(note)).toEqual({ ok: true });
    const latest = (await store.load(incident.id))!;
    const redelivered = commitFor({ type: 'AddNote', kind: 'note', text: 'x', at: AT, by: jo }, latest, { inboundKey: `teams:c:${name}-a1` });
    expect(await store.commit(redelivered)).toEqual({ ok: false, reason: 'duplicate' });
    expect(await store.events(incident.id)).toHaveLength(2);
    expect(await store.markInbound(`teams:c:${name}-a1`, AT)).toBe(false);
    expect(await store.markInbound(`teams:c:${name}-a2`, AT)).toBe(true);
    expect(await store.markInbound(`teams:c:${name}-a2`, AT)).toBe(false);
  });

  test('effects queued on their own (a command waiting for Teams) are written with the inbound key, once', async () => {
    const incident = await declared();
    const waiting = {
      kind: 'chat.mention' as const,
      key: `chat.mention:teams:c:${name}-m1`,
      incidentId: incident.id,
      notBefore: '2100-01-01T00:00:00.000Z',
      payload: { conversation: incident.origin, mention: sam, command: { type: 'ChangeCommander', mode: 'handoff' }, personAt: 'to' as const, at: AT, by: jo, say: { notMember: 'no', unchanged: 'same' } },
    };
    expect(await store.enqueue([waiting], { inboundKey: `teams:c:${name}-m1`, now: AT })).toBe(true);
    // A re-delivery of the same activity writes nothing, even as another effect.
    expect(await store.enqueue([{ ...waiting, key: `chat.mention:other-${name}` }], { inboundKey: `teams:c:${name}-m1`, now: AT })).toBe(false);
    const queued = (await store.effects({ incidentId: incident.id })).filter((e) => e.kind === 'chat.mention');
    expect(queued.map((e) => [e.key, e.notBefore])).toEqual([[waiting.key, waiting.notBefore]]);
    expect(queued[0].payload).toEqual(waiting.payload);
    expect(await store.seenInbound(`teams:c:${name}-m1`)).toBe(true);
  });

  test('an effect key is unique: the same cause never queues twice', async () => {
    const incident = await declared();
    const change = commitFor({ type: 'ChangeSeverity', severity: 1, at: AT, by: jo }, incident);
    expect(await store.commit(change)).toEqual({ ok: true });
    const effects = await store.effects({ incidentId: incident.id });
    expect(new Set(effects.map((e) => e.key)).size).toBe(effects.length);
  });

  test('conversation lookup finds the active incidents, newest first, across threads of a channel', async () => {
    const channel = `19:${name}-lookup@thread.tacv2`;
    const origin = { id: `${channel};messageid=1`, serviceUrl: 'https://smba.example/' };
    const older = await declared({ origin });
    const newer = await declared({ origin: { ...origin, id: `${channel};messageid=2` } });
    expect((await store.activeIn(`${channel};messageid=77`)).map((i) => i.id)).toEqual([newer.id, older.id]);
    const resolved = commitFor({ type: 'ResolveIncident', at: AT, by: jo }, newer);
    expect(await store.commit(resolved)).toEqual({ ok: true });
    expect((await store.activeIn(channel)).map((i) => i.id)).toEqual([older.id]);
    expect(await store.activeIn('19:nowhere@thread.tacv2')).toEqual([]);
    expect((await store.allIn(channel)).map((i) => i.id)).toEqual([newer.id, older.id]); // resolved ones too
    expect((await store.list({ status: 'resolved' })).map((i) => i.id)).toContain(newer.id);
  });

  test('the incidents owning a thread are found by index, whatever else the channel holds (issue 15 item 7)', async () => {
    const channel = `19:${name}-owners@thread.tacv2`;
    const place = (id: string) => ({ id, serviceUrl: 'https://smba.example/', isChannel: true });
    const declaredIn: Incident[] = [];
    for (let n = 0; n < 30; n++) declaredIn.push(await declared({ origin: place(`${channel};messageid=${n}`) }));
    const ids = (incidents: Incident[]) => incidents.map((i) => i.id);
    // The thread where each was declared is its own, and only its own.
    expect(ids(await store.owningIn(`${channel};messageid=7`, 100))).toEqual([declaredIn[7].id]);
    expect(await store.owningIn(`${channel};messageid=999`, 100)).toEqual([]);
    expect(await store.owningIn(channel, 100)).toEqual([]);
    expect(await store.activeIn(channel, 5)).toHaveLength(5);
    // A channel of its own owns every thread of it (rank 1); an announcements channel owns none but the card's thread.
    const own = `19:${name}-own@thread.tacv2`;
    const withChannel = commitFor({ type: 'AddPlace', conversation: place(own), at: AT, by: jo }, declaredIn[3]);
    expect(await store.commit(withChannel)).toEqual({ ok: true });
    expect(ids(await store.owningIn(`${own};messageid=42`, 100))).toEqual([declaredIn[3].id]);
    const announcements = `19:${name}-announcements@thread.tacv2`;
    const announced = await declared({ origin: place(`${channel};messageid=100`), announceIn: [place(announcements)] });
    const card = commitFor({ type: 'RecordCardPosted', conversationId: announcements, postedIn: `${announcements};messageid=5`, activityId: '5', at: AT, by: jo }, announced);
    expect(await store.commit(card)).toEqual({ ok: true });
    expect(ids(await store.owningIn(`${announcements};messageid=5`, 100))).toEqual([announced.id]);
    expect(await store.owningIn(`${announcements};messageid=6`, 100)).toEqual([]);
    // Active ones first, then the newest: a resolved owner still owns its thread.
    const resolved = commitFor({ type: 'ResolveIncident', at: AT, by: jo }, withChannel.state);
    expect(await store.commit(resolved)).toEqual({ ok: true });
    expect((await store.owningIn(`${own};messageid=42`, 100)).map((i) => i.status)).toEqual(['resolved']);
  });

  test('a message recorded on a timeline finds its incident by index, in its own channel only', async () => {
    const channel = `19:${name}-recorded@thread.tacv2`;
    const incident = await declared({ origin: { id: `${channel};messageid=1`, serviceUrl: 'https://smba.example/', isChannel: true } });
    await declared({ origin: { id: `${channel};messageid=2`, serviceUrl: 'https://smba.example/', isChannel: true } });
    const messageId = `${name}-said-1`;
    const recorded = commitFor({ type: 'RecordMessage', messageId, text: 'rolled back 4410', author: jo, sentAt: AT, at: AT, by: jo }, incident);
    expect(await store.commit(recorded)).toEqual({ ok: true });
    expect((await store.recordedIn(`${channel};messageid=1`, messageId))?.id).toBe(incident.id);
    expect(await store.recordedIn(`${channel};messageid=1`, `${name}-said-2`)).toBeNull();
    expect(await store.recordedIn('19:elsewhere@thread.tacv2', messageId)).toBeNull();
  });

  test('resource lookup finds incidents by a fragment of a resource URL, exactly as given', async () => {
    const docId = `1a_${name}-Doc_id`;
    const plain = await declared();
    const withDoc = commitFor({ type: 'RecordResourceReady', resource: 'doc', url: `https://docs.google.com/document/d/${docId}/edit`, label: 'doc', at: AT, by: jo }, plain);
    expect(await store.commit(withDoc)).toEqual({ ok: true });
    expect((await store.withResourceUrl('doc', docId)).map((i) => i.id)).toEqual([plain.id]);
    // `_` is not a wildcard, and the kind matters.
    expect(await store.withResourceUrl('doc', docId.replace(/_/g, 'x'))).toEqual([]);
    expect(await store.withResourceUrl('channel', docId)).toEqual([]);
  });

  describe('the outbox', () => {
    const T0 = '2026-03-15T01:00:00.000Z';
    const plus = (ms: number) => new Date(new Date(T0).getTime() + ms).toISOString();

    // Drain what other tests queued (in whatever order they ran), so each test here claims only its own effects.
    beforeEach(async () => {
      while ((await store.claimEffects(plus(0), 100, 1)).length) { /* lease everything briefly */ }
      for (const e of await store.claimEffects('2100-01-01T00:00:00.000Z', 1000, 1)) await store.completeEffect(e, T0);
    });

    test('claims due effects once, leases them, retries and completes', async () => {
      const incident = await declared();
      const [effect] = await store.claimEffects(plus(1), 10, 60_000);
      expect(effect).toMatchObject({ kind: 'card.post', incidentId: incident.id, attempts: 1 });
      expect(await store.claimEffects(plus(2), 10, 60_000)).toEqual([]); // leased

      expect(await store.retryEffect(effect, 'HTTP 503', plus(5_000))).toBe(true);
      expect(await store.claimEffects(plus(4_000), 10, 60_000)).toEqual([]); // not due yet
      const [again] = await store.claimEffects(plus(5_000), 10, 60_000);
      expect(again).toMatchObject({ id: effect.id, attempts: 2, lastError: 'HTTP 503' });

      expect(await store.completeEffect(again, plus(5_001))).toBe(true);
      expect(await store.claimEffects(plus(999_999), 10, 60_000)).toEqual([]);
      expect((await store.effects({ incidentId: incident.id }))[0]).toMatchObject({ outcome: 'done' });
    });

    test('an effect can be claimed by its key before it is due, once (a reply sent right after the answer)', async () => {
      const incident = await declared();
      const reply = { kind: 'chat.reply' as const, key: `chat.reply:${incident.id}`, incidentId: incident.id, notBefore: plus(60_000), payload: { conversation: incident.origin, text: 'Declared' } };
      expect(await store.commit(commitFor({ type: 'ChangeSeverity', severity: 1, at: AT, by: jo }, incident, { effects: [reply], now: T0 }))).toEqual({ ok: true });
      expect((await store.claimEffects(plus(1), 100, 60_000)).map((e) => e.key)).not.toContain(reply.key); // not due for workers
      const claimed = await store.claimEffect(reply.key, plus(2), 60_000);
      expect(claimed).toMatchObject({ key: reply.key, attempts: 1 });
      expect(await store.claimEffect(reply.key, plus(3), 60_000)).toBeUndefined(); // leased
      expect((await store.claimEffects(plus(60_001), 100, 60_000)).map((e) => e.key)).not.toContain(reply.key); // due now, but leased
      expect(await store.completeEffect(claimed!, plus(4))).toBe(true);
      expect(await store.claimEffect(reply.key, plus(120_000), 60_000)).toBeUndefined(); // done
    });

    test('an expired lease (a crashed worker) makes the effect claimable again', async () => {
      const incident = await declared();
      const [effect] = (await store.claimEffects(plus(10_000), 10, 1_000)).filter((e) => e.incidentId === incident.id);
      expect(effect).toBeDefined();
      const reclaimed = await store.claimEffects(plus(11_000), 10, 1_000);
      expect(reclaimed.map((e) => e.id)).toContain(effect.id);
    });

    test('a failed effect is done, with its reason', async () => {
      const incident = await declared();
      const [effect] = (await store.claimEffects(plus(20_000), 10, 1_000)).filter((e) => e.incidentId === incident.id);
      expect(await store.failEffect(effect, 'missing permission', plus(20_001))).toBe(true);
      expect((await store.effects({ incidentId: incident.id }))[0]).toMatchObject({ outcome: 'failed', lastError: 'missing permission' });
      expect(await store.effects({ incidentId: incident.id, pending: true })).toEqual([]);
    });

    test('a commit can complete the effect whose result it records', async () => {
      const incident = await declared();
      const [effect] = (await store.claimEffects(plus(30_000), 10, 60_000)).filter((e) => e.incidentId === incident.id);
      const posted = commitFor(
        { type: 'RecordCardPosted', conversationId: incident.origin.id, postedIn: incident.origin.id, activityId: 'act-1', at: AT, by: jo },
        incident,
        { completesEffect: effect },
      );
      expect(await store.commit(posted)).toEqual({ ok: true });
      expect((await store.effects({ incidentId: incident.id }))[0].outcome).toBe('done');
    });

    test('a commit recording the result of a lost claim is refused whole', async () => {
      const incident = await declared();
      const [stale] = (await store.claimEffects(plus(50_000), 10, 1_000)).filter((e) => e.incidentId === incident.id);
      const [current] = (await store.claimEffects(plus(52_000), 10, 60_000)).filter((e) => e.id === stale.id);
      const posted = (activityId: string, claim: typeof stale) =>
        commitFor({ type: 'RecordCardPosted', conversationId: incident.origin.id, postedIn: incident.origin.id, activityId, at: AT, by: jo }, incident, { completesEffect: claim });
      expect(await store.commit(posted('late', stale))).toEqual({ ok: false, reason: 'lease-lost' });
      expect(await store.events(incident.id)).toHaveLength(1);
      expect(await store.commit(posted('current', current))).toEqual({ ok: true });
      expect((await store.load(incident.id))!.cards.map((c) => c.activityId)).toEqual(['current']);
    });

    test('two workers claiming at once never get the same effect', async () => {
      for (let i = 0; i < 6; i++) await declared();
      const [a, b] = await Promise.all([store.claimEffects(plus(40_000), 3, 60_000), store.claimEffects(plus(40_000), 3, 60_000)]);
      const ids = [...a, ...b].map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(6);
    });
  });

  test('effects are listed in the order they were queued, past the ninth', async () => {
    for (let i = 0; i < 11; i++) await declared();
    const ids = (await store.effects()).map((e) => Number(e.id));
    expect(ids.length).toBeGreaterThan(10);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  test('concurrent commits on one incident: exactly one wins each version', async () => {
    const incident = await declared();
    const attempts = [1, 3, 4].map((severity) => commitFor({ type: 'ChangeSeverity', severity, at: AT, by: jo }, incident));
    const results = await Promise.all(attempts.map((c) => store.commit(c)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await store.events(incident.id)).toHaveLength(2);
  });
});
