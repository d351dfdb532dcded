import { createFaultSwitch, type Fault } from '../fault-switch';
import type { Reply } from '../http';
import { graphError } from './errors';
import type { HttpsReply } from './tls';

/**
 * Graph's fault switch (../fault-switch.ts): by default every Graph call under /v1.0; an injected status answers
 * that Graph error (429 TooManyRequests, 500, 503 ServiceUnavailable, 504...).
 */
export type GraphFault = Fault;

const CODES: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Too many requests. Please retry after the time given in Retry-After.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.'],
  504: ['GatewayTimeout', 'The gateway timed out.'],
};

export function createFaults() {
  return createFaultSwitch<HttpsReply>({ scope: /^\w+ \/v1\.0\//, error: injectedError, dropped: () => ({ drop: true }) });
}

function injectedError(status: number, retryAfter?: number): Reply {
  const [code, message] = CODES[status] ?? ['UnknownError', `Injected HTTP ${status}.`];
  return graphError(status, code, message, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : undefined);
}
