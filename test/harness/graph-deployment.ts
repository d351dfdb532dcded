import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graph/server';

/**
 * The Graph side of a production deployment, locally: the Graph emulator with the bot's app trusted for channels,
 * meetings and mail, the incident team, the meeting organizer and the mail sender, and its certificate in a file
 * for NODE_EXTRA_CA_CERTS. `env` configures Firebreak for it; with `mailTo`, the incidents list mail goes there.
 */
export interface GraphDeployment {
  graph: GraphEmulator;
  env: Record<string, string>;
  close(): Promise<void>;
}

export const TEAM = '22222222-3333-4444-5555-666666666666';
export const ORGANIZER = '33333333-4444-4555-8666-777777777777';
export const SENDER = 'firebreak@contoso.test';

export async function graphDeployment(opts: { appId: string; password: string; tenantId: string; mailTo?: string }): Promise<GraphDeployment> {
  const graph = await startGraphEmulator({
    tenantId: opts.tenantId,
    apps: [{ clientId: opts.appId, clientSecret: opts.password, roles: ['Channel.Create', 'Channel.ReadBasic.All', 'OnlineMeetings.ReadWrite.All', 'Mail.Send', 'Mail.Read'] }],
    users: [
      { id: ORGANIZER, userPrincipalName: 'bridges@contoso.test', displayName: 'Incident bridges' },
      { id: '44444444-5555-4666-8777-888888888888', userPrincipalName: SENDER, displayName: 'Firebreak', mail: SENDER },
    ],
    teams: [{ id: TEAM, displayName: 'Incidents' }],
    accessPolicies: [{ appIds: [opts.appId], users: [ORGANIZER] }],
  });
  const caFile = path.join(tmpdir(), `firebreak-graph-ca-${randomUUID()}.pem`);
  writeFileSync(caFile, graph.ca);
  return {
    graph,
    env: {
      GRAPH_BASE_URL: graph.url,
      GRAPH_AUTHORITY_HOST: graph.url,
      GRAPH_INCIDENT_TEAM_ID: TEAM,
      GRAPH_MEETING_ORGANIZER_ID: ORGANIZER,
      ...(opts.mailTo && { GRAPH_MAIL_SENDER: SENDER, INCIDENT_MAIL_TO: opts.mailTo }),
      NODE_EXTRA_CA_CERTS: caFile,
    },
    async close() {
      await graph.close();
      rmSync(caFile, { force: true });
    },
  };
}
