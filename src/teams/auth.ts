import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import {
  AuthenticationError,
  BotFrameworkAuthentication,
  ServiceClientCredentialsFactory,
  SkillValidation,
  UserTokenClient,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorFactory,
} from 'botframework-connector';
import type { BotConfig } from '../config';
import { channelRefusal, InboundRefused, tenantRefusal, tokenRefusal } from './inbound-checks';

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
export function createBotAuthentication(bot: BotConfig, now: () => number = Date.now): BotFrameworkAuthentication {
  return new FirebreakAuthentication(botbuilderAuthentication(bot), bot, now);
}

function botbuilderAuthentication(bot: BotConfig): BotFrameworkAuthentication {
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

const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * botbuilder's authentication with Firebreak's own checks around it, all failures as one error type
 * (InboundRefused: 401 bad token, 403 channel or tenant not served, 503 keys unreachable). botbuilder validates only
 * what it is given: the channel check comes first because `channelId` chooses its validation path (AseChannel's
 * fetches login.microsoftonline.com); the token check keeps tokens for its Emulator and skill paths, and tokens
 * without `exp`, away from it; the tenant is checked once the token is known good, so an unauthenticated caller
 * learns nothing about tenants. Skill and streaming entry points are closed: Firebreak is neither.
 */
export class FirebreakAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly bot: BotConfig,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const channel = channelRefusal(activity);
    if (channel) throw new InboundRefused(403, channel);
    if (!this.bot.appId) return this.inner.authenticateRequest(activity, authHeader); // local mode: nothing to check
    const token = tokenRefusal(authHeader, this.bot.tokenIssuer, Math.floor(this.now() / 1000));
    if (token) throw new InboundRefused(401, token);
    if (SkillValidation.isSkillToken(authHeader)) throw new InboundRefused(401, 'skill tokens are not accepted: Firebreak is not a skill');
    let result: AuthenticateRequestResult;
    try {
      result = await this.inner.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw refusalOf(err);
    }
    const tenant = tenantRefusal(activity, this.bot.allowedTenants);
    if (tenant) throw new InboundRefused(403, tenant);
    return result;
  }

  override async authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new InboundRefused(401, 'streaming requests are not served');
  }

  override async authenticateChannelRequest(): Promise<ClaimsIdentity> {
    throw new InboundRefused(401, 'skill requests are not served');
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  /** CloudAdapter makes one for every turn; Firebreak signs no one in, so it is a client that never calls out. */
  override async createUserTokenClient(): Promise<UserTokenClient> {
    return new NoUserTokens();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
}

/** What botbuilder threw while validating: a bad token is a 401; keys it could not fetch are a 503 (retry). */
function refusalOf(err: unknown): Error {
  if (err instanceof InboundRefused) return err;
  const e = err as Error & { statusCode?: number; code?: string };
  if (err instanceof AuthenticationError && (e.statusCode ?? 401) >= 500) return new InboundRefused(503, `the token signing keys could not be fetched: ${e.message}`);
  if (err instanceof AuthenticationError || JWT_ERRORS.has(e.name) || e.statusCode === 401) return new InboundRefused(401, e.message);
  if (e.name === 'FetchError' || e.code === 'ECONNREFUSED') return new InboundRefused(503, `the token signing keys could not be fetched: ${e.message}`);
  return e;
}

class NoUserTokens extends UserTokenClient {
  private refuse(): never {
    throw new Error('Firebreak uses no user sign-in (OAuth cards); the Bot Framework token service is never called');
  }
  getUserToken = async () => this.refuse();
  getSignInResource = async () => this.refuse();
  signOutUser = async () => this.refuse();
  getTokenStatus = async () => this.refuse();
  getAadTokens = async () => this.refuse();
  exchangeToken = async () => this.refuse();
}
