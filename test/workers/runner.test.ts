import { createIncidents } from '../../src/app/incidents';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/open';
import type { Store, StoredEffect } from '../../src/store/store';
import { OutsideError } from '../../src/outside-error';
import { reportGiveUp } from '../../src/workers/give-up';
import { createRunner, type EffectHandler } from '../../src/workers/runner';
import { declareCommand } from '../domain/fixtures';
import { eventually } from '../harness/firebreak';

let store: Store;
const log = createLogger('error', () => undefined);
let clock = new Date('2026-03-15T00:00:00.000Z');
const now = () => clock;

beforeAll(async () => {
  store = await openStore('pglite:memory');
}, 60_000);
afterAll(async () => store.close());
// Every runner here drains the whole outbox: each test starts from one that holds nothing of the tests before it,
// whichever ran before.
beforeEach(async () => {
  // Claimed far in the future, so every pending one is taken (a claim is what settling an effect needs).
  for (const effect of await store.claimEffects('2100-01-01T00:00:00.000Z', 1000, 1)) await store.failEffect(effect, 'left by an earlier test', clock.toISOString());
});

/** Effects still to run now (reminders set for later don't count). */
async function due(incidentId: string) {
  return (await store.effects({ incidentId, pending: true })).filter((e) => new Date(e.notBefore) <= clock);
}

async function declare(id: string, provisioning: ('channel' | 'doc')[] = [], mail = false) {
  const incidents = createIncidents(store);
  const { number, ...cmd } = declareCommand({ incidentId: id, provisioning, mail, at: clock.toISOString() });
  void number;
  const outcome = await incidents.declare(cmd);
  expect(outcome.kind).toBe('changed');
  return incidents;
}

test('effects run, a retryable failure is retried after its backoff (honouring Retry-After), then done', async () => {
  await declare('r-1');
  const calls: string[] = [];
  let failures = 1;
  const handler: EffectHandler = async (effect) => {
    calls.push(effect.kind);
    if (failures-- > 0) throw new OutsideError('retryable', 'HTTP 429', 30);
  };
  const runner = createRunner({ store, log, now, handlers: { 'card.post': handler }, backoffMs: () => 10 });
  await runner.drain();
  expect(calls).toEqual(['card.post']);
  const pending = (await store.effects({ incidentId: 'r-1', pending: true })).find((e) => e.kind === 'card.post')!;
  expect(pending).toMatchObject({ lastError: 'HTTP 429', attempts: 1 });
  expect(new Date(pending.notBefore).getTime() - clock.getTime()).toBe(30_000); // Retry-After wins over a 10 ms backoff

  clock = new Date(clock.getTime() + 30_000);
  await runner.drain();
  expect(calls).toEqual(['card.post', 'card.post']);
  expect(await due('r-1')).toEqual([]);
});

test('a permanent failure gives up at once and the incident says so', async () => {
  const incidents = await declare('r-2', ['channel']);
  const runner = createRunner({
    store,
    log,
    now,
    handlers: {
      'card.post': async () => undefined,
      'channel.create': async () => {
        throw new OutsideError('permanent', 'Graph 403: the app lacks the application permission Channel.Create');
      },
      'card.refresh': async () => undefined,
      'message.post': async () => undefined,
    },
    onGiveUp: reportGiveUp(incidents, now),
  });
  await runner.drain();
  const incident = await store.load('r-2');
  expect(incident!.resources.channel).toEqual({ status: 'failed', detail: 'Graph 403: the app lacks the application permission Channel.Create' });
  const effects = await store.effects({ incidentId: 'r-2' });
  expect(effects.find((e) => e.kind === 'channel.create')).toMatchObject({ outcome: 'failed', attempts: 1 });
  expect(effects.filter((e) => e.kind === 'message.post')).toHaveLength(1); // "Firebreak gave up creating the channel: ..."
});

