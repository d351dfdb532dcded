import { createFaultSwitch, type Fault } from '../fault-switch';
import type { Reply } from '../http';
import { connectorError, TEAMS_ERRORS } from './errors';

/**
 * The Bot Connector's fault switch, the same the Graph and Google emulators have (../fault-switch.ts): by default
 * every `/v3/...` call; an injected status answers Teams' error for it (429 Throttled, 5xx ServiceError, ...).
 */
export type BotFault = Fault;

export function createFaults() {
  return createFaultSwitch<Reply>({ scope: /^\w+ \/v3\//, error: injectedError, dropped: () => ({ status: 0, drop: true }) });
}

function injectedError(status: number, retryAfter?: number): Reply {
  const [code, message] = TEAMS_ERRORS[status] ?? ['ServiceError', `Injected HTTP ${status}.`];
  return connectorError(status, code, message, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : undefined);
}
