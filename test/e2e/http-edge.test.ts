import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { channelMessage, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { rawRequest } from '../harness/raw-http';

/**
 * The HTTP edge of the real server process (issue 13, items 4, 5 and 7): what each endpoint takes (type, size),
 * that nothing sent before authentication reaches the disk, the local host checks whatever HOST is, and /healthz.
 */
const APP_ID = '6f2a8b3c-1111-4222-8333-944444444444';
const KB = 1024;

const multipart = (boundary: string, size: number) =>
  [
    `--${boundary}`,
    'Content-Disposition: form-data; name="upload"; filename="payload.bin"',
    'Content-Type: application/octet-stream',
    '',
    'x'.repeat(size),
    `--${boundary}--`,
    '',
  ].join('\r\n');

describe('production mode', () => {
  let channel: BotChannel;
  let firebreak: RunningFirebreak;
  let serverTmp: string;
  let tmpAtStart: string[];

  beforeAll(async () => {
    channel = await startBotChannel({ appId: APP_ID, appPassword: 'edge-secret', tenantId: TENANT });
    // The server's os.tmpdir(): anything written there by a request is seen here.
    serverTmp = mkdtempSync(path.join(tmpdir(), 'firebreak-edge-tmp-'));
    firebreak = await startFirebreak({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'edge-secret',
      MICROSOFT_APP_TENANT_ID: TENANT,
      BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
      BOT_LOGIN_URL: channel.loginUrl,
      DATABASE_URL: `pglite:${path.join(tmpdir(), `firebreak-edge-${randomUUID()}`)}`,
      TMPDIR: serverTmp,
      ADDON_SERVICE_ACCOUNT_EMAIL: 'service-1@gcp-sa-gsuiteaddons.iam.gserviceaccount.com',
      ADDON_OAUTH_CLIENT_ID: '100000000000000000001',
      ADDON_ALLOWED_DOMAINS: 'example.com',
      ADDON_CERTS_URL: 'http://127.0.0.1:9/oauth2/v1/certs',
    });
    tmpAtStart = readdirSync(serverTmp); // tsx keeps its cache there
  }, 60_000);
  afterAll(async () => {
    await firebreak?.stop();
    await channel?.close();
    // After every request of this block, whichever order they ran in (a failure here fails the file).
    expect(readdirSync(serverTmp)).toEqual(tmpAtStart);
  });

  test('a multipart upload to /api/messages is refused (415) and nothing lands in the temp folder', async () => {
    const before = readdirSync(serverTmp);
    const boundary = `----firebreak${randomUUID()}`;
    const res = await rawRequest(firebreak.url, {
      method: 'POST',
      path: '/api/messages',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipart(boundary, 100 * KB),
    });
    expect(res.status).toBe(415);
    expect(readdirSync(serverTmp)).toEqual(before);
  });

  test.each([
    ['/api/messages', 'multipart/form-data; boundary=x'],
    ['/api/messages', 'application/x-www-form-urlencoded'],
    ['/api/messages', 'text/plain'],
    ['/api/messages', 'application/json; charset=latin1'],
    ['/api/addon', 'application/x-www-form-urlencoded'],
    ['/api/addon', 'text/plain'],
  ])('%s with %s is a 415 with a reason', async (route, type) => {
    const res = await rawRequest(firebreak.url, { method: 'POST', path: route, headers: { 'content-type': type }, body: 'a=b' });
    expect(res.status).toBe(415);
    expect(res.json()).toEqual({ error: expect.stringMatching(/application\/json/) });
  });

  test('a request without a content type is a 415 too, logged in one line with its reason', async () => {
    const res = await rawRequest(firebreak.url, { method: 'POST', path: '/api/messages', body: '{}' });
    expect(res.status).toBe(415);
    const line = await eventually(() => firebreak.logs.find((l) => l.includes('(got no content type)')), 'the log line');
    expect(JSON.parse(line)).toMatchObject({ level: 'info', msg: 'refused a request', path: '/api/messages', status: 415 });
  });

  test.each([
    ['/api/messages', 256 * KB],
    ['/api/addon', 128 * KB],
  ])('%s takes up to %d bytes: one more is a 413, with or without Content-Length', async (route, limit) => {
    const padded = (size: number) => {
      const shell = JSON.stringify({ ...channelMessage('note ', { serviceUrl: channel.serviceUrl }), pad: '' });
      return shell.replace('"pad":""', `"pad":"${'x'.repeat(size - shell.length)}"`);
    };
    const json = { 'content-type': 'application/json' };
    // At the limit the body is read and the request goes on to authentication: no token, 401.
    const atLimit = await rawRequest(firebreak.url, { method: 'POST', path: route, headers: json, body: padded(limit) });
    expect(atLimit.status).toBe(401);
    const over = await rawRequest(firebreak.url, { method: 'POST', path: route, headers: json, body: padded(limit + 1) });
    expect(over.status).toBe(413);
    expect(over.json()).toEqual({ error: expect.stringContaining(`${limit / KB} KB`) });
    const chunked = await rawRequest(firebreak.url, { method: 'POST', path: route, headers: json, body: padded(limit + 1), chunked: 16 * KB });
    expect(chunked.status).toBe(413);
  });

  test.each([
    ['truncated', '{"type":'],
    ['not JSON at all', 'hello'],
    ['empty', ''],
  ])('a %s body is a 400 with a reason', async (_name, body) => {
    const res = await rawRequest(firebreak.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(/JSON/) });
  });

  test('/api/google/notify reads no body: more than a small one is a 413', async () => {
    const res = await rawRequest(firebreak.url, { method: 'POST', path: '/api/google/notify', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(64 * KB) });
    expect(res.status).toBe(413);
  });

  test('/healthz tells liveness only; the mode and store are in the start log', async () => {
    const res = await rawRequest(firebreak.url, { path: '/healthz' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    const started = firebreak.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'firebreak listening');
    expect(started).toMatchObject({ mode: 'production', store: 'pglite' });
  });

  test('production mode does not check the Host header (Teams reaches it through its public name)', async () => {
    const res = await rawRequest(firebreak.url, { path: '/healthz', headers: { host: 'firebreak.example.com' } });
    expect(res.status).toBe(200);
  });
});

describe('local mode bound to every interface (HOST=0.0.0.0)', () => {
  let firebreak: RunningFirebreak;
  let port: number;

  beforeAll(async () => {
    port = 20000 + Math.floor(Math.random() * 20000);
    firebreak = await startFirebreak({ PORT: String(port), HOST: '0.0.0.0', PUBLIC_URL: `http://firebreak.test:${port}`, GOOGLE_SANDBOX_PORT: '0' });
  }, 60_000);
  afterAll(async () => {
    await firebreak?.stop();
  });

  const started = (msg: string) => firebreak.logs.map((l) => JSON.parse(l)).find((l) => l.msg === msg);

  test.each(['/healthz', '/sandbox', '/sandbox/state'])('%s answers loopback names and PUBLIC_URL\'s host, and 421 to any other', async (route) => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `firebreak.test:${port}`, 'LOCALHOST']) {
      expect({ host, status: (await rawRequest(firebreak.url, { path: route, headers: { host } })).status }).toEqual({ host, status: 200 });
    }
    for (const host of [`rebind.example:${port}`, `0.0.0.0:${port}`, `127.0.0.1.rebind.example:${port}`]) {
      const res = await rawRequest(firebreak.url, { path: route, headers: { host } });
      expect({ host, status: res.status }).toEqual({ host, status: 421 });
      expect(res.json()).toEqual({ error: expect.stringContaining('answers only to') });
    }
    const warned = await eventually(() => firebreak.logs.find((l) => l.includes('"status":421') && l.includes(route)), 'the log line');
    expect(JSON.parse(warned)).toMatchObject({ level: 'warn', msg: 'refused a request', reason: expect.stringContaining('answers only to') });
    // No Host at all: Node's HTTP/1.1 parser answers 400 before any route (requireHostHeader).
    expect((await rawRequest(firebreak.url, { path: route, headers: { host: '' } })).status).toBe(400);
  });

  test('a POST from a rebound name is refused before its body is read', async () => {
    const res = await rawRequest(firebreak.url, {
      method: 'POST',
      path: '/api/messages',
      headers: { host: 'rebind.example', 'content-type': 'application/json' },
      body: JSON.stringify(channelMessage('declare sev1 rebound', { serviceUrl: 'http://127.0.0.1:1/' })),
    });
    expect(res.status).toBe(421);
  });

  test('the Google sandbox, the Graph emulator and the add-on issuer started with it hold the same check', async () => {
    const docs = started('local mode: Google sandbox running; incident docs can be watched there').docs as string;
    const graph = started('local Graph emulator').url as string;
    const certs = started('local add-on token issuer').certs as string;
    for (const url of [docs, `${graph}/_emulator/state`, certs]) {
      const own = new URL(url).host;
      expect({ url, status: (await rawRequest(url, { path: new URL(url).pathname, headers: { host: own } })).status }).toEqual({ url, status: 200 });
      const rebound = await rawRequest(url, { path: new URL(url).pathname, headers: { host: `rebind.example:${new URL(url).port}` } });
      expect({ url, status: rebound.status }).toEqual({ url, status: 421 });
    }
  });
});
