import type { ClaimedEffect, Store } from '../../store/store';
import { createCardPace, type CardPace } from '../../teams/card-pace';
import type { TeamsOutbox } from '../../teams/outbox';
import { OutsideError } from '../../outside-error';

/**
 * Re-renders every posted copy of the card from the current state; later changes are included too. A copy that may
 * not be rewritten yet (card-pace.ts: assembling, or a person's confirmation on it) is left for later: the effect
 * runs again then, like a retry, and renders whatever the state is by that time. A copy already showing the current
 * version is left alone, so the effects that waited alongside add no rewrites.
 */
export function cardRefresh(deps: { store: Store; teams: TeamsOutbox; pace?: CardPace; now: () => Date }) {
  const pace = deps.pace ?? createCardPace();
  const now = deps.now;
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void | { runAgainAt: string }> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    const started = now();
    let later: number | undefined;
    const results = await Promise.allSettled(
      incident.cards.map(async (copy) => {
        const conversation = incident.places.find((p) => p.id === copy.conversationId);
        if (!conversation) return;
        const next = pace.next(copy, incident, started);
        if (next === 'current') return;
        if (next > started) {
          later = Math.min(later ?? Infinity, next.getTime());
          return;
        }
        await deps.teams.updateCard(incident, conversation, copy, signal);
        pace.wrote(copy, incident.version, now());
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (later !== undefined) return { runAgainAt: new Date(later).toISOString() };
  };
}
