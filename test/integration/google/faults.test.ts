import { generateKeyPairSync } from 'node:crypto';
import { googleClients } from '../../../src/google/clients';
import { createIncidentDocs } from '../../../src/google/incident-docs';
import { OutsideError } from '../../../src/outside-error';
import { FAST, googleWorld, incident, plainText, SHARE, SUBJECT, type GoogleWorld } from './setup';

/** 429 and 5xx storms, 403 rate limits, dropped connections: absorbed with backoff, or handed on in plain words. */
let world: GoogleWorld;
beforeAll(async () => {
  world = await googleWorld();
});
afterAll(() => world?.close());
beforeEach(() => world.sandbox.fault(undefined));

const docsOf = (incidentId: string) => world.sandbox.files().filter((f) => f.appProperties.firebreakIncident === incidentId && !f.trashed);
const statuses = (method: string, since: number) => world.sandbox.calls.slice(since).filter((c) => c.method === method).map((c) => c.status);

test.each([
  ['a 429 storm on Docs writes', { match: 'docs.documents.batchUpdate', status: 429, times: 3 }, 'docs.documents.batchUpdate', [429, 429, 429, 200]],
  ['a 503 storm on the copy', { match: 'drive.files.copy', status: 503, times: 3 }, 'drive.files.copy', [503, 503, 503, 200]],
  ['403 userRateLimitExceeded on Drive search', { match: 'drive.files.list', status: 403, times: 2 }, 'drive.files.list', [403, 403, 200]],
  ['dropped connections on sharing', { match: 'drive.permissions.create', drop: 'before' as const, times: 2 }, 'drive.permissions.create', [0, 0, 200]],
])('%s is ridden out with backoff, making one doc', async (_name, fault, method, expected) => {
  const inc = incident(70);
  const since = world.sandbox.calls.length;
  world.sandbox.fault(fault);
  const link = await world.docs.create(inc);
  expect(statuses(method, since).slice(0, expected.length)).toEqual(expected);
  expect(docsOf(inc.id).map((f) => f.id)).toEqual([link.id]);
  expect(plainText(world.sandbox.document(link.id))).not.toContain('{{');
});

test('a storm longer than the backoff is handed to the effect runner as retryable, in plain words, honouring Retry-After', async () => {
  const storm = world.sandbox.calls.length;
  world.sandbox.fault({ match: 'drive.files', status: 429, retryAfter: 0 });
  const err = await world.docs.create(incident(71)).catch((e) => e);
  expect(err).toBeInstanceOf(OutsideError);
  expect(err).toMatchObject({ kind: 'retryable', message: 'creating the incident doc: Google is rate limiting Firebreak (429)' });
  // Handed on after the policy's attempts (here 4), not retried on and on in the effect's turn.
  expect(world.sandbox.calls.slice(storm).map((c) => c.status)).toEqual(Array(FAST.attempts).fill(429));

  // A Retry-After longer than the backoff's cap goes straight to the runner, which reschedules the effect.
  const since = world.sandbox.calls.length;
  world.sandbox.fault({ match: 'drive.files.list', status: 429, retryAfter: 120 });
  await expect(world.docs.create(incident(71))).rejects.toMatchObject({ kind: 'retryable', retryAfterSeconds: 120 });
  expect(statuses('drive.files.list', since)).toEqual([429]);

  world.sandbox.fault({ match: 'docs.documents.get', status: 500 });
  const inc = incident(72);
  await expect(world.docs.create(inc)).rejects.toMatchObject({ kind: 'retryable', message: expect.stringMatching(/^filling the incident doc: Google answered 500/) });
  world.sandbox.fault(undefined);
  expect((await world.docs.create(inc)).id).toBe(docsOf(inc.id)[0].id); // the runner's next try finishes the job
});

test('the Docs write quota (60 a minute per user) answers 429 RESOURCE_EXHAUSTED, and the adapter backs off through it', async () => {
  // The sandbox's clock jumps a minute once the adapter has been refused: the quota window has passed by then.
  let refusals = () => 0;
  const small = await googleWorld({ writesPerMinute: 3, now: () => Date.now() + (refusals() >= 2 ? 61_000 : 0) });
  refusals = () => small.sandbox.calls.filter((c) => c.status === 429).length;
  try {
    const inc = incident(73);
    const { id } = await small.docs.create(inc); // the template took one write, the fill a second
    await small.docs.appendTimeline(id, [{ key: '1', time: '00:01', who: 'A', entry: 'one' }]);
    const refused = await small.clients.docs.documents
      .batchUpdate({ documentId: id, requestBody: { requests: [{ insertText: { location: { index: 1 }, text: 'x' } }] } })
      .catch((e) => e.response);
    expect(refused.status).toBe(429);
    expect(refused.data.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(refused.data.error.details[0]).toMatchObject({ reason: 'RATE_LIMIT_EXCEEDED', metadata: { quota_limit: 'WriteRequestsPerMinutePerUser' } });

    expect(await small.docs.appendTimeline(id, [{ key: '2', time: '00:02', who: 'B', entry: 'two' }])).toEqual({ written: 1 });
    // Refused, backed off, re-read (the unit of retry), written.
    expect(small.sandbox.calls.slice(-4).map((c) => [c.method, c.status])).toEqual([
      ['docs.documents.get', 200],
      ['docs.documents.batchUpdate', 429],
      ['docs.documents.get', 200],
      ['docs.documents.batchUpdate', 200],
    ]);
  } finally {
    await small.close();
  }
});

test('permanent failures are not retried: a missing template, a service account without delegation', async () => {
  const since = world.sandbox.calls.length;
  const wrongTemplate = createIncidentDocs({ clients: world.clients, templateId: 'no-such-template', folderId: world.driveId, share: SHARE, retry: FAST });
  await expect(wrongTemplate.create(incident(74))).rejects.toMatchObject({ kind: 'not-found' });
  expect(statuses('drive.files.copy', since)).toEqual([404]);

  // The admin granted domain-wide delegation for Docs only: the token endpoint refuses the Drive scope.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  world.sandbox.registerServiceAccount({ clientEmail: 'half@x.iam.gserviceaccount.com', publicKey, delegatedScopes: ['https://www.googleapis.com/auth/documents'] });
  const half = googleClients({ clientEmail: 'half@x.iam.gserviceaccount.com', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, SUBJECT, {
    docsUrl: world.sandbox.url,
    driveUrl: world.sandbox.url,
    tokenUrl: world.sandbox.tokenUrl,
  });
  const docs = createIncidentDocs({ clients: half, templateId: world.templateId, folderId: world.driveId, share: SHARE, retry: FAST });
  const refusedFrom = world.sandbox.calls.length;
  const halfIncident = incident(75);
  await expect(docs.create(halfIncident)).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('unauthorized_client') });
  // Refused at the token endpoint: no Drive or Docs call was made with it, no doc exists, and nothing was retried.
  expect(world.sandbox.calls.slice(refusedFrom).filter((c) => /^(drive|docs)\./.test(c.method))).toEqual([]);
  expect(docsOf(halfIncident.id)).toEqual([]);
});
