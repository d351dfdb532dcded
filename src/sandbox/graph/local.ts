import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { GraphConfig } from '../../config';
import { PLAYGROUND_PEOPLE } from '../../local/people';
import { sandboxLinks } from './links';
import { startGraphEmulator, type GraphEmulator } from './server';

// Fixed ids so links and the sandbox page stay the same from one local run to the next.
const TENANT_ID = '0f1b0000-0000-4000-8000-000000000001';
const CLIENT_ID = '0f1b0000-0000-4000-8000-000000000002';
const TEAM_ID = '0f1b0000-0000-4000-8000-000000000003';
const ORGANIZER_ID = '0f1b0000-0000-4000-8000-000000000004';
const SENDER_ID = '0f1b0000-0000-4000-8000-000000000005';

/**
 * Local mode's Microsoft Graph: the emulator in-process, with one app consented to every permission
 * Firebreak needs, an incident team, a meeting organizer covered by an access policy, a sender mailbox, and the
 * organisation file's Planner plan when it names one.
 * What it makes is kept in the data folder (`graph-emulator.json`), so a restart finds the channels, bridges and
 * mails of earlier runs, and their links lead to the sandbox pages of Firebreak at `pagesBase`.
 * Returns the Graph configuration pointing at it and the CA to trust for it.
 */
export async function startLocalGraph(config: GraphConfig, opts: { dataDir?: string; pagesBase?: string; plannerPlanId?: string } = {}): Promise<{ emulator: GraphEmulator; config: GraphConfig; ca: string }> {
  const clientSecret = randomBytes(24).toString('base64url');
  const emulator = await startGraphEmulator({
    tenantId: TENANT_ID,
    apps: [{ clientId: CLIENT_ID, clientSecret, roles: ['Channel.Create', 'Channel.ReadBasic.All', 'OnlineMeetings.ReadWrite.All', 'Calendars.ReadWrite', 'Mail.Send', 'Tasks.ReadWrite.All'] }],
    users: [
      { id: ORGANIZER_ID, userPrincipalName: 'bridges@firebreak.local', displayName: 'Firebreak bridges' },
      { id: SENDER_ID, userPrincipalName: 'firebreak@firebreak.local', displayName: 'Firebreak', mail: 'firebreak@firebreak.local' },
      // The Playground's people, so a private incident's channel can name its commander and declarer as owners.
      ...PLAYGROUND_PEOPLE.map((p) => ({ id: p.aadObjectId, userPrincipalName: p.email, displayName: p.name, mail: p.email })),
    ],
    teams: [{ id: TEAM_ID, displayName: 'Incidents (emulated)' }],
    accessPolicies: [{ appIds: [CLIENT_ID], users: [ORGANIZER_ID] }],
    // The organisation file's follow-up plan, so local mode exports planning items to it (GET /_emulator/state shows them).
    ...(opts.plannerPlanId && { plans: [{ id: opts.plannerPlanId, title: 'Follow-ups (emulated)' }] }),
  }, {
    ...(opts.dataDir ? { stateFile: path.join(opts.dataDir, 'graph-emulator.json') } : {}),
    ...(opts.pagesBase ? { links: sandboxLinks(opts.pagesBase) } : {}),
  });
  return {
    emulator,
    ca: emulator.ca,
    config: {
      ...config,
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      clientSecret,
      baseUrl: emulator.url,
      authorityHost: emulator.url,
      teamId: TEAM_ID,
      organizerId: ORGANIZER_ID,
      mailSender: 'firebreak@firebreak.local',
      mailTo: config.mailTo.length ? config.mailTo : ['incidents@firebreak.local'],
    },
  };
}
