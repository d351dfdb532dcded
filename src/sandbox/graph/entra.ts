import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import jwt from 'jsonwebtoken';
import type { Reply } from '../http';
import { graphError } from './errors';

/** An app registration the emulator issues tokens to, with its admin-consented application permissions. */
export interface EmulatedApp {
  clientId: string;
  clientSecret: string;
  roles: string[];
}

/** What Graph knows about the caller once its token checks out. */
export interface Caller {
  appId: string;
  roles: string[];
}

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/**
 * The slice of Entra ID that MSAL (under @azure/identity's ClientSecretCredential) talks to:
 * - GET  /{tenant}/v2.0/.well-known/openid-configuration: MSAL reads it for an authority it does not know
 *   (with `disableInstanceDiscovery` it skips instance discovery and asks only this);
 * - POST /{tenant}/oauth2/v2.0/token: client_credentials with client_secret, scope `<resource>/.default`.
 * Access tokens look like Graph's app-only v1 tokens: `aud` https://graph.microsoft.com, `iss`
 * https://sts.windows.net/{tid}/, `roles` = the consented application permissions, `idtyp` app.
 */
export function createEntra(tenantId: string, apps: () => EmulatedApp[]) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `emulator-${randomUUID().slice(0, 8)}`;
  const issuer = `https://sts.windows.net/${tenantId}/`;
  const oauthError = (status: number, error: string, description: string): Reply => ({
    status,
    body: { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: new Date().toISOString() },
  });

  function openIdConfiguration(base: string): Reply {
    const root = `${base}/${tenantId}`;
    return {
      status: 200,
      body: {
        issuer: `${root}/v2.0`,
        authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
        token_endpoint: `${root}/oauth2/v2.0/token`,
        jwks_uri: `${root}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        tenant_region_scope: 'EU',
      },
    };
  }

  function token(body: string): Reply {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    const app = apps().find((a) => a.clientId === form.get('client_id'));
    if (!app) {
      return oauthError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory '${tenantId}'.`);
    }
    if (form.get('client_secret') !== app.clientSecret) {
      return oauthError(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').includes(`${GRAPH_AUDIENCE}/.default`)) {
      return oauthError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const access_token = jwt.sign(
      { appid: app.clientId, azp: app.clientId, tid: tenantId, roles: app.roles, idtyp: 'app', oid: randomUUID() },
      privateKey,
      { algorithm: 'RS256', keyid: kid, audience: GRAPH_AUDIENCE, issuer, expiresIn: 3599 },
    );
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token } };
  }

  /** Checks the bearer token of a Graph call; the reply is Graph's 401 when it does not hold. */
  function authenticate(req: IncomingMessage): Caller | Reply {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ') || header.length <= 7) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    try {
      const claims = jwt.verify(header.slice(7), publicKey, { algorithms: ['RS256'], audience: GRAPH_AUDIENCE, issuer }) as jwt.JwtPayload;
      return { appId: String(claims.appid), roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [] };
    } catch (err) {
      const reason = (err as Error).name === 'TokenExpiredError' ? 'Lifetime validation failed, the token is expired.' : 'Access token validation failure.';
      return graphError(401, 'InvalidAuthenticationToken', reason);
    }
  }

  function keys(): Reply {
    return { status: 200, body: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] } };
  }

  return { openIdConfiguration, token, authenticate, keys };
}
export type Entra = ReturnType<typeof createEntra>;
