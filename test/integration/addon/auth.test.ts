import { sidebarEvent } from '../../../src/sandbox/google-addon/request';
import { DOC_ID, startHarness, type Harness } from './setup';

/**
 * Only Google's add-on runtime may call /api/addon: the bearer must be an ID token Google signed for this project's
 * add-on service account with this endpoint as audience; the person must come with a user ID token Google signed for
 * the add-on's OAuth client. Every forgery below is refused with 401 and changes nothing.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const user = { email: 'alice@contoso.test' };
const event = () => sidebarEvent(h.issuer, { endpoint: h.endpoint, user, doc: { id: DOC_ID } });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('a request Google signed is answered', async () => {
  const res = await h.post(event(), bearer(h.issuer.systemToken({ audience: h.endpoint })));
  expect(res.status).toBe(200);
  expect(res.body.action.navigations[0].pushCard).toBeDefined();
});

test.each([
  ['no Authorization header', () => ({}), /no Bearer token/],
  ['a Basic credential', () => ({ authorization: 'Basic YWxpY2U6c2VjcmV0' }), /no Bearer token/],
  ['a token that is not a JWT', () => bearer('not-a-token'), /Wrong number of segments/],
  ['an unsigned token naming a real key', () => bearer(h.issuer.systemToken({ audience: h.endpoint, key: 'none' })), /Invalid token signature/],
  ['a token signed with a key Google does not publish', () => bearer(h.issuer.systemToken({ audience: h.endpoint, key: 'untrusted' })), /Invalid token signature/],
  ['an expired token', () => bearer(h.issuer.systemToken({ audience: h.endpoint, expiresInSeconds: -3600 })), /Token used too late/],
  ['a token for another endpoint', () => bearer(h.issuer.systemToken({ audience: 'https://evil.example/api/addon' })), /Wrong recipient/],
  ['a token from another issuer', () => bearer(h.issuer.systemToken({ audience: h.endpoint, issuer: 'https://evil.example' })), /Invalid issuer/],
  ['a token whose issuer lacks the https scheme', () => bearer(h.issuer.systemToken({ audience: h.endpoint, issuer: 'accounts.google.com' })), /Invalid issuer/],
  ["a token for another project's add-on", () => bearer(h.issuer.systemToken({ audience: h.endpoint, email: 'service-999@gcp-sa-gsuiteaddons.iam.gserviceaccount.com' })), /not to the add-on's service account/],
  ["a user's own ID token as the bearer", () => bearer(h.issuer.userToken({ email: 'mallory@contoso.test', audience: h.endpoint })), /not to the add-on's service account/],
])('401 for %s', async (_what, headers, reason) => {
  const res = await h.post(event(), headers());
  expect(res.status).toBe(401);
  expect(res.body.error).toMatch(/^unauthorized: /);
  expect(res.body.error).toMatch(reason);
  expect(JSON.stringify(res.body)).not.toMatch(/eyJ/); // the reason never echoes a credential
});

test.each([
  ['no user ID token', (e: any) => delete e.authorizationEventObject.userIdToken],
  ['a user ID token signed with an unpublished key', (e: any) => (e.authorizationEventObject.userIdToken = h.issuer.userToken({ email: 'alice@contoso.test', key: 'untrusted' }))],
  ['an expired user ID token', (e: any) => (e.authorizationEventObject.userIdToken = h.issuer.userToken({ email: 'alice@contoso.test', expiresInSeconds: -3600 }))],
  ['a user ID token for another OAuth client', (e: any) => (e.authorizationEventObject.userIdToken = h.issuer.userToken({ email: 'alice@contoso.test', audience: 'another-client' }))],
  ['an unverified email', (e: any) => (e.authorizationEventObject.userIdToken = h.issuer.userToken({ email: 'alice@contoso.test', emailVerified: false }))],
])('401 for %s in a request Google signed', async (_what, forge) => {
  const e = event();
  forge(e);
  const res = await h.post(e, bearer(h.issuer.systemToken({ audience: h.endpoint })));
  expect(res.status).toBe(401);
});

test.each([
  ['a JSON array', [], 'the body must be a JSON event object'],
  ['no commonEventObject', { docs: {} }, 'the event has no commonEventObject'],
  ['parameters that are not strings', { commonEventObject: { hostApp: 'DOCS', parameters: { action: 7 } } }, 'commonEventObject.parameters must map names to strings'],
  ['form inputs without stringInputs', { commonEventObject: { hostApp: 'DOCS', formInputs: { entry: { value: 'x' } } } }, 'commonEventObject.formInputs.entry must carry stringInputs.value, a list of strings'],
  ['a docs id that is not a string', { commonEventObject: { hostApp: 'DOCS' }, docs: { id: 42 } }, 'docs.id must be a string'],
])('400 with the reason for %s, once the request is Google\'s', async (_what, body, reason) => {
  const res = await h.post(body, bearer(h.issuer.systemToken({ audience: h.endpoint })));
  expect(res).toEqual({ status: 400, body: { error: reason } });
  // Without Google's signature the same body is a 401: nothing about the API is told to strangers.
  expect((await h.post(body, {})).status).toBe(401);
});

test('broken JSON is a 400 from the server itself', async () => {
  const res = await fetch(h.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"commonEventObject":' });
  expect(res.status).toBe(400);
});

test('when Google\'s keys cannot be fetched, the answer is 503 (not the caller\'s fault), not 401', async () => {
  const unreachable = await startHarness({ certsUrl: 'http://127.0.0.1:9/oauth2/v1/certs' });
  try {
    const res = await unreachable.post(sidebarEvent(unreachable.issuer, { endpoint: unreachable.endpoint, user }), bearer(unreachable.issuer.systemToken({ audience: unreachable.endpoint })));
    expect(res.status).toBe(503);
  } finally {
    await unreachable.close();
  }
});
