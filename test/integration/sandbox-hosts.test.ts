import { startBotChannel } from '../../src/sandbox/botframework';
import { startGoogleSandbox } from '../../src/sandbox/google';
import { startAddonIssuer } from '../../src/sandbox/google-addon/issuer';
import { startLocalGraph } from '../../src/sandbox/graph/local';
import { loadConfig } from '../../src/config';
import { rawRequest } from '../harness/raw-http';

/**
 * Every emulator local mode serves on loopback answers only to the names it is reached by on this machine: a page
 * that rebinds its own name to 127.0.0.1 (DNS rebinding) gets a 421 before anything is read or done.
 */
const servers: { name: string; url: string; path: string; close(): Promise<void> }[] = [];

beforeAll(async () => {
  const google = await startGoogleSandbox();
  servers.push({ name: 'Google sandbox', url: google.url, path: '/sandbox/docs', close: () => google.close() });
  const issuer = await startAddonIssuer();
  servers.push({ name: 'add-on issuer', url: issuer.url, path: '/oauth2/v3/certs', close: () => issuer.close() });
  const graph = await startLocalGraph(loadConfig({}, '/tmp').graph);
  servers.push({ name: 'Graph emulator', url: graph.emulator.url, path: '/_emulator/state', close: () => graph.emulator.close() });
  const channel = await startBotChannel({ requireAuth: false });
  servers.push({ name: 'Bot Framework channel', url: channel.url, path: '/.well-known/openidconfiguration', close: () => channel.close() });
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
});

test('each answers 127.0.0.1, localhost and [::1] on its own port', async () => {
  for (const s of servers) {
    const port = new URL(s.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost']) {
      const res = await rawRequest(s.url, { path: s.path, headers: { host } });
      expect({ server: s.name, host, status: res.status }).toEqual({ server: s.name, host, status: 200 });
    }
  }
});

test('each answers any other name with 421 and a reason, and does nothing with a body sent to it', async () => {
  for (const s of servers) {
    const port = new URL(s.url).port;
    for (const host of [`rebind.example:${port}`, `127.0.0.1.nip.example:${port}`, `192.168.1.10:${port}`]) {
      const res = await rawRequest(s.url, { path: s.path, headers: { host } });
      expect({ server: s.name, host, status: res.status }).toEqual({ server: s.name, host, status: 421 });
      expect(res.text).toContain('answers only to localhost, 127.0.0.1, ::1');
    }
  }
  // A write the Google sandbox would otherwise perform (a token request) is refused the same way.
  const google = servers[0];
  const post = await rawRequest(google.url, {
    method: 'POST',
    path: '/token',
    headers: { host: 'rebind.example', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=x',
  });
  expect(post.status).toBe(421);
});
