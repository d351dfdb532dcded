import type { Reply } from '../http';

/**
 * The one error factory of the Google sandbox. Docs v1 (a One Platform API) and Drive v3 answer errors in
 * different shapes, and clients branch on them:
 * - Docs: `{ error: { code, message, status, details? } }`, status a google.rpc.Code name;
 * - Drive: `{ error: { code, message, errors: [{ domain, reason, message, location?, locationType? }] } }`
 *   (https://developers.google.com/workspace/drive/api/guides/handle-errors).
 */
export type Api = 'docs' | 'drive';

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
};

export interface ErrorOptions {
  /** Docs: overrides the status derived from the code (e.g. FAILED_PRECONDITION). */
  status?: string;
  /** Drive: the `errors[0].reason` clients branch on (notFound, userRateLimitExceeded, ...). */
  reason?: string;
  domain?: string;
  location?: string;
  /** `other` for a body field (Drive: `permission.type`). */
  locationType?: 'parameter' | 'header' | 'other';
  details?: unknown[];
  headers?: Record<string, string>;
}

export class SandboxError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly options: ErrorOptions = {},
  ) {
    super(message);
  }
}

export function errorReply(api: Api, err: SandboxError): Reply {
  const { code, message, options: o } = err;
  if (api === 'docs') {
    const status = o.status ?? STATUS[code] ?? 'UNKNOWN';
    return { status: code, headers: o.headers, body: { error: { code, message, status, ...(o.details ? { details: o.details } : {}) } } };
  }
  const item = {
    domain: o.domain ?? 'global',
    reason: o.reason ?? driveReason(code),
    message,
    ...(o.location ? { location: o.location, locationType: o.locationType ?? 'parameter' } : {}),
  };
  return { status: code, headers: o.headers, body: { error: { code, message, errors: [item] } } };
}

function driveReason(code: number): string {
  if (code === 400) return 'badRequest';
  if (code === 401) return 'authError';
  if (code === 403) return 'forbidden';
  if (code === 404) return 'notFound';
  if (code === 429) return 'rateLimitExceeded';
  if (code === 501) return 'notImplemented';
  return 'backendError';
}

/** Shorthands for the errors every handler raises. */
export const fail = {
  badRequest: (message: string, o?: ErrorOptions) => new SandboxError(400, message, o),
  notFound: (message: string, o?: ErrorOptions) => new SandboxError(404, message, o),
  forbidden: (message: string, o?: ErrorOptions) => new SandboxError(403, message, o),
  notEmulated: (what: string) => new SandboxError(501, `${what} is not emulated by the Firebreak Google sandbox (see src/sandbox/google/DEVIATIONS.md)`),
  fileNotFound: (id: string) => new SandboxError(404, `File not found: ${id}.`, { reason: 'notFound', location: 'fileId' }),
};