test('an effect still failing after the give-up time is given up', async () => {
  await declare('r-3');
  const runner = createRunner({
    store,
    log,
    now,
    handlers: { 'card.post': async () => Promise.reject(new Error('socket hang up')) },
    backoffMs: () => 1,
    giveUpAfterMs: 60_000,
  });
  await runner.drain();
  const cardPost = async () => (await store.effects({ incidentId: 'r-3' })).find((e) => e.kind === 'card.post')!;
  let effect = await cardPost();
  expect(effect.outcome).toBeNull(); // unclassified errors are retried
  clock = new Date(clock.getTime() + 61_000);
  await runner.drain();
  effect = await cardPost();
  expect(effect).toMatchObject({ outcome: 'failed', lastError: 'socket hang up' });
});

test('effects of one event run concurrently, each on its own', async () => {
  await declare('r-4', ['channel', 'doc']);
  let active = 0;
  let peak = 0;
  // Each waits until the other is running too: run one after the other, neither would ever see two.
  const slow: EffectHandler = async () => {
    active++;
    peak = Math.max(peak, active);
    await eventually(() => (active >= 2 ? true : undefined), 'both effects running at once', 5_000).finally(() => active--);
  };
  const seen: StoredEffect['kind'][] = [];
  const runner = createRunner({
    store,
    log,
    now,
    handlers: { 'card.post': slow, 'channel.create': slow, 'doc.create': async (e) => void seen.push(e.kind) },
  });
  await runner.drain();
  expect(peak).toBe(2);
  expect(seen).toEqual(['doc.create']);
  expect(await due('r-4')).toEqual([]);
});

test('a mail given up is said in the incident conversation', async () => {
  const incidents = await declare('r-5', [], true);
  const said: string[] = [];
  const runner = createRunner({
    store,
    log,
    now,
    handlers: {
      'card.post': async () => undefined,
      'message.post': async (e) => void said.push(JSON.stringify(e.payload)),
      'mail.send': async () => {
        throw new OutsideError('permanent', 'Graph 403: the app lacks the application permission Mail.Send');
      },
    },
    onGiveUp: reportGiveUp(incidents, now),
  });
  await runner.drain();
  expect((await store.events('r-5')).map((e) => e.event.type)).toContain('MailFailed');
  expect(said).toHaveLength(1);
  expect(said[0]).toContain('an email to the incidents list could not be sent');
  expect(said[0]).toContain('Mail.Send');
});

test('at most `concurrency` effects run at once; the rest wait their turn', async () => {
  await declare('r-6', ['channel', 'doc']);
  let inFlight = 0;
  let peak = 0;
  let claimedAtOnce = 0;
  const ran: string[] = [];
  // While one runs, the store shows what else the runner has taken on: nothing, if it waits its turn.
  const slow: EffectHandler = async (e) => {
    peak = Math.max(peak, ++inFlight);
    const claimed = (await store.effects({ incidentId: 'r-6', pending: true })).filter((x) => x.attempts > 0);
    claimedAtOnce = Math.max(claimedAtOnce, claimed.length);
    inFlight--;
    if (e.incidentId === 'r-6') ran.push(e.kind);
  };
  const runner = createRunner({ store, log, now, concurrency: 1, handlers: { 'card.post': slow, 'channel.create': slow, 'doc.create': slow } });
  await runner.drain();
  expect(peak).toBe(1);
  expect(claimedAtOnce).toBe(1);
  expect(ran.sort()).toEqual(['card.post', 'channel.create', 'doc.create']);
});

