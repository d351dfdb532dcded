import { CloudAdapter } from 'botbuilder';
import { createBotAuthentication } from '../../src/teams/auth';
import { createTeamsOutbox, type TeamsOutbox } from '../../src/teams/outbox';

/** The real Teams outbox with no app id: it posts to whatever service URL a conversation names, without a token. */
export function unauthenticatedOutbox(now: () => Date): TeamsOutbox {
  const bot = { appId: '', appPassword: '', tenantId: '', allowedTenants: [], openIdMetadataUrl: 'https://x', tokenIssuer: 'x', loginUrl: 'https://x', oauthScope: 'x' };
  return createTeamsOutbox(new CloudAdapter(createBotAuthentication(bot)), '', now);
}
