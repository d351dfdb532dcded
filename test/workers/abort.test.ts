import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import type { GraphEmulator } from '../../src/sandbox/graph/server';
import { OutsideError } from '../../src/outside-error';
import { googleWorld, incident, type GoogleWorld } from '../integration/google/setup';
import { graphFor, SENDER, startEmulator } from '../integration/graph/setup';
import { unauthenticatedOutbox } from '../harness/outbox';

/**
 * An effect attempt's AbortSignal reaches the HTTP call of each adapter: once it fires, the call stops waiting for an
 * answer that is slow to come (each emulator holds its answer back), so the timed-out attempt ends with the runner's
 * reason instead of carrying on beside the retry.
 */
const SLOW_MS = 4_000;
const timedOut = () => new OutsideError('retryable', 'the attempt took longer than its time');

/** The runner's timer, fired while the call waits for its slow answer. */
function abortSoon(): AbortController {
  const controller = new AbortController();
  setTimeout(() => controller.abort(timedOut()), 300);
  return controller;
}
const theTimeout = expect.objectContaining({ kind: 'retryable', message: 'the attempt took longer than its time' });

describe('Graph', () => {
  let emulator: GraphEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  test('sendMail stops waiting when the signal fires, before Graph answers', async () => {
    const graph = graphFor(emulator);
    await graph.ensureBridge({ organizerId: '33333333-4444-4555-8666-777777777777', externalId: 'warm-up', subject: 's', start: new Date(), end: new Date(), fallback: 'none' }); // the token, first
    emulator.fault({ match: /sendMail/, latencyMs: SLOW_MS, times: 1 });
    const controller = abortSoon();
    const sending = graph.sendMail({ sender: SENDER, to: ['incidents@contoso.test'], subject: 'INC-1', text: 'x', key: 'mail.send:abort-1' }, controller.signal);
    await expect(sending).rejects.toThrow();
    expect(controller.signal.aborted).toBe(true);
    // Graph has not answered yet: the call did not wait for it.
    expect(emulator.requests.filter((r) => r.path.includes('sendMail'))).toEqual([]);
  });
});

describe('Bot Connector', () => {
  let channel: BotChannel;
  beforeAll(async () => {
    channel = await startBotChannel({ requireAuth: false });
  });
  afterAll(() => channel.close());

  test('posting a message stops waiting when the signal fires, before the connector answers', async () => {
    const teams = unauthenticatedOutbox(() => new Date());
    channel.fault({ latencyMs: SLOW_MS, times: 1 });
    const controller = abortSoon();
    const posting = teams.postMessage({ id: '19:ops@thread.tacv2;messageid=1', serviceUrl: channel.serviceUrl }, { subject: 'INC-1', lines: ['x'] }, controller.signal);
    await expect(posting).rejects.toEqual(theTimeout);
    expect(channel.recorded).toEqual([]);
  });
});

describe('Google', () => {
  let world: GoogleWorld;
  beforeAll(async () => {
    world = await googleWorld();
  });
  afterAll(() => world.close());

  test('creating the doc stops waiting when the signal fires, and tries nothing more', async () => {
    const before = world.sandbox.calls.length;
    world.sandbox.fault({ match: 'drive.files.list', latencyMs: SLOW_MS, times: 1 });
    const controller = abortSoon();
    const creating = world.docs.create(incident(77), controller.signal);
    await expect(creating).rejects.toEqual(theTimeout);
    expect(world.sandbox.calls.slice(before).filter((c) => c.method.startsWith('drive.files.'))).toEqual([]);
  });
});
