import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/open';
import { LeaseLost, type Store } from '../../src/store/store';
import { createRunner, type EffectHandler } from '../../src/workers/runner';
import { SYSTEM } from '../../src/workers/effects/system';
import { declareCommand } from '../domain/fixtures';
import { eventually } from '../harness/firebreak';

/** Leases: an attempt that runs past its time is aborted, and nothing it does afterwards counts. */
let store: Store;
const log = createLogger('error', () => undefined);
const now = () => new Date('2026-03-15T00:02:00.000Z');

beforeAll(async () => {
  store = await openStore('pglite:memory');
}, 60_000);
afterAll(async () => store.close());
// Each test starts from an empty outbox, whichever ran before: a claim a test leaves (leased into 2030, or handed
// back) would otherwise hold up another test's runner. Claimed far in the future so that every pending one is taken.
beforeEach(async () => {
  for (const e of await store.claimEffects('2100-01-01T00:00:00.000Z', 1000, 1)) await store.failEffect(e, 'left by an earlier test', now().toISOString());
});

async function declare(id: string) {
  let wake = () => undefined as void;
  const incidents = createIncidents(store, () => wake());
  const { number, ...cmd } = declareCommand({ incidentId: id, at: now().toISOString() });
  void number;
  expect((await incidents.declare(cmd)).kind).toBe('changed');
  return incidents;
}

/** An outside call that answers when `opened` resolves, unless its AbortSignal fired first (as fetch and gaxios do). */
function outsideCall(opened: Promise<void>, sent: string[], what: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason));
    void opened.then(() => {
      if (signal?.aborted) return;
      sent.push(what);
      resolve();
    });
  });
}

