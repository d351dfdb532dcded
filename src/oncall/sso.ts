import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { ExpertsSsoConfig } from '../config/experts';

/** Why a page request is refused: 401 (no or bad token), 503 (the signing keys could not be fetched). */
export class SsoRefused extends Error {
  constructor(
    readonly status: 401 | 503,
    reason: string,
  ) {
    super(reason);
    this.name = 'SsoRefused';
  }
}

export interface SsoUser {
  /** The Entra object id (`oid`) and tenant (`tid`). */
  oid?: string;
  tid: string;
  name?: string;
}

const KEYS_TTL_MS = 60 * 60_000;
/** An unknown `kid` refetches the keys (Entra rolls them), but not more often than this. */
const REFETCH_MS = 5 * 60_000;

/**
 * Checks a Teams SSO token the tab sends as `Authorization: Bearer …`: signature by a key the metadata's `jwks_uri`
 * publishes, RS256 only, `iss` and `aud` as configured, not expired, and `tid` a tenant the bot serves
 * (https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-code: "validate the access
 * token" on the server before trusting it).
 */
export function createSsoVerifier(config: ExpertsSsoConfig, now: () => number = Date.now) {
  let keys: Map<string, KeyObject> | undefined;
  let fetchedAt = 0;

  async function loadKeys(): Promise<Map<string, KeyObject>> {
    try {
      const meta = (await (await fetch(config.metadataUrl, { signal: AbortSignal.timeout(10_000) })).json()) as { jwks_uri?: string };
      if (!meta.jwks_uri) throw new Error('the metadata names no jwks_uri');
      const set = (await (await fetch(meta.jwks_uri, { signal: AbortSignal.timeout(10_000) })).json()) as { keys?: (Record<string, unknown> & { kid?: string })[] };
      const map = new Map<string, KeyObject>();
      for (const jwk of set.keys ?? []) if (jwk.kid && jwk.kty === 'RSA') map.set(jwk.kid, createPublicKey({ key: jwk as never, format: 'jwk' }));
      keys = map;
      fetchedAt = now();
      return map;
    } catch (err) {
      throw new SsoRefused(503, `the sign-in keys could not be fetched from ${config.metadataUrl}: ${(err as Error).message}`);
    }
  }

  async function keyFor(kid: string): Promise<KeyObject | undefined> {
    if (!keys || now() - fetchedAt > KEYS_TTL_MS) await loadKeys();
    if (!keys!.has(kid) && now() - fetchedAt > REFETCH_MS) await loadKeys();
    return keys!.get(kid);
  }

  return async function verify(authorization: string | undefined): Promise<SsoUser> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new SsoRefused(401, 'sign in through Teams: no Bearer token in the Authorization header');
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new SsoRefused(401, 'the token is not a JWT');
    const kid = decoded.header.kid;
    if (!kid) throw new SsoRefused(401, 'the token names no signing key (kid)');
    const key = await keyFor(kid);
    if (!key) throw new SsoRefused(401, 'the token is signed by a key the issuer does not publish');
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, key, { algorithms: ['RS256'], issuer: config.issuer, audience: config.audience, clockTimestamp: Math.floor(now() / 1000), clockTolerance: 300 }) as jwt.JwtPayload;
    } catch (err) {
      throw new SsoRefused(401, `the token is not valid: ${(err as Error).message}`);
    }
    if (typeof claims.exp !== 'number') throw new SsoRefused(401, 'the token does not expire');
    const tid = String(claims.tid ?? '').toLowerCase();
    if (!config.tenants.includes(tid)) throw new SsoRefused(401, 'the token is from a tenant this Firebreak does not serve');
    return { tid, ...(typeof claims.oid === 'string' && { oid: claims.oid }), ...(typeof claims.name === 'string' && { name: claims.name }) };
  };
}

export type SsoVerifier = ReturnType<typeof createSsoVerifier>;
