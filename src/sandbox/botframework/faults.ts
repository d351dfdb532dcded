import type { Reply } from '../http';
import { connectorError, TEAMS_ERRORS } from './errors';

/**
 * A fault to inject into matching Bot Connector calls (every `/v3/...` call unless `match` narrows it), the same
 * switch the Graph and Google emulators have:
 * - `status` answers with that Teams error (429 Throttled, 5xx ServiceError, 403 ...); `retryAfter` adds a
 *   Retry-After header in seconds, as Teams does when it throttles;
 * - `latencyMs` delays the answer (and the fault's own answer);
 * - `drop: 'before'` closes the connection without handling the call; `drop: 'after'` handles it (the message is
 *   posted) and then closes the connection: the bot never learns it worked.
 */
export interface BotFault {
  /** Tested against `<METHOD> <path>`, e.g. /^POST \/v3\/conversations\/[^/]+\/activities$/. */
  match?: RegExp;
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  drop?: 'before' | 'after';
  /** How many matching calls it applies to; undefined means until cleared. */
  times?: number;
}

export function createFaults() {
  let current: BotFault | undefined;

  /** Runs `handle` for one call with the current fault applied. */
  async function apply(route: string, handle: () => Promise<Reply>): Promise<Reply> {
    const fault = current;
    if (!fault || !(fault.match ?? /^\w+ \/v3\//).test(route)) return handle();
    if (fault.times !== undefined && --fault.times <= 0) current = undefined;
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.drop === 'before') return { status: 0, drop: true };
    if (fault.drop === 'after') {
      await handle();
      return { status: 0, drop: true };
    }
    if (fault.status) return injectedError(fault.status, fault.retryAfter);
    return handle();
  }

  return {
    apply,
    set(fault: BotFault | undefined) {
      current = fault ? { ...fault } : undefined;
    },
  };
}

function injectedError(status: number, retryAfter?: number): Reply {
  const [code, message] = TEAMS_ERRORS[status] ?? ['ServiceError', `Injected HTTP ${status}.`];
  return connectorError(status, code, message, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : undefined);
}