test('an attempt that times out is aborted before its outside call lands; the retry does the work once', async () => {
  await declare('lease-1');
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const sent: string[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const handler: EffectHandler = async (effect, signal) => {
    if (effect.incidentId !== 'lease-1') return;
    signals.push(signal);
    if (signals.length === 1) await outsideCall(opened, sent, 'first attempt', signal); // hangs past its time
    else sent.push('retry');
  };
  const runner = createRunner({ store, log, now, attemptTimeoutMs: 50, backoffMs: () => 0, handlers: { 'card.post': handler } });
  await runner.drain();
  open(); // the first attempt's call would answer now
  await new Promise((r) => setImmediate(r));

  expect(sent).toEqual(['retry']);
  expect(signals).toHaveLength(2);
  expect(signals[0]?.aborted).toBe(true);
  const effect = (await store.effects({ incidentId: 'lease-1' })).find((e) => e.kind === 'card.post')!;
  expect(effect).toMatchObject({ outcome: 'done', attempts: 2 });
});

test('a late result is discarded: the attempt that lost its lease can neither record nor settle the effect', async () => {
  const incidents = await declare('lease-2');
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const late: unknown[] = [];
  let attempts = 0;
  const handler: EffectHandler = async (effect) => {
    if (effect.incidentId !== 'lease-2') return;
    const activityId = ++attempts === 1 ? 'late' : 'retry';
    // The first attempt's outside call ignores its signal (not every call can be aborted) and answers after the retry.
    if (activityId === 'late') await opened;
    const record = incidents.run(
      'lease-2',
      { type: 'RecordCardPosted', conversationId: declareCommand().origin.id, postedIn: declareCommand().origin.id, activityId, at: now().toISOString(), by: SYSTEM },
      { completesEffect: effect },
    );
    if (activityId === 'late') late.push(await record.catch((err) => err));
    else await record;
  };
  const runner = createRunner({ store, log, now, attemptTimeoutMs: 50, backoffMs: () => 0, handlers: { 'card.post': handler } });
  await runner.drain();
  const [timedOut] = (await store.effects({ incidentId: 'lease-2' })).filter((e) => e.kind === 'card.post');
  expect(timedOut).toMatchObject({ outcome: 'done', attempts: 2 });
  open();
  await runner.drain();
  await eventually(() => (late.length ? true : undefined), "the late attempt's answer");

  expect(late).toHaveLength(1);
  expect(late[0]).toBeInstanceOf(LeaseLost);
  expect((await store.load('lease-2'))!.cards.map((c) => c.activityId)).toEqual(['retry']);
});

test('the lease a claim was given is the only way to settle it; a newer claim makes the older one void', async () => {
  await declare('lease-3');
  const at = '2030-01-01T00:00:00.000Z';
  const first = (await store.claimEffects(at, 100, 1_000)).find((e) => e.incidentId === 'lease-3')!;
  // The first claim's lease runs out, and another worker claims the effect.
  const second = (await store.claimEffects('2030-01-01T00:00:02.000Z', 100, 60_000)).find((e) => e.id === first.id)!;
  expect(second.lease).not.toBe(first.lease);
  expect(await store.completeEffect(first, at)).toBe(false);
  expect(await store.retryEffect(first, 'late', at)).toBe(false);
  expect(await store.failEffect(first, 'late', at)).toBe(false);
  await expect(store.noteEffectProgress(first, { posted: 'x' })).rejects.toBeInstanceOf(LeaseLost);
  expect((await store.effects({ incidentId: 'lease-3' })).find((e) => e.id === first.id)).toMatchObject({ outcome: null, lastError: null });

  expect(await store.completeEffect(second, at)).toBe(true);
  expect(await store.completeEffect(second, at)).toBe(false); // settled: the claim is over
});

test('a claim handed back (a shutdown) is claimable again at once, its attempt not counted', async () => {
  await declare('lease-4');
  const at = '2030-02-01T00:00:00.000Z';
  const claimed = (await store.claimEffects(at, 100, 60_000)).find((e) => e.incidentId === 'lease-4')!;
  expect(claimed.attempts).toBe(1);
  expect(await store.releaseEffect(claimed)).toBe(true);
  const again = (await store.claimEffects(at, 100, 60_000)).find((e) => e.id === claimed.id)!;
  expect(again.attempts).toBe(1);
  expect(await store.releaseEffect(claimed)).toBe(false);
});

test('stopping with a grace period hands back what is still running: aborted, and claimable again at once', async () => {
  await declare('lease-5');
  let signal: AbortSignal | undefined;
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const handler: EffectHandler = async (effect, s) => {
    if (effect.incidentId !== 'lease-5') return;
    signal = s;
    started();
    await new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason))); // a call that never answers
  };
  const runner = createRunner({ store, log, now, leaseMs: 60_000, handlers: { 'card.post': handler } });
  runner.start();
  await running;
  await runner.stop({ graceMs: 0 });

  expect(signal?.aborted).toBe(true);
  const effect = (await store.effects({ incidentId: 'lease-5' })).find((e) => e.kind === 'card.post')!;
  expect(effect).toMatchObject({ outcome: null, attempts: 0, lastError: null });
  const again = (await store.claimEffects(now().toISOString(), 100, 60_000)).find((e) => e.id === effect.id);
  expect(again).toBeDefined(); // no waiting for the lease to run out
});

test('a first fact recorded under a lease (not completing the effect) is refused whole once the claim has lapsed', async () => {
  const incidents = await declare('lease-6');
  const at = '2030-03-01T00:00:00.000Z';
  const first = (await store.claimEffects(at, 100, 1_000)).find((e) => e.incidentId === 'lease-6')!;
  const second = (await store.claimEffects('2030-03-01T00:00:02.000Z', 100, 60_000)).find((e) => e.id === first.id)!;
  const ready = (url: string) => ({ type: 'RecordResourceReady', resource: 'channel', url, label: '#inc', at, by: SYSTEM }) as const;

  await expect(incidents.run('lease-6', ready('https://teams.example/late'), { underLease: first })).rejects.toBeInstanceOf(LeaseLost);
  expect((await store.load('lease-6'))!.resources.channel).toBeUndefined();

  expect((await incidents.run('lease-6', ready('https://teams.example/current'), { underLease: second })).kind).toBe('changed');
  expect((await store.load('lease-6'))!.resources.channel?.url).toBe('https://teams.example/current');
  // Recorded under the lease, not completed by it: the effect is still this attempt's to settle.
  expect((await store.effects({ incidentId: 'lease-6' })).find((e) => e.id === second.id)).toMatchObject({ outcome: null });
  expect(await store.completeEffect(second, at)).toBe(true);
});
