import { sleep } from '../abort';
import { OutsideError, type FailureKind } from '../outside-error';

/**
 * Retries for Google calls, and the one place Google's errors become Firebreak's failure kinds.
 * The client libraries retry only idempotent methods, and not 403 rate limits at all; Google asks for truncated
 * exponential backoff with jitter on 429, 403 rateLimitExceeded/userRateLimitExceeded and 5xx
 * (https://developers.google.com/workspace/drive/api/guides/limits#exponential). So every call here runs with
 * gaxios retries off and through `withRetry`, whose unit of retry must be safe to repeat as a whole (a find
 * before each copy, a revision-locked write recomputed from a fresh read).
 */
export interface RetryPolicy {
  /** Tries in all before the failure is handed to the effect runner (which retries later, for longer). */
  attempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 500, capMs: 8_000 };

export interface Failure {
  kind: FailureKind;
  /** Worth trying again in a moment (rate limits, 5xx, dropped connections). */
  transient: boolean;
  retryAfterSeconds?: number;
  /** Plain words for the incident card and the logs. */
  message: string;
}

const RATE_LIMIT_REASONS = ['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED'];

export function classify(err: unknown, what: string): Failure {
  if (err instanceof OutsideError) return { kind: err.kind, transient: false, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
  if (!isHttpError(err)) return { kind: 'retryable', transient: true, message: `${what} failed: ${(err as Error)?.message ?? err}` };
  const status = err.response?.status;
  const data = (err.response?.data ?? {}) as { error?: unknown; error_description?: string };
  if (!status) {
    const cause = (err.cause as { code?: string; message?: string } | undefined) ?? {};
    return { kind: 'retryable', transient: true, message: `${what}: could not reach Google (${cause.code ?? err.code ?? cause.message ?? err.message})` };
  }
  const retryAfter = Number(err.response?.headers?.get?.('retry-after')) || undefined;
  if (typeof data.error === 'string') {
    // The OAuth token endpoint: the service account or its delegation is misconfigured; retrying cannot help.
    return { kind: status >= 500 ? 'retryable' : 'permanent', transient: status >= 500, message: `Google refused Firebreak's service account (${data.error}: ${data.error_description ?? ''}); check domain-wide delegation` };
  }
  const error = (data.error ?? {}) as { message?: string; status?: string; errors?: { reason?: string }[]; details?: { reason?: string }[] };
  const reasons = [...(error.errors ?? []), ...(error.details ?? [])].map((e) => e.reason ?? '');
  const detail = error.message ?? err.message;
  if (status === 429 || (status === 403 && isRateLimitReason(reasons))) {
    return { kind: 'retryable', transient: true, retryAfterSeconds: retryAfter, message: `${what}: Google is rate limiting Firebreak (${status})` };
  }
  if (status >= 500) return { kind: 'retryable', transient: true, retryAfterSeconds: retryAfter, message: `${what}: Google answered ${status} (${detail})` };
  if (status === 404) return { kind: 'not-found', transient: false, message: `${what}: not found (${detail})` };
  if (status === 409) return { kind: 'conflict', transient: false, message: `${what}: conflict (${detail})` };
  return { kind: 'permanent', transient: false, message: `${what}: Google answered ${status} (${detail})` };
}

const isRateLimitReason = (reasons: string[]) => reasons.some((r) => RATE_LIMIT_REASONS.includes(r));

/** Whether Google refused a call for going too fast (429, or 403 with a rate-limit reason), not for lack of access. */
export function isRateLimited(err: unknown): boolean {
  return classify(err, '').kind === 'retryable' && [403, 429].includes(httpStatus(err) ?? 0);
}

/** A gaxios error (what the Google clients throw), recognised by shape: gaxios is not a direct dependency. */
interface HttpError extends Error {
  config: unknown;
  code?: string | number;
  response?: { status: number; data?: unknown; headers?: { get?(name: string): string | null } };
}

function isHttpError(err: unknown): err is HttpError {
  return err instanceof Error && 'config' in err;
}

/** The HTTP status a Google call failed with, if it got an answer. */
export function httpStatus(err: unknown): number | undefined {
  return isHttpError(err) ? err.response?.status : undefined;
}

export function toOutsideError(failure: Failure): OutsideError {
  return new OutsideError(failure.kind, failure.message, failure.retryAfterSeconds);
}

/**
 * Runs `call`, retrying transient failures with capped exponential backoff and full jitter. Once `signal` aborts
 * (the effect's attempt ran out of time) it neither waits nor tries again: it fails with the signal's reason.
 */
export async function withRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      signal?.throwIfAborted();
      return await call();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const failure = classify(err, what);
      // A long Retry-After is the effect runner's to wait out (it reschedules), not this call's (it holds a lease).
      const tooLong = (failure.retryAfterSeconds ?? 0) * 1000 > policy.capMs;
      if (!failure.transient || attempt >= policy.attempts || tooLong) throw toOutsideError(failure);
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      const wait = Math.max(Math.random() * ceiling, (failure.retryAfterSeconds ?? 0) * 1000);
      await sleep(wait, signal);
    }
  }
}
