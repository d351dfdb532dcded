import type { GraphEmulator } from '../../../src/sandbox/graph/server';
import { OutsideError } from '../../../src/outside-error';
import { ALICE_OID, BOB_OID, CHANNELS_PATH, graphCalls, graphFor, ORGANIZER, SENDER, startEmulator, TEAM } from './setup';

/** The real Graph adapter (SDK middleware chain, @azure/identity, HTTPS) against the emulator. */
let emulator: GraphEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

const channelRequest = (over: Partial<Parameters<ReturnType<typeof graphFor>['ensureChannel']>[0]> = {}) => ({
  teamId: TEAM,
  incidentId: 'c0ffee00-0000-4000-8000-000000000042',
  label: 'INC-42',
  number: 42,
  title: 'Checkout API returning 500s',
  private: false,
  owners: [],
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<OutsideError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutsideError);
  return err as OutsideError;
}

describe('incident channel', () => {
  test('is created in the team with a Teams-safe name and the id and webUrl Graph returns', async () => {
    const channel = await graphFor(emulator).ensureChannel(channelRequest());
    expect(channel.name).toBe('inc-42-checkout-api-returning-500s');
    expect(channel.id).toMatch(/^19:[0-9a-f]{32}@thread\.tacv2$/);
    const [made] = emulator.channels(TEAM);
    expect(made).toMatchObject({ id: channel.id, webUrl: channel.webUrl, membershipType: 'standard' });
    // Teams' own link shape (only local mode's emulator links to the sandbox pages instead).
    expect(channel.webUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/channel\/19%3A[0-9a-f]{32}%40thread\.tacv2\/inc-42-checkout-api-returning-500s\?groupId=/);
    expect(made.description).toContain('[firebreak:c0ffee00-0000-4000-8000-000000000042]');
  });

  test('asked again, finds the channel it made instead of making another', async () => {
    const graph = graphFor(emulator);
    const first = await graph.ensureChannel(channelRequest());
    const second = await graph.ensureChannel(channelRequest());
    expect(second).toEqual(first);
    expect(emulator.channels()).toHaveLength(1);
    // It looks before it creates: the second time there is no create at all, not even a refused one.
    expect(graphCalls(emulator)).toEqual([`GET ${CHANNELS_PATH} 200`, `POST ${CHANNELS_PATH} 201`, `GET ${CHANNELS_PATH} 200`]);
  });

  test('when the answer to the create is lost, the retry finds the channel that was made', async () => {
    emulator.fault({ match: /^POST .*\/channels$/, drop: 'after', times: 1 });
    const graph = graphFor(emulator);
    const lost = await failure(graph.ensureChannel(channelRequest()));
    expect(lost.kind).toBe('retryable');
    expect(emulator.channels()).toHaveLength(1); // it was made; the caller just never heard

    const channel = await graph.ensureChannel(channelRequest());
    expect(channel.id).toBe(emulator.channels()[0].id);
    expect(emulator.channels()).toHaveLength(1);
  });

  test("leaves a same-named channel that isn't this incident's alone and takes the next name", async () => {
    const graph = graphFor(emulator);
    await graph.ensureChannel(channelRequest({ incidentId: 'an-older-install' }));
    const channel = await graph.ensureChannel(channelRequest());
    expect(channel.name).toBe('inc-42-checkout-api-returning-500s-2');
    expect(emulator.channels()).toHaveLength(2);
  });

  test("a deleted channel's reserved name (Graph's 400 'Channel name already existed') moves on to the next name", async () => {
    emulator.reserveChannelName(TEAM, 'inc-42-checkout-api-returning-500s');
    const channel = await graphFor(emulator).ensureChannel(channelRequest());
    expect(channel.name).toBe('inc-42-checkout-api-returning-500s-2');
    expect(graphCalls(emulator)).toEqual([
      `GET ${CHANNELS_PATH} 200`,
      `POST ${CHANNELS_PATH} 400`,
      `GET ${CHANNELS_PATH} 200`, // taken yet not listed: looked at once more before moving on
      `GET ${CHANNELS_PATH} 200`,
      `POST ${CHANNELS_PATH} 201`,
    ]);
  });

  test('any other 400 on the create is a failure to report, not a name to skip', async () => {
    emulator.fault({ match: /^POST .*\/channels$/, status: 400, times: 1 });
    const err = await failure(graphFor(emulator).ensureChannel(channelRequest()));
    expect(err.kind).toBe('permanent');
    expect(emulator.channels()).toEqual([]);
    expect(graphCalls(emulator)).toEqual([`GET ${CHANNELS_PATH} 200`, `POST ${CHANNELS_PATH} 400`]);
  });

  test('a private incident gets a private channel with the commander and declarer as owners', async () => {
    await graphFor(emulator).ensureChannel(channelRequest({ private: true, owners: [BOB_OID, ALICE_OID, BOB_OID] }));
    const [made] = emulator.channels();
    expect(made.membershipType).toBe('private');
    expect(made.members).toEqual([
      { userId: BOB_OID, roles: ['owner'] },
      { userId: ALICE_OID, roles: ['owner'] },
    ]);
  });

  test('a private channel without anyone to own it is refused plainly, without calling Graph', async () => {
    const err = await failure(graphFor(emulator).ensureChannel(channelRequest({ private: true, owners: [] })));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/needs an owner/);
    expect(graphCalls(emulator)).toEqual([]);
  });
});

