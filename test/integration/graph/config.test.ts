import { ConfigError, loadConfig } from '../../../src/config';

const BOT = {
  MICROSOFT_APP_ID: '9d6c3f1e-1111-4222-8333-944444444444',
  MICROSOFT_APP_PASSWORD: 'secret',
  MICROSOFT_APP_TENANT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  DATABASE_URL: 'pglite:/tmp/x',
};
const TEAM = '22222222-3333-4444-5555-666666666666';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/tmp');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

test('production without Graph settings uses no Graph; with them, credentials default to the bot app', () => {
  expect(loadConfig(BOT, '/tmp').graph).toMatchObject({ emulate: false, teamId: '', organizerId: '', mailTo: [] });
  const config = loadConfig({ ...BOT, GRAPH_INCIDENT_TEAM_ID: TEAM, GRAPH_MAIL_SENDER: 'fb@contoso.test', INCIDENT_MAIL_TO: 'a@contoso.test, b@contoso.test' }, '/tmp');
  expect(config.graph).toMatchObject({
    clientId: BOT.MICROSOFT_APP_ID,
    clientSecret: 'secret',
    tenantId: BOT.MICROSOFT_APP_TENANT_ID,
    baseUrl: 'https://graph.microsoft.com',
    authorityHost: 'https://login.microsoftonline.com',
    mailTo: ['a@contoso.test', 'b@contoso.test'],
    bridgeFallback: 'none',
  });
});

test('every Graph problem is named in one ConfigError', () => {
  expect(
    problems({
      ...BOT,
      GRAPH_INCIDENT_TEAM_ID: '19:abc@thread.tacv2',
      GRAPH_MEETING_ORGANIZER_ID: 'bridges@contoso.test',
      GRAPH_BRIDGE_FALLBACK: 'phone',
      GRAPH_BASE_URL: 'http://graph.local',
      INCIDENT_MAIL_TO: 'incidents',
      GRAPH_MAX_RETRIES: '99',
      EFFECT_RETRY_BASE_MS: 'soon',
    }),
  ).toEqual([
    'GRAPH_BASE_URL must be https: the Graph client sends tokens to https hosts only (got "http://graph.local")',
    'GRAPH_MAX_RETRIES must be a whole number 0-10 (got "99")',
    'GRAPH_BRIDGE_FALLBACK must be none or calendar (got "phone")',
    `GRAPH_INCIDENT_TEAM_ID must be the team's Entra group id (channelData.team.aadGroupId, a GUID), not its thread id "19:abc@thread.tacv2"`,
    `GRAPH_MEETING_ORGANIZER_ID must be the organizer's Entra object id, a GUID (got "bridges@contoso.test")`,
    'INCIDENT_MAIL_TO must be comma-separated email addresses (got "incidents")',
    'INCIDENT_MAIL_TO needs GRAPH_MAIL_SENDER, the mailbox announcements are sent from',
    'EFFECT_RETRY_BASE_MS must be a whole number 1-3600000 (got "soon")',
  ]);
});

test('local mode emulates Graph unless given its own app; ids without one are a mistake said plainly', () => {
  expect(loadConfig({}, '/tmp').graph.emulate).toBe(true);
  expect(problems({ GRAPH_INCIDENT_TEAM_ID: TEAM })).toEqual([
    'GRAPH_INCIDENT_TEAM_ID, GRAPH_MEETING_ORGANIZER_ID and GRAPH_MAIL_SENDER need GRAPH_CLIENT_ID in local mode (without it, Graph is emulated in-process)',
  ]);
  const real = loadConfig({ GRAPH_CLIENT_ID: BOT.MICROSOFT_APP_ID, GRAPH_CLIENT_SECRET: 's', GRAPH_TENANT_ID: BOT.MICROSOFT_APP_TENANT_ID, GRAPH_INCIDENT_TEAM_ID: TEAM }, '/tmp');
  expect(real.graph).toMatchObject({ emulate: false, teamId: TEAM });
});

test('the effect retry knobs are read and checked', () => {
  expect(
    loadConfig(
      { EFFECT_RETRY_BASE_MS: '50', EFFECT_RETRY_CAP_MS: '500', EFFECT_GIVE_UP_AFTER_SECONDS: '60', MAIL_WAIT_FOR_LINKS_SECONDS: '0', EFFECT_LEASE_SECONDS: '5', MAIL_SENT_COPY_WAIT_SECONDS: '2' },
      '/tmp',
    ).workers,
  ).toEqual({
    retryBaseMs: 50,
    retryCapMs: 500,
    giveUpAfterMs: 60_000,
    mailWaitMs: 0,
    leaseMs: 5_000,
    mailSentCopyWaitMs: 2_000,
  });
  expect(loadConfig({}, '/tmp').workers).toMatchObject({ leaseMs: 60_000, mailSentCopyWaitMs: 30_000 });
  expect(problems({ EFFECT_LEASE_SECONDS: '1' })).toEqual([expect.stringContaining('EFFECT_LEASE_SECONDS')]);
  expect(problems({ EFFECT_RETRY_BASE_MS: '500', EFFECT_RETRY_CAP_MS: '50' })).toEqual(['EFFECT_RETRY_CAP_MS must not be below EFFECT_RETRY_BASE_MS']);
});
