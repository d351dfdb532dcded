import type { Reply } from '../http';
import { graphError } from './errors';
import type { HttpsReply } from './tls';

/**
 * A fault to inject into matching requests (all Graph calls under /v1.0 unless `match` narrows it).
 * - `status` answers with that Graph error (429 TooManyRequests, 500, 503 ServiceUnavailable, 504...);
 *   `retryAfter` adds a Retry-After header in seconds, as Graph does when it throttles;
 * - `latencyMs` delays the answer (and the fault's own answer);
 * - `drop: 'before'` closes the connection without handling the request; `drop: 'after'` handles it (the
 *   channel is made, the mail accepted) and then closes the connection: the caller never learns it worked.
 */
export interface GraphFault {
  match?: RegExp;
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  drop?: 'before' | 'after';
  /** How many matching requests it applies to; undefined means until cleared. */
  times?: number;
}

const CODES: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Too many requests. Please retry after the time given in Retry-After.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.'],
  504: ['GatewayTimeout', 'The gateway timed out.'],
};

export function createFaults() {
  let current: GraphFault | undefined;

  /** Runs `handle` for one request with the current fault applied. */
  async function apply(route: string, handle: () => Promise<HttpsReply>): Promise<HttpsReply> {
    const fault = current;
    if (!fault || !(fault.match ?? /^\w+ \/v1\.0\//).test(route)) return handle();
    if (fault.times !== undefined && --fault.times <= 0) current = undefined;
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.drop === 'before') return { drop: true };
    if (fault.drop === 'after') {
      await handle();
      return { drop: true };
    }
    if (fault.status) return injectedError(fault.status, fault.retryAfter);
    return handle();
  }

  return {
    apply,
    set(fault: GraphFault | undefined) {
      current = fault ? { ...fault } : undefined;
    },
  };
}

function injectedError(status: number, retryAfter?: number): Reply {
  const [code, message] = CODES[status] ?? ['UnknownError', `Injected HTTP ${status}.`];
  return graphError(status, code, message, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : undefined);
}
