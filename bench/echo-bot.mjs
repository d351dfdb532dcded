// The baseline of issue 15's "irrelevant-message throughput ÷ bare botbuilder echo bot": botbuilder's echo sample
// (restify + CloudAdapter + ActivityHandler), nothing added but what the local channel needs. Plain JavaScript run by
// node, as the compiled Firebreak is: no TypeScript loader at run time.
//
// Inbound tokens are checked as Firebreak checks them (src/teams/auth.ts): ConfigurationBotFrameworkAuthentication
// with the same ToBotFrom*/ToChannelFromBot* settings from the same environment variables. Outbound tokens come from
// the same client-credentials grant, because botbuilder's own factory goes through MSAL, whose authority discovery
// cannot be pointed at the local token issuer. Every message is echoed with `context.sendActivity` inside the turn:
// the reply reaches the Bot Connector BEFORE the HTTP answer, as in the sample.
//
// Environment: MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID, BOT_OPENID_METADATA_URL,
// BOT_LOGIN_URL, optional BOT_TOKEN_ISSUER, BOT_OAUTH_SCOPE, PORT (0: any free port). Prints {"listening":<port>}.
import botbuilder from 'botbuilder';
import connector from 'botframework-connector';
import restify from 'restify';

const { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } = botbuilder;
const { ServiceClientCredentialsFactory } = connector;

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`echo bot: ${name} is required`);
  return value;
};

const bot = {
  appId: env('MICROSOFT_APP_ID'),
  appPassword: env('MICROSOFT_APP_PASSWORD'),
  tenantId: env('MICROSOFT_APP_TENANT_ID'),
  openIdMetadataUrl: env('BOT_OPENID_METADATA_URL'),
  loginUrl: env('BOT_LOGIN_URL'),
  tokenIssuer: env('BOT_TOKEN_ISSUER', 'https://api.botframework.com'),
  oauthScope: env('BOT_OAUTH_SCOPE', 'https://api.botframework.com'),
};

/** Client credentials against `<loginUrl>/<tenant>/oauth2/v2.0/token`, cached until a minute before expiry (as MSAL does). */
class ClientCredentials extends ServiceClientCredentialsFactory {
  cache = new Map();

  async isValidAppId(appId) {
    return appId === bot.appId;
  }

  async isAuthenticationDisabled() {
    return false;
  }

  async createCredentials(appId, audience) {
    if (appId !== bot.appId) throw new Error('Invalid appId.');
    const scope = `${(audience || bot.oauthScope).replace(/\/$/, '')}/.default`;
    return {
      signRequest: async (request) => {
        request.headers.set('authorization', `Bearer ${await this.token(scope)}`);
        return request;
      },
    };
  }

  async token(scope) {
    const cached = this.cache.get(scope);
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    const response = await fetch(`${bot.loginUrl}/${bot.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: bot.appId, client_secret: bot.appPassword, scope }),
    });
    if (!response.ok) throw new Error(`token request failed: HTTP ${response.status}`);
    const body = await response.json();
    this.cache.set(scope, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
    return body.access_token;
  }
}

const authentication = new ConfigurationBotFrameworkAuthentication(
  {
    MicrosoftAppId: bot.appId,
    MicrosoftAppTenantId: bot.tenantId,
    ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: bot.tokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: bot.openIdMetadataUrl,
    ToChannelFromBotLoginUrl: `${bot.loginUrl}/${bot.tenantId}`,
    ToChannelFromBotOAuthScope: bot.oauthScope,
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: true,
  },
  new ClientCredentials(),
);

const adapter = new CloudAdapter(authentication);
adapter.onTurnError = async (context, error) => {
  process.stderr.write(`echo bot: turn failed: ${error?.stack ?? error}\n`);
  throw error; // the channel sees a 500, as with a failed turn in Firebreak
};

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(MessageFactory.text(context.activity.text ?? ''));
      await next();
    });
  }
}

const echo = new EchoBot();
const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => echo.run(context));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ listening: server.address().port })}\n`);
});
// The bench holds this process's stdin: when the bench ends, even by a crash, stdin closes and so does the echo bot.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
