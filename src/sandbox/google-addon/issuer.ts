import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { generate } from 'selfsigned';
import { listen } from '../http';

/**
 * A local stand-in for Google's token issuer as the add-on runtime uses it: it signs the ID tokens Google puts on
 * every add-on request (the system token in `Authorization: Bearer`, the user's token in the body) with a local RSA
 * key, and publishes that key where Google publishes its own, in the same formats:
 * - GET /oauth2/v1/certs: `{ "<kid>": "-----BEGIN CERTIFICATE-----..." }` (what google-auth-library reads in Node);
 * - GET /oauth2/v3/certs: `{ "keys": [<JWK>] }`.
 * Claims follow https://developers.google.com/workspace/add-ons/guides/alternate-runtimes (iss, aud, email, exp).
 */
export interface AddonIssuer {
  url: string;
  certsUrl: string;
  jwksUrl: string;
  projectNumber: string;
  /** The add-on's system service account: `service-<project-number>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`. */
  serviceAccountEmail: string;
  /** The add-on's OAuth client id: the audience of user ID tokens. */
  oauthClientId: string;
  /** The token Google sends as `Authorization: Bearer`; the options forge the variants a verifier must refuse. */
  systemToken(opts: TokenOptions & { audience: string; email?: string }): string;
  /** `authorizationEventObject.userIdToken`: who is using the sidebar. */
  userToken(opts: TokenOptions & { email: string; name?: string; hd?: string; emailVerified?: boolean; audience?: string }): string;
  close(): Promise<void>;
}

export interface TokenOptions {
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresInSeconds?: number;
  /** `untrusted` signs with a key the certs endpoint does not publish; `none` an unsigned one (alg none, empty signature). */
  key?: 'trusted' | 'untrusted' | 'none';
}

const GOOGLE_ISSUER = 'https://accounts.google.com';

export async function startAddonIssuer(opts: { projectNumber?: string; oauthClientId?: string; port?: number } = {}): Promise<AddonIssuer> {
  const trusted = await signingKey();
  const untrusted = await signingKey();
  const kid = randomUUID().replace(/-/g, '');
  const projectNumber = opts.projectNumber ?? '100000000001';
  const serviceAccountEmail = `service-${projectNumber}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;
  const oauthClientId = opts.oauthClientId ?? '100000000000000000001';

  const server = await listen((req) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return { status: 405, body: { error: { code: 405, message: `${req.method} is not emulated`, status: 'METHOD_NOT_ALLOWED' } } };
    // Google answers with a max-age near a few hours; google-auth-library caches the keys for that long.
    const headers = { 'cache-control': 'public, max-age=3600, must-revalidate, no-transform' };
    if (path === '/oauth2/v1/certs') return { status: 200, headers, body: { [kid]: trusted.cert } };
    if (path === '/oauth2/v3/certs') {
      const jwk = createPublicKey(trusted.cert).export({ format: 'jwk' });
      return { status: 200, headers, body: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
    }
    return { status: 404, body: { error: { code: 404, message: `no route GET ${path} in the local add-on issuer`, status: 'NOT_FOUND' } } };
  }, opts.port ?? 0);

  const sign = (claims: Record<string, unknown>, o: TokenOptions & { audience: string; subject: string }) => {
    const payload = { ...claims, azp: claims.azp ?? o.subject, sub: o.subject };
    const options = { audience: o.audience, issuer: o.issuer ?? GOOGLE_ISSUER, expiresIn: o.expiresInSeconds ?? 3600 };
    if (o.key === 'none') return unsigned(jwt.sign(payload, 'unused', { ...options, algorithm: 'HS256' }), kid);
    const key = o.key === 'untrusted' ? untrusted.privateKey : trusted.privateKey;
    return jwt.sign(payload, key, { ...options, algorithm: 'RS256', keyid: kid });
  };

  return {
    url: server.url,
    certsUrl: `${server.url}/oauth2/v1/certs`,
    jwksUrl: `${server.url}/oauth2/v3/certs`,
    projectNumber,
    serviceAccountEmail,
    oauthClientId,
    systemToken: (o) => sign({ email: o.email ?? serviceAccountEmail, email_verified: true }, { ...o, subject: subjectOf(o.email ?? serviceAccountEmail) }),
    userToken: (o) =>
      sign(
        { email: o.email, email_verified: o.emailVerified ?? true, ...(o.hd ? { hd: o.hd } : {}), ...(o.name ? { name: o.name } : {}), azp: o.audience ?? oauthClientId },
        { ...o, audience: o.audience ?? oauthClientId, subject: subjectOf(o.email) },
      ),
    close: () => server.close(),
  };
}

/** The same claims with `alg: none`, an empty signature and the trusted `kid`: a forgery that names a real key. */
function unsigned(token: string, kid: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url');
  return `${header}.${token.split('.')[1]}.`;
}

/** An RSA key with a self-signed certificate, the form Google's v1 endpoint publishes keys in. */
async function signingKey(): Promise<{ privateKey: ReturnType<typeof createPrivateKey>; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'Firebreak sandbox (Google add-on token issuer)' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
  });
  return { privateKey: createPrivateKey(pems.private), cert: pems.cert };
}

/** Google's `sub` is a stable numeric id per account; a digest of the email is stable in the same way. */
function subjectOf(email: string): string {
  let h = 0n;
  for (const c of email.toLowerCase()) h = (h * 131n + BigInt(c.codePointAt(0)!)) % 10n ** 21n;
  return (10n ** 20n + h).toString();
}
