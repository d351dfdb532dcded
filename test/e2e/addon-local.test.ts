import { startAddonIssuer } from '../../src/sandbox/google-addon/issuer';
import { sidebarRequest } from '../../src/sandbox/google-addon/request';
import { startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Local mode (`npm start`, no credentials): the add-on endpoint is on, and still authenticated, against the token
 * issuer inside the server process. A request signed with any other key, even in Google's exact format, is refused.
 */
let firebreak: RunningFirebreak;

beforeAll(async () => {
  firebreak = await startFirebreak({});
}, 60_000);
afterAll(async () => firebreak?.stop());

test('the server starts its own issuer and names the endpoint it expects tokens for', () => {
  const line = firebreak.logs.find((l) => l.includes('"local add-on token issuer"'));
  expect(line).toBeDefined();
  const { certs, endpoint } = JSON.parse(line!);
  expect(certs).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/v1\/certs$/);
  expect(endpoint).toBe(`http://localhost:${new URL(firebreak.url).port}/api/addon`);
});

test('unsigned requests, and requests signed by another issuer, are refused', async () => {
  const endpoint = `http://localhost:${new URL(firebreak.url).port}/api/addon`;
  const stranger = await startAddonIssuer();
  try {
    const { init } = sidebarRequest(stranger, { endpoint, target: `${firebreak.url}/api/addon`, user: { email: 'ana@firebreak.test' }, doc: { id: 'x' } });
    expect((await fetch(`${firebreak.url}/api/addon`, init)).status).toBe(401);
    const unsigned = { ...init, headers: { 'content-type': 'application/json' } };
    expect((await fetch(`${firebreak.url}/api/addon`, unsigned)).status).toBe(401);
  } finally {
    await stranger.close();
  }
});