describe('meeting bridge', () => {
  const bridgeRequest = { organizerId: ORGANIZER, externalId: 'inc-uuid-1', subject: 'INC-42: Checkout API', start: new Date('2026-01-01T10:00:00Z'), end: new Date('2026-01-02T10:00:00Z'), fallback: 'none' as const };

  test('createOrGet by the incident id returns one meeting however often it is asked', async () => {
    const graph = graphFor(emulator);
    const first = await graph.ensureBridge(bridgeRequest);
    const second = await graph.ensureBridge(bridgeRequest);
    expect(first.joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(second).toEqual(first);
    expect(emulator.meetings()).toHaveLength(1);
    expect(emulator.meetings()[0]).toMatchObject({ externalId: 'inc-uuid-1', subject: 'INC-42: Checkout API', organizerId: ORGANIZER });
    const path = `/v1.0/users/${ORGANIZER}/onlineMeetings/createOrGet`;
    expect(graphCalls(emulator)).toEqual([`POST ${path} 201`, `POST ${path} 200`]);
  });

  test('without an application access policy the refusal names what the admin must grant', async () => {
    await emulator.close();
    emulator = await startEmulator({ accessPolicy: false });
    const err = await failure(graphFor(emulator).ensureBridge(bridgeRequest));
    expect(err.kind).toBe('permanent');
    expect(err.message).toContain('OnlineMeetings.ReadWrite.All');
    expect(err.message).toContain('application access policy');
  });

  test('configured to, falls back to a calendar event with a Teams meeting, once per incident', async () => {
    await emulator.close();
    emulator = await startEmulator({ accessPolicy: false });
    const graph = graphFor(emulator);
    const first = await graph.ensureBridge({ ...bridgeRequest, fallback: 'calendar' });
    const second = await graph.ensureBridge({ ...bridgeRequest, fallback: 'calendar' });
    expect(first.via).toBe('calendarEvent');
    expect(second.joinWebUrl).toBe(first.joinWebUrl);
    expect(emulator.events()).toHaveLength(1);
    expect(emulator.events()[0]).toMatchObject({ transactionId: 'inc-uuid-1', start: { dateTime: '2026-01-01T10:00:00.000', timeZone: 'UTC' } });
  });
});

describe('announcement email', () => {
  test('is accepted (202) and lands in the mailbox with its effect key as a header', async () => {
    await graphFor(emulator).sendMail({ sender: SENDER, to: ['incidents@contoso.test', 'ops@contoso.test'], subject: 'INC-42: Checkout', text: 'Severity 2, phase 1.', key: 'mail.send:x:declaration' });
    expect(emulator.mailbox()).toEqual([
      expect.objectContaining({
        from: SENDER,
        to: ['incidents@contoso.test', 'ops@contoso.test'],
        subject: 'INC-42: Checkout',
        contentType: 'text',
        body: 'Severity 2, phase 1.',
        headers: { 'x-firebreak-key': 'mail.send:x:declaration' },
      }),
    ]);
    expect(graphCalls(emulator)).toEqual([`POST /v1.0/users/${encodeURIComponent(SENDER)}/sendMail 202`]);
  });
});

describe('when Graph misbehaves', () => {
  test('a short 429 storm is ridden out inside the call, waiting the Retry-After Graph asked for', async () => {
    emulator.fault({ status: 429, retryAfter: 1, times: 1 });
    await graphFor(emulator).ensureChannel(channelRequest());
    expect(graphCalls(emulator)).toEqual([`GET ${CHANNELS_PATH} 429`, `GET ${CHANNELS_PATH} 200`, `POST ${CHANNELS_PATH} 201`]);
    // The retry came no sooner than Graph asked, as Graph saw it (a lower bound: a slow machine only adds to it).
    const [refused, retried] = emulator.requests.filter((r) => r.method === 'GET' && r.path.includes('/channels')).map((r) => Date.parse(r.at));
    expect(retried - refused).toBeGreaterThanOrEqual(1000);
  });

  test('a storm longer than the retries goes back to the outbox as retryable, carrying Retry-After', async () => {
    emulator.fault({ status: 429, retryAfter: 1 });
    const err = await failure(graphFor(emulator, { maxRetries: 1 }).ensureChannel(channelRequest()));
    expect(err).toMatchObject({ kind: 'retryable', retryAfterSeconds: 1 });
    expect(err.message).toBe('Microsoft Graph is throttling: HTTP 429 TooManyRequests');
    expect(graphCalls(emulator)).toHaveLength(2);
  });

  test('a long Retry-After is not waited out in the worker: it goes straight back to the outbox', async () => {
    emulator.fault({ status: 429, retryAfter: 120 });
    const err = await failure(graphFor(emulator).ensureChannel(channelRequest()));
    expect(err).toMatchObject({ kind: 'retryable', retryAfterSeconds: 120 });
    // One call, answered with the 429: the SDK's retry handler waits only before a retry, and there was none.
    expect(graphCalls(emulator)).toHaveLength(1);
  });

  test('a 503 is retried inside the call; a 500 goes back to the outbox as retryable', async () => {
    emulator.fault({ status: 503, retryAfter: 0, times: 1 });
    await graphFor(emulator).sendMail({ sender: SENDER, to: ['a@contoso.test'], subject: 's', text: 't', key: 'k1' });
    expect(emulator.mailbox()).toHaveLength(1);

    emulator.fault({ status: 500, times: 1 });
    const err = await failure(graphFor(emulator).sendMail({ sender: SENDER, to: ['a@contoso.test'], subject: 's', text: 't', key: 'k2' }));
    expect(err).toMatchObject({ kind: 'retryable', message: 'Microsoft Graph is unavailable: HTTP 500 InternalServerError' });
    expect(emulator.mailbox()).toHaveLength(1);
  });

  test('a dropped connection and a hung one are retryable', async () => {
    emulator.fault({ drop: 'before', times: 1 });
    const dropped = await failure(graphFor(emulator).ensureBridge({ organizerId: ORGANIZER, externalId: 'x', subject: 's', start: new Date(), end: new Date(Date.now() + 1000), fallback: 'none' }));
    expect(dropped.kind).toBe('retryable');
    expect(dropped.message).toMatch(/^Microsoft Graph could not be reached to create the meeting bridge: ECONNRESET/);

    emulator.fault({ latencyMs: 1000, times: 1 });
    const hung = await failure(graphFor(emulator, { timeoutMs: 200 }).ensureChannel(channelRequest()));
    expect(hung.kind).toBe('retryable');
    expect(hung.message).toMatch(/ETIMEDOUT/);
  });

  test('a 403 is permanent and names the permission the app is missing', async () => {
    await emulator.close();
    emulator = await startEmulator({ roles: ['Channel.ReadBasic.All'] });
    const graph = graphFor(emulator);
    const channel = await failure(graph.ensureChannel(channelRequest()));
    expect(channel.kind).toBe('permanent');
    expect(channel.message).toBe(
      'Microsoft Graph refused to create the incident channel (HTTP 403 Forbidden): the app needs the application permission Channel.Create (or the resource-specific Channel.Create.Group) with admin consent.',
    );
    const mail = await failure(graph.sendMail({ sender: SENDER, to: ['a@contoso.test'], subject: 's', text: 't', key: 'k' }));
    expect(mail.kind).toBe('permanent');
    expect(mail.message).toContain('(HTTP 403 ErrorAccessDenied): the app needs the application permission Mail.Send');
  });

  test('a wrong client secret is permanent, with what Entra said', async () => {
    const err = await failure(graphFor(emulator, { clientSecret: 'not-it' }).sendMail({ sender: SENDER, to: ['a@contoso.test'], subject: 's', text: 't', key: 'k' }));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/^could not sign in to Microsoft Graph to send the announcement email: .*AADSTS7000215/);
    expect(emulator.mailbox()).toEqual([]);
  });
});