test('a conflict is retried soon but not at once, so a losing writer never spins', async () => {
  await declare('r-7');
  const runner = createRunner({
    store,
    log,
    now,
    pollMs: 20,
    handlers: {
      'card.post': async (e) => {
        if (e.incidentId === 'r-7') throw new OutsideError('conflict', 'someone else changed it first');
      },
    },
  });
  runner.start(); // running, not draining: the effect is not due again until its wait is over
  const cardOf = async (id: string) => (await store.effects({ incidentId: id })).find((e) => e.kind === 'card.post')!;
  await eventually(async () => ((await cardOf('r-7')).lastError ? true : undefined), 'the first attempt, refused');
  // The runner goes on claiming (a later incident's card is posted) and still leaves the conflicted one waiting.
  await declare('r-7-later');
  runner.wake();
  await eventually(async () => ((await cardOf('r-7-later')).outcome === 'done' ? true : undefined), 'a later effect run');
  await runner.stop();
  const pending = (await store.effects({ incidentId: 'r-7', pending: true })).find((e) => e.kind === 'card.post')!;
  const wait = new Date(pending.notBefore).getTime() - clock.getTime();
  expect(pending.attempts).toBe(1);
  expect(wait).toBeGreaterThanOrEqual(20);
  expect(wait).toBeLessThanOrEqual(200);
});

/** A runner whose `kind` handler always answers 503 for one incident (a 30-minute give-up, retries a minute apart). */
function alwaysUnavailable(kind: string, incidentId: string) {
  let calls = 0;
  const runner = createRunner({
    store,
    log,
    now,
    giveUpAfterMs: 30 * 60_000,
    backoffMs: () => 60_000,
    handlers: {
      'card.post': async () => undefined,
      [kind]: async (e: { incidentId?: string }) => {
        if (e.incidentId !== incidentId) return;
        calls++;
        throw new OutsideError('retryable', 'HTTP 503');
      },
    },
  });
  return { runner, calls: () => calls };
}

test('a reminder given up is measured from when it was due, not from when it was set', async () => {
  await declare('r-8');
  const reminder = (await store.effects({ incidentId: 'r-8', pending: true })).find((e) => e.kind === 'reminder.update')!;
  const dueAt = new Date((reminder.payload as { due: string }).due);
  const saved = clock;
  clock = new Date(dueAt.getTime() + 60_000); // due a minute ago, set an hour before: past a 30 min give-up if measured from creation
  const failing = alwaysUnavailable('reminder.update', 'r-8');
  await failing.runner.drain();
  clock = saved;
  expect(failing.calls()).toBe(1);
  const after = (await store.effects({ incidentId: 'r-8' })).find((e) => e.id === reminder.id)!;
  expect(after.outcome ?? null).toBeNull(); // still pending, to be retried
});

test('an effect that runs again is measured for giving up from its latest run, not its first', async () => {
  await declare('r-9');
  const reminder = (await store.effects({ incidentId: 'r-9', pending: true })).find((e) => e.kind === 'reminder.update')!;
  const dueAt = new Date((reminder.payload as { due: string }).due).getTime();
  const saved = clock;
  let runs = 0;
  const runner = createRunner({
    store,
    log,
    now,
    giveUpAfterMs: 30 * 60_000,
    backoffMs: () => 60_000,
    handlers: {
      'card.post': async () => undefined,
      'reminder.update': async (e) => {
        if (e.incidentId !== 'r-9') return;
        if (++runs < 3) return { runAgainAt: new Date(clock.getTime() + 20 * 60_000).toISOString() };
        throw new OutsideError('retryable', 'HTTP 503'); // 40 minutes after it was first due
      },
    },
  });
  for (const minutes of [0, 20, 40]) {
    clock = new Date(dueAt + minutes * 60_000);
    await runner.drain();
  }
  clock = saved;
  expect(runs).toBe(3);
  const after = (await store.effects({ incidentId: 'r-9' })).find((e) => e.id === reminder.id)!;
  expect(after.outcome ?? null).toBeNull(); // a passing failure, to be retried, not given up
});

