import { decode } from 'jsonwebtoken';

/**
 * What Firebreak checks of an inbound Teams request itself, before and after botbuilder validates the token's
 * signature, audience and serviceUrl. Each check answers the reason for a refusal, or undefined.
 */
export class InboundRefused extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'InboundRefused';
  }
}

/**
 * The only channel Firebreak serves. botbuilder picks its validation path by `channelId` before anything else:
 * `AseChannel` goes to AseChannelValidation, which fetches Microsoft's metadata whatever
 * BOT_OPENID_METADATA_URL says, and `emulator` is accepted with the Emulator's keys. Neither ever reaches us from
 * Teams, and the Agents Playground of local mode is started with `-c msteams`.
 */
export const SERVED_CHANNEL = 'msteams';

/** jsonwebtoken's `clockTolerance` in botbuilder's channel validation is the same 5 minutes; this holds if it grows. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** botbuilder's AuthenticationConstants.AllowedSigningAlgorithms. */
const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

const quoted = (value: unknown) => JSON.stringify(String(value).slice(0, 80));

export function channelRefusal(activity: { channelId?: unknown }): string | undefined {
  if (activity.channelId === SERVED_CHANNEL) return undefined;
  if (activity.channelId === undefined) return `the activity names no channelId: Firebreak serves ${SERVED_CHANNEL} only`;
  return `channel ${quoted(activity.channelId)} is not served: Firebreak serves ${SERVED_CHANNEL} only`;
}

/**
 * The token's shape and lifetime, checked without its signature so that a token botbuilder must not see (another
 * issuer, so the Emulator or skill path; no expiry; far outside the clock) is refused before any key is fetched.
 * jsonwebtoken accepts a token without `exp` as never expiring; Bot Framework tokens always carry one.
 */
export function tokenRefusal(authorization: string | undefined, issuer: string, nowSeconds: number): string | undefined {
  if (!authorization) return 'no Authorization header';
  const token = BEARER.exec(authorization.trim())?.[1];
  if (!token) return 'the Authorization header is not "Bearer <JWT>"';
  const decoded = decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object') return 'the bearer token is not a JWT';
  const { header, payload } = decoded;
  if (!ALGORITHMS.has(header.alg)) return `the token is signed with ${quoted(header.alg)}, not RS256/384/512`;
  if (typeof header.kid !== 'string' || !header.kid) return 'the token names no signing key (kid)';
  if (payload.iss !== issuer) return `the token was issued by ${quoted(payload.iss)}, not ${issuer}`;
  if (typeof payload.exp !== 'number') return 'the token has no expiry (exp)';
  if (nowSeconds > payload.exp + MAX_CLOCK_SKEW_SECONDS) return `the token expired at ${new Date(payload.exp * 1000).toISOString()}`;
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > nowSeconds + MAX_CLOCK_SKEW_SECONDS)) {
    return `the token is not valid before ${quoted(typeof payload.nbf === 'number' ? new Date(payload.nbf * 1000).toISOString() : payload.nbf)}`;
  }
  return undefined;
}

/**
 * The tenant an activity comes from, in both places Teams puts it (`conversation.tenantId`, `channelData.tenant.id`),
 * must be one of `allowed`; an activity naming none is refused too (Teams names it on every activity it sends).
 */
export function tenantRefusal(activity: { conversation?: unknown; channelData?: unknown }, allowed: readonly string[]): string | undefined {
  const conversation = (activity.conversation ?? {}) as { tenantId?: unknown };
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: unknown } };
  const named = [conversation.tenantId, channelData.tenant?.id].filter((t) => t !== undefined && t !== null);
  if (named.length === 0) return 'the activity names no tenant (conversation.tenantId, channelData.tenant.id)';
  const foreign = named.find((t) => typeof t !== 'string' || !allowed.includes(t.toLowerCase()));
  return foreign === undefined ? undefined : `tenant ${quoted(foreign)} is not served here`;
}
