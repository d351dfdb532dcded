import { createGraph, type Graph, type GraphOptions } from '../../../src/graph/graph';
import { startGraphEmulator, type GraphEmulator } from '../../../src/sandbox/graph/server';
import type { GraphTenant } from '../../../src/sandbox/graph/state';

export const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const CLIENT_ID = '9d6c3f1e-1111-4222-8333-944444444444';
export const SECRET = 'graph-test-secret';
export const TEAM = '22222222-3333-4444-5555-666666666666';
export const ORGANIZER = '33333333-4444-4555-8666-777777777777';
export const ALICE_OID = '00000000-0000-0000-0000-00000000a11c';
export const BOB_OID = '00000000-0000-0000-0000-000000000b0b';
export const SENDER = 'firebreak@contoso.test';
export const ALL_ROLES = ['Channel.Create', 'Channel.ReadBasic.All', 'OnlineMeetings.ReadWrite.All', 'Calendars.ReadWrite', 'Mail.Send'];

export function tenant(opts: { roles?: string[]; accessPolicy?: boolean } = {}): GraphTenant {
  return {
    tenantId: TENANT,
    apps: [{ clientId: CLIENT_ID, clientSecret: SECRET, roles: opts.roles ?? ALL_ROLES }],
    users: [
      { id: ORGANIZER, userPrincipalName: 'bridges@contoso.test', displayName: 'Incident bridges' },
      { id: '44444444-5555-4666-8777-888888888888', userPrincipalName: SENDER, displayName: 'Firebreak', mail: SENDER },
      { id: ALICE_OID, userPrincipalName: 'alice@contoso.test', displayName: 'Alice Adams' },
      { id: BOB_OID, userPrincipalName: 'bob@contoso.test', displayName: 'Bob Brown' },
    ],
    teams: [{ id: TEAM, displayName: 'Incidents' }],
    accessPolicies: opts.accessPolicy === false ? [] : [{ appIds: [CLIENT_ID], users: [ORGANIZER] }],
  };
}

export function startEmulator(opts: { roles?: string[]; accessPolicy?: boolean } = {}): Promise<GraphEmulator> {
  return startGraphEmulator(tenant(opts));
}

/** The real adapter, pointed at the emulator over HTTPS and trusting its certificate in-process. */
export function graphFor(emulator: GraphEmulator, overrides: Partial<GraphOptions> = {}): Graph {
  return createGraph({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    baseUrl: emulator.url,
    authorityHost: emulator.url,
    ca: emulator.ca,
    relistDelayMs: 20,
    ...overrides,
  });
}

/** Requests to Graph (not to the token endpoint) with their statuses, e.g. "POST /v1.0/teams/.../channels 201". */
export function graphCalls(emulator: GraphEmulator): string[] {
  return emulator.requests.filter((r) => r.path.startsWith('/v1.0/')).map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
}

export const CHANNELS_PATH = `/v1.0/teams/${TEAM}/channels`;
