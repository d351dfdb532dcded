import https from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import type { GraphEmulator } from '../../../src/sandbox/graph/server';
import { CLIENT_ID, ORGANIZER, SECRET, SENDER, startEmulator, TEAM, TENANT } from './setup';

/**
 * The emulator's own contract, over raw HTTPS: Graph's error shape, strictness (unknown routes and fields
 * are refused by name), the bearer-token check, and the rules the adapter relies on.
 */
let emulator: GraphEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startEmulator();
  const credential = new ClientSecretCredential(TENANT, CLIENT_ID, SECRET, { authorityHost: emulator.url, disableInstanceDiscovery: true, tlsOptions: { ca: emulator.ca } });
  token = (await credential.getToken('https://graph.microsoft.com/.default'))!.token;
});
afterAll(() => emulator.close());

function call(method: string, path: string, body?: unknown, auth: string | null = `Bearer ${token}`): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${emulator.url}${path}`, { method, ca: emulator.ca, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const graphErrorShape = (code: string, message: string | RegExp) => ({
  error: { code, message: typeof message === 'string' ? message : expect.stringMatching(message), innerError: { date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) } },
});

test('tokens are app-only Graph tokens carrying the consented roles', () => {
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${TENANT}/`, appid: CLIENT_ID, tid: TENANT, idtyp: 'app', roles: expect.arrayContaining(['Mail.Send']) });
});

test('a call without a token, or with a forged one, gets 401 InvalidAuthenticationToken', async () => {
  expect(await call('GET', `/v1.0/teams/${TEAM}/channels`, undefined, null)).toMatchObject({ status: 401, body: graphErrorShape('InvalidAuthenticationToken', 'Access token is empty.') });
  const forged = `${token.split('.').slice(0, 2).join('.')}.c2lnbmF0dXJl`;
  expect((await call('GET', `/v1.0/teams/${TEAM}/channels`, undefined, `Bearer ${forged}`)).status).toBe(401);
});

test('an unknown route is a loud 501 naming it; an unknown body field a 400 naming it', async () => {
  expect(await call('GET', '/v1.0/me/messages')).toMatchObject({ status: 501, body: graphErrorShape('NotImplemented', 'The Graph emulator does not implement GET /v1.0/me/messages.') });
  expect(await call('POST', `/v1.0/teams/${TEAM}/channels`, { displayName: 'ok-name', colour: 'red' })).toMatchObject({
    status: 400,
    body: graphErrorShape('BadRequest', /^The property 'colour' does not exist on type 'microsoft\.graph\.channel'/),
  });
});

test.each([
  ['longer than 50 characters', 'x'.repeat(51)],
  ['a forbidden character', 'inc-1: checkout'],
  ['a leading underscore', '_inc-1'],
  ['a reserved word', 'CON'],
])('a channel name with %s is refused', async (_why, displayName) => {
  const res = await call('POST', `/v1.0/teams/${TEAM}/channels`, { displayName });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('BadRequest');
});

test("a taken channel name is Graph's 400 BadRequest 'Channel name already existed', whatever its case", async () => {
  expect((await call('POST', `/v1.0/teams/${TEAM}/channels`, { displayName: 'inc-7-taken' })).status).toBe(201);
  expect(await call('POST', `/v1.0/teams/${TEAM}/channels`, { displayName: 'INC-7-TAKEN' })).toMatchObject({
    status: 400,
    body: graphErrorShape('BadRequest', 'Channel name already existed, please use other name'),
  });
});

test('a team id must be the group GUID, not the thread id', async () => {
  expect((await call('GET', `/v1.0/teams/${encodeURIComponent('19:abc@thread.tacv2')}/channels`)).body.error.message).toBe('teamId needs to be a valid GUID.');
});

test('list channels filters by displayName and refuses query options it does not support', async () => {
  expect((await call('POST', `/v1.0/teams/${TEAM}/channels`, { displayName: 'inc-8-listed' })).status).toBe(201);
  const found = await call('GET', `/v1.0/teams/${TEAM}/channels?$filter=${encodeURIComponent("displayName eq 'inc-8-listed'")}&$select=displayName`);
  expect(found.body.value).toEqual([{ id: expect.stringMatching(/^19:/), displayName: 'inc-8-listed' }]);
  expect((await call('GET', `/v1.0/teams/${TEAM}/channels?$top=1`)).status).toBe(400);
  expect((await call('GET', `/v1.0/teams/${TEAM}/channels?$filter=${encodeURIComponent("startswith(displayName,'inc')")}`)).status).toBe(400);
});

test('createOrGet needs an externalId and answers 201, then 200 with the same meeting', async () => {
  const path = `/v1.0/users/${ORGANIZER}/onlineMeetings/createOrGet`;
  expect((await call('POST', path, { subject: 'x' })).status).toBe(400);
  const created = await call('POST', path, { externalId: 'e-1', subject: 'first' });
  const again = await call('POST', path, { externalId: 'e-1', subject: 'second' });
  expect([created.status, again.status]).toEqual([201, 200]);
  expect(again.body).toMatchObject({ id: created.body.id, joinWebUrl: created.body.joinWebUrl, subject: 'first', externalId: 'e-1' });
  expect(Date.parse(created.body.endDateTime) - Date.parse(created.body.startDateTime)).toBe(3600_000);
});

test('sendMail answers 202 with no body; no recipients or a non-x- header is a 400', async () => {
  const path = `/v1.0/users/${SENDER}/sendMail`;
  const message = { subject: 's', body: { contentType: 'Text', content: 'c' }, toRecipients: [{ emailAddress: { address: 'a@contoso.test' } }] };
  expect(await call('POST', path, { message })).toMatchObject({ status: 202, body: undefined });
  expect((await call('POST', path, { message: { ...message, toRecipients: [] } })).body.error.code).toBe('ErrorInvalidRecipients');
  expect((await call('POST', path, { message: { ...message, internetMessageHeaders: [{ name: 'Subject', value: 'x' }] } })).body.error.code).toBe('InvalidInternetMessageHeader');
  expect((await call('POST', `/v1.0/users/nobody@contoso.test/sendMail`, { message })).status).toBe(404);
});

test('an injected 429 carries Retry-After; the fault counts down', async () => {
  emulator.fault({ status: 429, retryAfter: 7, times: 1 });
  const throttled = await call('GET', `/v1.0/teams/${TEAM}/channels`);
  expect(throttled).toMatchObject({ status: 429, body: graphErrorShape('TooManyRequests', /Retry-After/) });
  expect(throttled.headers['retry-after']).toBe('7');
  expect((await call('GET', `/v1.0/teams/${TEAM}/channels`)).status).toBe(200);
});
