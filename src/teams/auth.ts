import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ServiceClientCredentialsFactory, type BotFrameworkAuthentication } from 'botframework-connector';
import type { BotConfig } from '../config';

type Credentials = Awaited<ReturnType<ServiceClientCredentialsFactory['createCredentials']>>;

/**
 * Outbound tokens by the OAuth 2.0 client-credentials grant against `<loginUrl>/<tenant>/oauth2/v2.0/token`:
 * the same request Entra ID answers in production and the local token issuer answers in tests.
 * botbuilder's own factory goes through MSAL, whose authority discovery can't be pointed at a local issuer.
 */
export class ClientCredentialsFactory extends ServiceClientCredentialsFactory {
  private cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly bot: BotConfig) {
    super();
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.bot.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return !this.bot.appId;
  }

  async createCredentials(appId: string, audience: string | undefined): Promise<Credentials> {
    if (!this.bot.appId) return { signRequest: async (request) => request };
    if (appId !== this.bot.appId) throw new Error('Invalid appId.');
    const scope = `${(audience || this.bot.oauthScope).replace(/\/$/, '')}/.default`;
    return {
      signRequest: async (request) => {
        request.headers.set('authorization', `Bearer ${await this.token(scope)}`);
        return request;
      },
    };
  }

  private async token(scope: string): Promise<string> {
    const cached = this.cache.get(scope);
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    const url = `${this.bot.loginUrl}/${this.bot.tenantId}/oauth2/v2.0/token`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.bot.appId,
        client_secret: this.bot.appPassword,
        scope,
      }),
    });
    if (!response.ok) throw new Error(`token request to ${url} failed: HTTP ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    this.cache.set(scope, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
    return body.access_token;
  }
}

/** Inbound validation: every `ToBotFromChannel*` / `ToChannelFromBot*` setting comes from config. */
export function createBotAuthentication(bot: BotConfig): BotFrameworkAuthentication {
  if (!bot.appId) {
    return new ConfigurationBotFrameworkAuthentication({}, new ClientCredentialsFactory(bot));
  }
  return new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: bot.appId,
      MicrosoftAppTenantId: bot.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: bot.tokenIssuer,
      // Emulator tokens are never accepted in production; point their check at the channel's keys too.
      ToBotFromEmulatorOpenIdMetadataUrl: bot.openIdMetadataUrl,
      ToChannelFromBotLoginUrl: `${bot.loginUrl}/${bot.tenantId}`,
      ToChannelFromBotOAuthScope: bot.oauthScope,
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    },
    new ClientCredentialsFactory(bot),
  );
}
