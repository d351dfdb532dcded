import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel, type InboundTokenOptions } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import { inboundKey } from '../../src/teams/activity';
import { channelMessage, post, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * Inbound authentication in production mode (issue 13, items 1-3 and 21): the real server process against the local
 * Bot Framework channel, with a guard preloaded into it that records every TCP connection it opens and blocks any
 * to a host other than loopback (test/harness/net-guard.cjs), so "no network call" and "never Microsoft's
 * metadata" are observed, not assumed.
 */
const APP_ID = '5e1f7a2b-1111-4222-8333-944444444444';
const OTHER_TENANT = 'dddddddd-eeee-4fff-8aaa-bbbbbbbbbbbb';
const LISTED_TENANT = 'eeeeeeee-ffff-4aaa-8bbb-cccccccccccc';
const PASSWORD = 'not-a-real-secret-inbound';
const GUARD = path.resolve(__dirname, '../harness/net-guard.cjs');

interface Server {
  channel: BotChannel;
  firebreak: RunningFirebreak;
  databaseDir: string;
}

async function startServer(extraEnv: Record<string, string> = {}): Promise<Server> {
  const channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT });
  const databaseDir = path.join(tmpdir(), `firebreak-inbound-auth-${randomUUID()}`);
  const firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${databaseDir}`,
    LOG_LEVEL: 'info',
    NODE_OPTIONS: `--require ${GUARD}`,
    ...extraEnv,
  });
  return { channel, firebreak, databaseDir };
}

/** A server process of its own for the enclosing describe block, started before its tests and stopped after. */
function serverForThisBlock(extraEnv: Record<string, string> = {}): Server {
  const s = {} as Server;
  beforeAll(async () => {
    Object.assign(s, await startServer(extraEnv));
  }, 60_000);
  afterAll(async () => {
    await s.firebreak?.stop();
    await s.channel?.close();
  });
  return s;
}

const isJsonObject = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};
const connections = (s: Server) => s.firebreak.logs.filter((l) => l.startsWith('{"netGuard"')).map((l) => JSON.parse(l) as { netGuard: string; host: string; port: number });
const message = (s: Server, text: string) => channelMessage(text, { serviceUrl: s.channel.serviceUrl });
const token = (s: Server, o: InboundTokenOptions = {}) => s.channel.signInbound({ serviceUrl: s.channel.serviceUrl, ...o });
const withTenant = (activity: ReturnType<typeof channelMessage>, conversationTenant: string | undefined, channelDataTenant: string | undefined) => {
  const { tenantId: _t, ...conversation } = activity.conversation;
  const { tenant: _c, ...channelData } = activity.channelData;
  return {
    ...activity,
    conversation: { ...conversation, ...(conversationTenant ? { tenantId: conversationTenant } : {}) },
    channelData: { ...channelData, ...(channelDataTenant ? { tenant: { id: channelDataTenant } } : {}) },
  };
};

/** Versions of the token Bot Framework's other validation paths (skills, the Emulator, ASE) would take. */
const SKILL_CLAIMS = { ver: '1.0', appid: '0b0b0b0b-1111-4222-8333-944444444444' };
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

describe('a request for a channel Firebreak does not serve is refused before any network call', () => {
  const s = serverForThisBlock();

  test('AseChannel, emulator, webchat, a missing channelId, skill and Emulator tokens: refused, no connection opened; then a Teams activity fetches the keys from the configured issuer only', async () => {
    const cases: [string, object, string | undefined][] = [
      // A token every later check would take: only the channel check can refuse it (on main it fetched Microsoft's metadata).
      ['AseChannel', { ...message(s, 'declare sev2 from ASE'), channelId: 'AseChannel' }, token(s)],
      ['AseChannel with an Emulator token', { ...message(s, 'declare sev2 from ASE'), channelId: 'AseChannel' }, token(s, { issuer: EMULATOR_ISSUER, claims: { ver: '1.0', appid: APP_ID } })],
      ['emulator', { ...message(s, 'declare sev2 from the emulator'), channelId: 'emulator' }, token(s)],
      ['webchat', { ...message(s, 'declare sev2 from webchat'), channelId: 'webchat' }, token(s)],
      ['no channelId', { ...message(s, 'declare sev2 without a channel'), channelId: undefined }, token(s)],
      ['a skill token', message(s, 'declare sev2 from a skill'), token(s, { claims: SKILL_CLAIMS })],
      ['an Emulator token', message(s, 'declare sev2 from the Emulator'), token(s, { issuer: EMULATOR_ISSUER, claims: { ver: '1.0', appid: APP_ID } })],
      ['an AseChannel token on msteams', message(s, 'declare sev2 ASE token'), token(s, { issuer: 'https://login.microsoftonline.com/botframework.com/v2.0', claims: { ver: '2.0', azp: APP_ID } })],
    ];
    const answers: [string, number | 'refused'][] = [];
    const statuses: Record<string, number> = {};
    for (const [name, activity, bearer] of cases) {
      const { status } = await post(s.firebreak.url, activity, bearer);
      statuses[name] = status;
      answers.push([name, [400, 401, 403].includes(status) ? 'refused' : status]);
    }
    expect([statuses.AseChannel, statuses.emulator, statuses.webchat]).toEqual([403, 403, 403]); // the channel check
    expect(connections(s).filter((c) => c.netGuard === 'blocked')).toEqual([]);
    expect(answers).toEqual(cases.map(([name]) => [name, 'refused']));
    expect(connections(s)).toEqual([]);
    expect(s.channel.recorded).toEqual([]);

    // The guard sees botbuilder's key fetch: the first valid Teams activity opens a connection to the local issuer.
    const ok = await post(s.firebreak.url, message(s, 'help'), token(s));
    expect(ok.status).toBe(200);
    const port = Number(new URL(s.channel.url).port);
    expect(connections(s)).toContainEqual({ netGuard: 'connect', host: '127.0.0.1', port });
    expect(connections(s).filter((c) => c.netGuard === 'blocked')).toEqual([]);
  });
});

describe('an activity from another tenant', () => {
  const s = serverForThisBlock();
  // Keys the store de-duplicates inbound activities by (the product's own function).
  const keyOf = (activity: object) => inboundKey(activity as Parameters<typeof inboundKey>[0])!;

  test('a correctly signed activity from another tenant is refused and leaves no trace (no reply, no incident, no inbound row); the same from our tenant declares', async () => {
    const cases: [string, ReturnType<typeof withTenant>][] = [
      ['another tenant (both fields)', withTenant(message(s, `declare sev1 Foreign tenant ${randomUUID()}`), OTHER_TENANT, OTHER_TENANT)],
      ['another tenant in conversation.tenantId', withTenant(message(s, `declare sev1 Foreign conversation ${randomUUID()}`), OTHER_TENANT, TENANT)],
      ['another tenant in channelData.tenant.id', withTenant(message(s, `declare sev1 Foreign channelData ${randomUUID()}`), TENANT, OTHER_TENANT)],
      ['no tenant at all', withTenant(message(s, `declare sev1 No tenant ${randomUUID()}`), undefined, undefined)],
    ];
    for (const [name, activity] of cases) {
      const res = await post(s.firebreak.url, activity, token(s));
      expect({ name, status: res.status }).toEqual({ name, status: 403 });
      expect(res.body).toEqual({ error: expect.stringMatching(/tenant/) });
    }
    // Control: the same activity from the bot's own tenant is served.
    const ours = message(s, 'declare sev1 Our own tenant');
    expect((await post(s.firebreak.url, ours, token(s))).status).toBe(200);
    await eventually(() => s.channel.recorded.find((r) => r.conversationId === ours.conversation.id && r.activity.attachments), 'the card for our tenant');
    for (const [, activity] of cases) expect(s.channel.recorded.filter((r) => r.conversationId === activity.conversation.id)).toEqual([]);

    await s.firebreak.stop(); // PGlite: one process per data directory
    const store = await openStore(`pglite:${s.databaseDir}`);
    try {
      expect((await store.list()).map((i) => i.title)).toEqual(['Our own tenant']);
      expect(await store.seenInbound(keyOf(ours))).toBe(true);
      for (const [, activity] of cases) expect(await store.seenInbound(keyOf(activity))).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('tokens and refusals; ALLOWED_TENANT_IDS', () => {
  const s = serverForThisBlock({ ALLOWED_TENANT_IDS: `${LISTED_TENANT}, ${TENANT}` });
  const refusalLines = (from: number) => s.firebreak.logs.slice(from).filter((l) => l.includes('"refused'));

  test('token expiry and not-before: refused beyond 5 minutes of clock skew, accepted within it; a token without exp is refused', async () => {
    const cases: [string, InboundTokenOptions, number][] = [
      ['no exp', { omitExpiry: true }, 401],
      ['expired 6 min ago', { expiresInSeconds: -360 }, 401],
      ['expired 4 min ago', { expiresInSeconds: -240 }, 200],
      ['valid from in 6 min', { notBeforeSeconds: 360 }, 401],
      ['valid from in 4 min', { notBeforeSeconds: 240 }, 200],
    ];
    for (const [name, options, status] of cases) {
      const res = await post(s.firebreak.url, message(s, 'help'), token(s, options));
      expect({ name, status: res.status }).toEqual({ name, status });
    }
  });

  test('every refusal is a 4xx (never a 500) with exactly one JSON log line naming the reason, never the token', async () => {
    const cases: [string, () => string | undefined, object?][] = [
      ['no token', () => undefined],
      ['not a bearer token', () => 'Basic dXNlcjpwYXNz'],
      ['garbage', () => 'Bearer not.a.jwt'],
      ['wrong key', () => token(s, { key: 'untrusted' })],
      ['unknown key id', () => token(s, { keyId: 'no-such-key' })],
      ['expired', () => token(s, { expiresInSeconds: -3600 })],
      ['no exp', () => token(s, { omitExpiry: true })],
      ['not yet valid', () => token(s, { notBeforeSeconds: 3600 })],
      ['another bot', () => token(s, { audience: '00000000-0000-4000-8000-000000000000' })],
      ['another issuer', () => token(s, { issuer: 'https://evil.example' })],
      ['another serviceUrl', () => token(s, { serviceUrl: 'https://elsewhere.example/' })],
      ['another tenant', () => token(s), withTenant(message(s, 'help'), OTHER_TENANT, OTHER_TENANT)],
      ['another channel', () => token(s), { ...message(s, 'help'), channelId: 'directline' }],
    ];
    const start = s.firebreak.logs.length;
    const tokens: string[] = [];
    for (const [name, bearer, activity] of cases) {
      const from = s.firebreak.logs.length;
      const header = bearer();
      if (header) tokens.push(header.replace(/^Bearer /, ''));
      const res = await post(s.firebreak.url, activity ?? message(s, 'help'), header);
      expect({ name, status: res.status }).toEqual({ name, status: activity ? 403 : 401 });
      expect(res.body).toEqual({ error: expect.any(String) });
      await eventually(() => (refusalLines(from).length ? true : undefined), `the log line for "${name}"`);
    }
    // The window holds one line per refusal and nothing else (botbuilder's console output included: it is folded in).
    // The guard's own connection lines are not Firebreak's (a key fetch, when the cache is cold, depends on order).
    const window = s.firebreak.logs.slice(start).filter((l) => !l.startsWith('{"netGuard"'));
    expect(window).toHaveLength(cases.length);
    for (const line of window) {
      const entry = JSON.parse(line);
      expect(entry).toMatchObject({ level: 'warn', msg: expect.stringMatching(/^refused/), reason: expect.any(String) });
      for (const part of tokens.flatMap((t) => t.split(/[. ]/)).filter((p) => p.length >= 8)) expect(line).not.toContain(part);
    }
    // botbuilder's own console.error for a badly signed token is in the refusal's line, its public key elided.
    const wrongKey = JSON.parse(window[cases.findIndex(([name]) => name === 'wrong key')]);
    expect(wrongKey.botbuilder).toEqual([expect.stringMatching(/^Error finding key for token\. Available keys: \[key\]/)]);
    // Nothing the process wrote went around the JSON logger, and no connection left loopback.
    expect(s.firebreak.logs.filter((l) => !isJsonObject(l))).toEqual([]);
    expect(connections(s).filter((c) => c.netGuard === 'blocked')).toEqual([]);
  });

  test('ALLOWED_TENANT_IDS: every listed tenant is served; an unlisted one is refused', async () => {
    const listed = withTenant(message(s, 'help'), LISTED_TENANT, LISTED_TENANT);
    expect((await post(s.firebreak.url, listed, token(s))).status).toBe(200);
    expect((await post(s.firebreak.url, message(s, 'help'), token(s))).status).toBe(200);
    const other = withTenant(message(s, 'help'), OTHER_TENANT, OTHER_TENANT);
    expect((await post(s.firebreak.url, other, token(s))).status).toBe(403);
  });
});
