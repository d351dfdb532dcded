import type { ClaimedEffect, Store } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';
import { OutsideError } from '../../outside-error';

/** Re-renders every posted copy of the card from the current state; later changes are included too. */
export function cardRefresh(deps: { store: Store; teams: TeamsOutbox }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    const results = await Promise.allSettled(
      incident.cards.map((copy) => {
        const conversation = incident.places.find((p) => p.id === copy.conversationId);
        if (!conversation) return Promise.resolve();
        return deps.teams.updateCard(incident, conversation, copy, signal);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
}
