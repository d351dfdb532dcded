import { decide } from '../../src/domain/decide';
import { evolveAll, type Incident, type IncidentEvent } from '../../src/domain/incident';
import type { Effect } from '../../src/domain/react';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { createPruner } from '../../src/workers/prune';
import { backends, freshPostgresUrl } from '../harness/databases';
import { AT, declareCommand } from '../domain/fixtures';

const DAY = 24 * 60 * 60_000;
const NOW = new Date('2026-04-01T00:00:00.000Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();

/** The outbox keeps done effects only as long as their keys matter (issue 15 item 6: the table grew with every note). */
describe.each(backends())('pruning done effects on $name', ({ name, available }) => {
  if (!available) {
    test.todo(`PostgreSQL is not available on this machine: the ${name} half is skipped`);
    return;
  }
  let store: Store;
  let n = 0;
  beforeAll(async () => {
    store = await openStore(name === 'postgres' ? await freshPostgresUrl() : 'pglite:memory');
  }, 60_000);
  afterAll(async () => store?.close());

  /** A fresh incident whose only effects are `effects`, each then settled as told (done/failed at a time, or left pending). */
  async function incidentWith(effects: { kind: string; settle?: { outcome: 'done' | 'failed'; at: string } }[]): Promise<Record<string, string>> {
    n += 1;
    const id = `${name}-prune-${n}`;
    const events = decide(declareCommand({ incidentId: id, number: 2000 + n }), null) as IncidentEvent[];
    const state: Incident = evolveAll(events, null)!;
    const made = effects.map((e, i) => ({ kind: e.kind, key: `${e.kind}:${id}:${i}`, incidentId: id, payload: {} }) as unknown as Effect);
    expect(await store.commit({ incidentId: id, expectedVersion: 0, events, state, effects: made, now: AT })).toEqual({ ok: true });
    const claimed = await store.claimEffects(NOW.toISOString(), 100, 60_000);
    const keys: Record<string, string> = {};
    for (const [i, e] of effects.entries()) {
      const key = `${e.kind}:${id}:${i}`;
      keys[`${e.kind}#${i}`] = key;
      const claim = claimed.find((c) => c.key === key)!;
      if (e.settle?.outcome === 'done') expect(await store.completeEffect(claim, e.settle.at)).toBe(true);
      else if (e.settle?.outcome === 'failed') expect(await store.failEffect(claim, 'gone', e.settle.at)).toBe(true);
      else expect(await store.releaseEffect(claim)).toBe(true);
    }
    return keys;
  }
  const left = async (keys: Record<string, string>) => {
    const all = new Set((await store.effects()).map((e) => e.key));
    return Object.fromEntries(Object.entries(keys).map(([k, key]) => [k, all.has(key)]));
  };
  const pruner = (batch?: number, maxBatches?: number) =>
    createPruner({ store, log: createLogger('error', () => undefined), now: () => NOW, retentionMs: 7 * DAY, batch, maxBatches });

  test('done replies, refreshes and timeline writes older than the retention go; recent, pending, failed and once-only ones stay', async () => {
    const keys = await incidentWith([
      { kind: 'chat.reply', settle: { outcome: 'done', at: daysAgo(8) } },
      { kind: 'timeline.sync', settle: { outcome: 'done', at: daysAgo(30) } },
      { kind: 'card.refresh', settle: { outcome: 'done', at: daysAgo(8) } },
      { kind: 'chat.reply', settle: { outcome: 'done', at: daysAgo(1) } },
      { kind: 'timeline.sync' },
      { kind: 'chat.reply', settle: { outcome: 'failed', at: daysAgo(30) } },
      // Its key is what keeps a second postmortem doc from being made after a reopen and a second resolution.
      { kind: 'postmortem.create', settle: { outcome: 'done', at: daysAgo(30) } },
      { kind: 'channel.join', settle: { outcome: 'done', at: daysAgo(30) } },
    ]);
    expect(await pruner().prune()).toBeGreaterThanOrEqual(3);
    expect(await left(keys)).toEqual({
      'chat.reply#0': false,
      'timeline.sync#1': false,
      'card.refresh#2': false,
      'chat.reply#3': true,
      'timeline.sync#4': true,
      'chat.reply#5': true,
      'postmortem.create#6': true,
      'channel.join#7': true,
    });
  });

  test('a round deletes at most batch × batches rows; the next round goes on', async () => {
    await pruner().prune(); // what earlier tests left
    const keys = await incidentWith(Array.from({ length: 5 }, () => ({ kind: 'chat.reply', settle: { outcome: 'done' as const, at: daysAgo(10) } })));
    expect(await pruner(2, 1).prune()).toBe(2);
    expect(Object.values(await left(keys)).filter(Boolean)).toHaveLength(3);
    expect(await pruner(2, 5).prune()).toBe(3);
    expect(Object.values(await left(keys)).filter(Boolean)).toHaveLength(0);
  });
});
