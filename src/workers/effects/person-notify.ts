import type { NotifyPerson } from '../../domain/policy-effects';
import type { ClaimedEffect } from '../../store/store';
import { notifyPerson, type NotifyPersonDeps } from './notify-person';

/** Tells one person a message of the incident's (a missed update, to an incident manager): notify-person.ts. */
export function personNotify(deps: NotifyPersonDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { person, message } = effect.payload as NotifyPerson['payload'];
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    if (!incident) return;
    await notifyPerson(deps, effect, signal, person, { direct: message, fallback: { incident, message } });
  };
}
