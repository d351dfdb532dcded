import type { BotConfig } from './bot';
import { EMAIL, GUID, int, type Mode, type Str, type Url } from './parse';

/**
 * Microsoft Graph: the incident channel, the meeting bridge and the announcement email. Each is on when its
 * ids are given. Credentials default to the bot's own app registration. In local mode without
 * GRAPH_CLIENT_ID, Graph is emulated in-process and main.ts fills the ids from the emulator.
 */
export interface GraphConfig {
  emulate: boolean;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** `https://graph.microsoft.com`; must be https (the Graph client only sends tokens to https hosts). */
  baseUrl: string;
  /** Where tokens come from, `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** GRAPH_INCIDENT_TEAM_ID: the Entra group id of the team incident channels are made in. */
  teamId: string;
  /** GRAPH_MEETING_ORGANIZER_ID: the object id of the service user who organizes meeting bridges. */
  organizerId: string;
  bridgeFallback: 'none' | 'calendar';
  /** GRAPH_MAIL_SENDER: the mailbox announcements are sent from (user id or UPN). */
  mailSender: string;
  /** INCIDENT_MAIL_TO: the incidents list (comma-separated addresses). */
  mailTo: string[];
  /** Retries inside one attempt by the Graph SDK's RetryHandler (429/503/504, honouring Retry-After). */
  maxRetries: number;
}

export function graphConfig(
  env: NodeJS.ProcessEnv,
  mode: Mode,
  bot: BotConfig,
  problems: string[],
  str: Str,
  url: Url,
): GraphConfig {
  const emulate = mode === 'local' && !str('GRAPH_CLIENT_ID');
  const https = (name: string, fallback: string) => {
    const value = url(name, fallback);
    if (value.startsWith('http:')) problems.push(`${name} must be https: the Graph client sends tokens to https hosts only (got "${value}")`);
    return value;
  };
  const config: GraphConfig = {
    emulate,
    tenantId: str('GRAPH_TENANT_ID', bot.tenantId),
    clientId: str('GRAPH_CLIENT_ID', bot.appId),
    clientSecret: str('GRAPH_CLIENT_SECRET', bot.appPassword),
    baseUrl: https('GRAPH_BASE_URL', 'https://graph.microsoft.com'),
    authorityHost: https('GRAPH_AUTHORITY_HOST', 'https://login.microsoftonline.com'),
    teamId: str('GRAPH_INCIDENT_TEAM_ID'),
    organizerId: str('GRAPH_MEETING_ORGANIZER_ID'),
    bridgeFallback: str('GRAPH_BRIDGE_FALLBACK', 'none') as GraphConfig['bridgeFallback'],
    mailSender: str('GRAPH_MAIL_SENDER'),
    mailTo: str('INCIDENT_MAIL_TO').split(',').map((a) => a.trim()).filter(Boolean),
    maxRetries: int(env, 'GRAPH_MAX_RETRIES', 3, 0, 10, problems),
  };
  if (config.bridgeFallback !== 'none' && config.bridgeFallback !== 'calendar') {
    problems.push(`GRAPH_BRIDGE_FALLBACK must be none or calendar (got "${config.bridgeFallback}")`);
  }
  if (config.teamId.startsWith('19:')) {
    problems.push(`GRAPH_INCIDENT_TEAM_ID must be the team's Entra group id (channelData.team.aadGroupId, a GUID), not its thread id "${config.teamId}"`);
  } else if (config.teamId && !GUID.test(config.teamId)) {
    problems.push(`GRAPH_INCIDENT_TEAM_ID must be the team's Entra group id, a GUID (got "${config.teamId}")`);
  }
  if (config.organizerId && !GUID.test(config.organizerId)) {
    problems.push(`GRAPH_MEETING_ORGANIZER_ID must be the organizer's Entra object id, a GUID (got "${config.organizerId}")`);
  }
  if (config.bridgeFallback === 'calendar' && !config.organizerId && !emulate) problems.push('GRAPH_BRIDGE_FALLBACK=calendar needs GRAPH_MEETING_ORGANIZER_ID');
  const badAddress = config.mailTo.find((a) => !EMAIL.test(a));
  if (badAddress) problems.push(`INCIDENT_MAIL_TO must be comma-separated email addresses (got "${badAddress}")`);
  if (config.mailTo.length && !config.mailSender && !emulate) problems.push('INCIDENT_MAIL_TO needs GRAPH_MAIL_SENDER, the mailbox announcements are sent from');
  if (config.mailSender && !config.mailTo.length) problems.push('GRAPH_MAIL_SENDER is set but INCIDENT_MAIL_TO is empty: who should the announcements go to?');
  const used = config.teamId || config.organizerId || config.mailSender;
  if (emulate && used) {
    problems.push('GRAPH_INCIDENT_TEAM_ID, GRAPH_MEETING_ORGANIZER_ID and GRAPH_MAIL_SENDER need GRAPH_CLIENT_ID in local mode (without it, Graph is emulated in-process)');
  } else if (used) {
    if (!GUID.test(config.tenantId)) problems.push(`GRAPH_TENANT_ID (or MICROSOFT_APP_TENANT_ID) must be the tenant's GUID for Graph (got "${config.tenantId}")`);
    if (!GUID.test(config.clientId)) problems.push(`GRAPH_CLIENT_ID (or MICROSOFT_APP_ID) must be an Entra app id, a GUID (got "${config.clientId}")`);
    if (!config.clientSecret) problems.push('GRAPH_CLIENT_SECRET (or MICROSOFT_APP_PASSWORD) is required to call Graph');
  }
  return config;
}
