import { OAuth2Client, type TokenPayload } from 'google-auth-library';

/** The Google account using the sidebar, from its verified user ID token. */
export interface GoogleUser {
  email: string;
  /** The `name` claim; absent with only the userinfo.email scope, which is all the add-on asks for. */
  name?: string;
  /** The Workspace domain of the account (`hd`); absent for consumer accounts. */
  hostedDomain?: string;
}

/** Why a request is not Google's: the endpoint answers 401 with it. */
export class Unauthenticated extends Error {
  override name = 'Unauthenticated';
}

/** Google's signing keys could not be fetched: nobody can be verified, which is not the caller's fault (503). */
export class KeysUnavailable extends Error {
  override name = 'KeysUnavailable';
}

export interface VerifierOptions {
  /** The endpoint URL from the deployment: the audience of the system token. */
  audience: string;
  serviceAccountEmail: string;
  /** The audience of user ID tokens. */
  oauthClientId: string;
  certsUrl: string;
}

// The issue pins the system token to this issuer; user ID tokens come in both spellings
// (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken).
const SYSTEM_ISSUERS = ['https://accounts.google.com'];
const USER_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/**
 * Checks what Google signs on every add-on request, with google-auth-library's verifier and keys from `certsUrl`
 * (cached as long as their Cache-Control allows), as https://developers.google.com/workspace/add-ons/guides/alternate-runtimes
 * describes: the bearer is an ID token for the add-on's service account with the endpoint URL as audience; the user
 * ID token in the body names the person, with the add-on's OAuth client id as audience.
 */
export function createVerifier(opts: VerifierOptions) {
  const client = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: opts.certsUrl } });

  async function verify(token: string, audience: string, issuers: string[]): Promise<TokenPayload> {
    let certs;
    try {
      certs = (await client.getFederatedSignonCertsAsync()).certs;
    } catch (err) {
      throw new KeysUnavailable(`Google's signing keys could not be fetched from ${opts.certsUrl}: ${(err as Error).message}`);
    }
    try {
      const ticket = await client.verifySignedJwtWithCertsAsync(token, certs, audience, issuers);
      const payload = ticket.getPayload();
      if (!payload) throw new Error('the token has no claims');
      return payload;
    } catch (err) {
      // The library's messages quote the whole token; keep the reason, not the credential.
      throw new Unauthenticated((err as Error).message.split(/[:,]\s*(?:ey|\{)/)[0].slice(0, 200));
    }
  }

  return {
    /** The `Authorization` header: a Bearer ID token from the add-on's service account, for this endpoint. */
    async request(authorization: string | undefined): Promise<void> {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token) throw new Unauthenticated('no Bearer token in the Authorization header');
      const payload = await verify(token, opts.audience, SYSTEM_ISSUERS);
      if (payload.email !== opts.serviceAccountEmail || payload.email_verified === false) {
        throw new Unauthenticated(`the token was issued to ${payload.email ?? 'no email'}, not to the add-on's service account`);
      }
    },
    /** `authorizationEventObject.userIdToken`: who is using the sidebar. */
    async user(idToken: string): Promise<GoogleUser> {
      const payload = await verify(idToken, opts.oauthClientId, USER_ISSUERS);
      if (!payload.email || payload.email_verified !== true) throw new Unauthenticated('the user ID token carries no verified email');
      return { email: payload.email.toLowerCase(), ...(payload.name ? { name: payload.name } : {}), ...(payload.hd ? { hostedDomain: payload.hd.toLowerCase() } : {}) };
    },
  };
}

export type Verifier = ReturnType<typeof createVerifier>;
