import type { BotConfig } from './bot';
import type { Mode, Str, Url } from './parse';

/**
 * The experts page's Teams SSO (production): the token Teams gives the tab (`authentication.getAuthToken()`) is an
 * Entra ID access token for the app's own API, checked server side like the bot's tokens, with settings named like
 * the `BOT_*` ones so tests point them at a local issuer:
 * - EXPERTS_SSO_METADATA_URL: the OpenID metadata whose `jwks_uri` publishes the signing keys;
 * - EXPERTS_SSO_ISSUER: the `iss` tokens must carry (v2.0 tokens: https://login.microsoftonline.com/<tenant>/v2.0);
 * - EXPERTS_SSO_AUDIENCE: the `aud`, the manifest's webApplicationInfo.resource (api://<host>/<app id>).
 * The `tid` claim must be one of the tenants the bot serves (ALLOWED_TENANT_IDS or the bot's own).
 */
export interface ExpertsSsoConfig {
  metadataUrl: string;
  issuer: string;
  audience: string;
  tenants: string[];
}

export function expertsSsoConfig(mode: Mode, bot: BotConfig, publicUrl: string, str: Str, url: Url): ExpertsSsoConfig | undefined {
  if (mode === 'local') return undefined; // local mode: the page is open on loopback (host-checked)
  const tenant = bot.tenantId || 'common';
  let host = 'localhost';
  try {
    host = new URL(publicUrl).host;
  } catch {
    /* PUBLIC_URL is named by its own check */
  }
  return {
    metadataUrl: url('EXPERTS_SSO_METADATA_URL', `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`),
    issuer: str('EXPERTS_SSO_ISSUER', `https://login.microsoftonline.com/${tenant}/v2.0`),
    audience: str('EXPERTS_SSO_AUDIENCE', `api://${host}/${bot.appId}`),
    tenants: bot.allowedTenants,
  };
}
