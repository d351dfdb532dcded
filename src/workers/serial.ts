import { keyedQueue } from '../serial';
import type { EffectHandler } from './runner';

/**
 * Runs a handler one effect at a time per incident in this process. For handlers that write the whole current state
 * somewhere (every card copy, the doc's fields): two running side by side could each load the state, and the one
 * that loaded the older state could write last, leaving a card one change behind until the next change.
 */
export function onePerIncident(handler: EffectHandler): EffectHandler {
  const queue = keyedQueue();
  return (effect, signal) => queue(effect.incidentId ?? '', () => handler(effect, signal));
}
