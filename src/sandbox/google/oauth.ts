import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Reply } from '../http';
import type { Caller } from './drive-state';
import { SandboxError } from './errors';

/**
 * Google's OAuth 2.0 token endpoint for the service-account JWT-bearer grant (RFC 7523), as google-auth-library
 * calls it: POST form `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`, the JWT signed
 * RS256 with the service account's private key, `iss` its email, `aud` https://oauth2.googleapis.com/token,
 * `scope` space-separated, and `sub` the user to impersonate under domain-wide delegation
 * (https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests).
 */
export const TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ServiceAccountRegistration {
  clientEmail: string;
  /** PEM or key object of the service account's public key. */
  publicKey: string | KeyObject;
  /** Scopes the Workspace admin granted this client for domain-wide delegation. */
  delegatedScopes: string[];
}

export interface OAuthOptions {
  serviceAccounts: ServiceAccountRegistration[];
  /** The Workspace domain: any `sub` in it is a user. */
  domain: string;
  now: () => number;
}

export interface TokenIssuer {
  token(form: string): Reply;
  /** The caller a bearer token stands for, or a 401. */
  caller(authorization: string | undefined): Caller;
  register(account: ServiceAccountRegistration): void;
}

const oauthError = (status: number, error: string, error_description: string): Reply => ({ status, body: { error, error_description } });

export function createTokenIssuer(opts: OAuthOptions): TokenIssuer {
  const accounts = new Map(opts.serviceAccounts.map((a) => [a.clientEmail, a]));
  const issued = new Map<string, { caller: Caller; expiresAt: number }>();

  return {
    register: (account) => void accounts.set(account.clientEmail, account),
    token(body) {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== JWT_BEARER) return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
      const assertion = form.get('assertion') ?? '';
      const claims = jwt.decode(assertion) as jwt.JwtPayload | null;
      const account = claims?.iss ? accounts.get(claims.iss) : undefined;
      if (!claims || !account) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
      try {
        const key = typeof account.publicKey === 'string' ? createPublicKey(account.publicKey) : account.publicKey;
        jwt.verify(assertion, key, { algorithms: ['RS256'], audience: TOKEN_AUDIENCE, issuer: account.clientEmail, clockTimestamp: Math.floor(opts.now() / 1000) });
      } catch (err) {
        const reason = (err as Error).message;
        if (/signature/.test(reason)) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
        return oauthError(400, 'invalid_grant', `Invalid JWT: ${reason}`);
      }
      if (!claims.exp || !claims.iat || claims.exp - claims.iat > 3600) {
        return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
      }
      const scopes = String(claims.scope ?? '').split(/\s+/).filter(Boolean);
      if (!scopes.length) return oauthError(400, 'invalid_scope', 'Empty or missing scope not allowed.');
      let caller: Caller;
      if (claims.sub) {
        if (!String(claims.sub).endsWith(`@${opts.domain}`)) return oauthError(400, 'invalid_grant', 'Invalid email or User ID');
        if (!scopes.every((s) => account.delegatedScopes.includes(s))) {
          return oauthError(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
        }
        caller = { email: String(claims.sub), serviceAccount: false, scopes };
      } else {
        caller = { email: account.clientEmail, serviceAccount: true, scopes };
      }
      const access_token = `ya29.sandbox.${randomBytes(24).toString('base64url')}`;
      issued.set(access_token, { caller, expiresAt: opts.now() + 3599_000 });
      return { status: 200, body: { access_token, expires_in: 3599, token_type: 'Bearer' } };
    },
    caller(authorization) {
      const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
      if (!token) {
        throw new SandboxError(
          401,
          'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          { reason: 'required', domain: 'global', location: 'Authorization', locationType: 'header' },
        );
      }
      const known = issued.get(token);
      if (!known || known.expiresAt <= opts.now()) {
        throw new SandboxError(
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          { reason: 'authError', location: 'Authorization', locationType: 'header', headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } },
        );
      }
      return known.caller;
    },
  };
}
