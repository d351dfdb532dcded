import { SandboxError, type Api } from './errors';

/**
 * The fault switch, like the other sandboxes': latency, an error status (429, 403 rate limits, 5xx) or a dropped
 * connection, for the next `times` calls (until cleared when unset), optionally only for methods whose discovery
 * id contains `match` (e.g. `drive.files.copy`). `drop: 'after'` carries the call out and then drops the
 * connection, so the client never learns it succeeded: the case idempotency keys exist for.
 */
export interface GoogleFault {
  status?: number;
  /** Drive's `errors[0].reason` for 403/429 (default userRateLimitExceeded / rateLimitExceeded). */
  reason?: string;
  retryAfter?: number;
  latencyMs?: number;
  drop?: 'before' | 'after';
  times?: number;
  match?: string;
  /** Only a call whose request body contains this text (e.g. the one write carrying a given timeline entry). */
  bodyIncludes?: string;
  /** Runs just before the call is handled: a person's edit landing between a client's read and its write. */
  before?: () => void;
  /** Holds the call, after `before`, until this settles: a test decides when it is handled (as the other sandboxes' `hold`). */
  hold?: Promise<unknown>;
  /**
   * Runs once the call has been carried out, before the answer goes (e.g. the client process crashing); the answer
   * waits for a promise it returns (another replica reading the doc while the writer has not heard back yet).
   */
  after?: () => void | Promise<void>;
}

export interface Faults {
  set(fault: GoogleFault | undefined): void;
  /** The fault for this call, after its latency, counting it against `times`. */
  take(method: string, body?: string): Promise<GoogleFault | undefined>;
  error(api: Api, fault: GoogleFault): SandboxError;
}

export function createFaults(): Faults {
  let current: GoogleFault | undefined;
  return {
    set(fault) {
      current = fault ? { ...fault } : undefined;
    },
    async take(method, body = '') {
      const f = current;
      if (!f || (f.match && !method.includes(f.match)) || (f.bodyIncludes && !body.includes(f.bodyIncludes))) return undefined;
      if (f.times !== undefined && --f.times <= 0) current = undefined;
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      f.before?.();
      if (f.hold) await f.hold;
      return f;
    },
    error(api, f) {
      const status = f.status!;
      const headers = f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : undefined;
      if (status === 429) return api === 'docs' ? quotaError(60, headers) : new SandboxError(429, 'Rate Limit Exceeded', { reason: f.reason ?? 'rateLimitExceeded', domain: 'usageLimits', headers });
      if (status === 403) {
        const reason = f.reason ?? 'userRateLimitExceeded';
        if (api === 'docs') return new SandboxError(403, 'The caller does not have permission', { headers });
        return /RateLimitExceeded$/i.test(reason)
          ? new SandboxError(403, 'User Rate Limit Exceeded. Rate of requests for user exceed configured project quota.', { reason, domain: 'usageLimits', headers })
          : new SandboxError(403, `Forbidden (${reason}).`, { reason, headers });
      }
      if (status >= 500) {
        const message = status === 500 ? 'Internal error encountered.' : 'The service is currently unavailable.';
        return new SandboxError(status, message, { reason: 'backendError', headers, ...(status === 503 || status === 502 || status === 504 ? { status: 'UNAVAILABLE' } : {}) });
      }
      return new SandboxError(status, `Injected fault ${status}`, { headers });
    },
  };
}

/** The Docs per-user write quota answer (429 RESOURCE_EXHAUSTED with a google.rpc.ErrorInfo, no Retry-After). */
export function quotaError(limit: number, headers?: Record<string, string>): SandboxError {
  return new SandboxError(
    429,
    "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'docs.googleapis.com' for consumer 'project_number:0'.",
    {
      reason: 'rateLimitExceeded',
      headers,
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            service: 'docs.googleapis.com',
            quota_metric: 'docs.googleapis.com/write_requests',
            quota_limit: 'WriteRequestsPerMinutePerUser',
            quota_limit_value: String(limit),
            consumer: 'projects/0',
          },
        },
      ],
    },
  );
}
