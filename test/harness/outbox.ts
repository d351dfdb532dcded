import { CloudAdapter } from 'botbuilder';
import { createBotAuthentication } from '../../src/teams/auth';
import { createDirectChats, directReach, type DirectReach } from '../../src/teams/direct-chat';
import { createTeamsOutbox, type TeamsOutbox } from '../../src/teams/outbox';

/** The real Teams outbox with no app id: it posts to whatever service URL a conversation names, without a token. */
export function unauthenticatedOutbox(now: () => Date): TeamsOutbox {
  return createTeamsOutbox(unauthenticatedAdapter(), '', now);
}

/** The bot's real 1:1 chats with no app id, opened through `serviceUrl` in `tenantId` (the local connector's). */
export function unauthenticatedDirectReach(serviceUrl: string, tenantId: string): DirectReach {
  return directReach(createDirectChats(unauthenticatedAdapter(), ''), { serviceUrl, tenantId });
}

function unauthenticatedAdapter(): CloudAdapter {
  const bot = { appId: '', appPassword: '', tenantId: '', allowedTenants: [], openIdMetadataUrl: 'https://x', tokenIssuer: 'x', loginUrl: 'https://x', oauthScope: 'x' };
  return new CloudAdapter(createBotAuthentication(bot));
}
