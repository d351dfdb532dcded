import { incidentLabel } from '../../domain/messages';
import type { PostHandoffCard } from '../../domain/policy-effects';
import type { ClaimedEffect, Store } from '../../store/store';
import { handoffCard } from '../../teams/handoff-card';
import type { TeamsOutbox } from '../../teams/outbox';

/** Posts the hand-off card, as it stood at the hand-off, into the incident's conversation (the card's thread in a channel). */
export function handoffPost(deps: { store: Store; teams: TeamsOutbox }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { conversation, summary } = effect.payload as PostHandoffCard['payload'];
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    const thread = incident?.cards.find((c) => c.conversationId === conversation.id)?.postedIn;
    const text = `${incidentLabel(summary)}: hand-off from ${summary.from.name} to ${summary.to.name}`;
    await deps.teams.postAdaptiveCard(thread ? { ...conversation, id: thread } : conversation, handoffCard(summary), text, signal);
  };
}