test('runNow runs one effect by its key before it is due, like any other: a failure is left for a retry', async () => {
  const incidents = createIncidents(store);
  const { number, ...cmd } = declareCommand({ incidentId: 'r-now', at: clock.toISOString() });
  void number;
  const later = new Date(clock.getTime() + 60_000).toISOString();
  const reply = { kind: 'chat.reply' as const, key: 'chat.reply:r-now', incidentId: 'r-now', notBefore: later, payload: { conversation: cmd.origin, text: 'Declared' } };
  expect((await incidents.declare(cmd, { alsoEffects: () => [reply] })).kind).toBe('changed');
  const sent: string[] = [];
  let failures = 1;
  const runner = createRunner({ store, log, now, handlers: { 'chat.reply': async (e) => { if (failures-- > 0) throw new OutsideError('retryable', 'HTTP 503'); sent.push(e.key); } }, backoffMs: () => 10 });
  runner.start();
  try {
    await runner.runNow(reply.key);
    expect(sent).toEqual([]);
    expect((await store.effects({ incidentId: 'r-now' })).find((e) => e.key === reply.key)).toMatchObject({ attempts: 1, lastError: 'HTTP 503', outcome: null });
    clock = new Date(clock.getTime() + 1_000);
    await runner.runNow(reply.key);
    expect(sent).toEqual([reply.key]);
    await runner.runNow(reply.key); // done: nothing more
    expect(sent).toEqual([reply.key]);
  } finally {
    await runner.stop();
  }
});

test('an effect scheduled hours after it was written (a hand-off reminder) is measured from when it was first due, over retries', async () => {
  await declare('r-10');
  const handoff = (await store.effects({ incidentId: 'r-10', pending: true })).find((e) => e.kind === 'reminder.handoff')!;
  expect(Date.parse(handoff.notBefore) - Date.parse(handoff.createdAt)).toBeGreaterThan(30 * 60_000); // a payload without `due`
  const saved = clock;
  const failing = alwaysUnavailable('reminder.handoff', 'r-10');
  try {
    clock = new Date(Date.parse(handoff.notBefore) + 1_000);
    await failing.runner.drain();
    clock = new Date(Date.parse(handoff.notBefore) + 2 * 60_000); // the retry, still within 30 minutes of being due
    await failing.runner.drain();
  } finally {
    clock = saved;
  }
  expect(failing.calls()).toBe(2);
  const after = (await store.effects({ incidentId: 'r-10' })).find((e) => e.id === handoff.id)!;
  expect(after.outcome ?? null).toBeNull(); // still pending, to be retried
});

test('effects waiting long in their attempt (a slow lane: Docs waiting for the quota) never take every slot: the card still goes out', async () => {
  // Four incidents with a doc each: four doc.create attempts that wait (the Docs budget), then one card each.
  for (const id of ['lane-1', 'lane-2', 'lane-3', 'lane-4']) await declare(id, ['doc']);
  let release!: () => void;
  const docsWait = new Promise<void>((r) => (release = r));
  const started: string[] = [];
  const handlers: Record<string, EffectHandler> = {
    'doc.create': async (effect) => {
      started.push(`${effect.kind} ${effect.incidentId}`);
      await docsWait;
    },
    'card.post': async (effect) => void started.push(`${effect.kind} ${effect.incidentId}`),
  };
  const runner = createRunner({ store, log, now, handlers, concurrency: 3, batch: 3, pollMs: 20, slowLane: { kinds: ['doc.create'], concurrency: 2 } });
  runner.start();
  try {
    await eventually(() => (started.filter((s) => s.startsWith('card.post')).length === 4 ? true : undefined), 'every card posted while the docs wait');
    // At most two docs at once, whatever else was due.
    expect(started.filter((s) => s.startsWith('doc.create')).length).toBeLessThanOrEqual(2);
  } finally {
    release();
    await runner.stop();
  }
  await runner.drain();
  expect(started.filter((s) => s.startsWith('doc.create')).sort()).toEqual(['doc.create lane-1', 'doc.create lane-2', 'doc.create lane-3', 'doc.create lane-4']);
});
