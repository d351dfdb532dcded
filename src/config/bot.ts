import { GUID, type Mode, type Str, type Url } from './parse';

export interface BotConfig {
  /** Empty in local mode: inbound tokens are not checked and outbound calls carry none. */
  appId: string;
  appPassword: string;
  tenantId: string;
  /**
   * The tenants whose Teams activities are served (lowercase GUIDs): ALLOWED_TENANT_IDS, or the bot's own tenant.
   * Empty in local mode, where nothing inbound is authenticated.
   */
  allowedTenants: string[];
  /** Where inbound tokens' signing keys are published (botbuilder `ToBotFromChannelOpenIdMetadataUrl`). */
  openIdMetadataUrl: string;
  /** The issuer inbound tokens must carry (`ToBotFromChannelTokenIssuer`). */
  tokenIssuer: string;
  /** The authority outbound tokens come from (`ToChannelFromBotLoginUrl`), without the tenant. */
  loginUrl: string;
  /** The scope of outbound tokens (`ToChannelFromBotOAuthScope`). */
  oauthScope: string;
}

/** The bot's identity and where its tokens are checked and fetched; production requires the id, secret and tenant. */
export function botConfig(mode: Mode, problems: string[], str: Str, url: Url): BotConfig {
  const tenantId = str('MICROSOFT_APP_TENANT_ID');
  const listed = str('ALLOWED_TENANT_IDS')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const bot: BotConfig = {
    appId: str('MICROSOFT_APP_ID'),
    appPassword: str('MICROSOFT_APP_PASSWORD'),
    tenantId,
    allowedTenants: mode === 'production' ? (listed.length ? listed : [tenantId.toLowerCase()]) : [],
    openIdMetadataUrl: url('BOT_OPENID_METADATA_URL', 'https://login.botframework.com/v1/.well-known/openidconfiguration'),
    tokenIssuer: str('BOT_TOKEN_ISSUER', 'https://api.botframework.com'),
    loginUrl: url('BOT_LOGIN_URL', 'https://login.microsoftonline.com'),
    oauthScope: str('BOT_OAUTH_SCOPE', 'https://api.botframework.com'),
  };
  if (mode === 'production') {
    if (!GUID.test(bot.appId)) problems.push(`MICROSOFT_APP_ID must be the bot's Entra app id, a GUID (got "${bot.appId}")`);
    if (!bot.appPassword) problems.push("MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set (the bot's client secret)");
    if (!bot.tenantId) problems.push('MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_ID is set');
    else if (!GUID.test(bot.tenantId)) problems.push(`MICROSOFT_APP_TENANT_ID must be a GUID (got "${bot.tenantId}")`);
    const bad = listed.filter((t) => !GUID.test(t));
    if (bad.length) problems.push(`ALLOWED_TENANT_IDS must be tenant ids (GUIDs) separated by commas (got "${bad.join('", "')}")`);
  } else if (listed.length) {
    problems.push('ALLOWED_TENANT_IDS is set but MICROSOFT_APP_ID is not: local mode authenticates nothing, so it checks no tenant');
  }
  return bot;
}
