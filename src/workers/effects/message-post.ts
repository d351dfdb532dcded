import type { PostMessage } from '../../domain/react';
import type { ClaimedEffect, Store } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';

/** Posts a follow-up; in a channel it goes into the card's thread, keeping the channel tidy. */
export function messagePost(deps: { store: Store; teams: TeamsOutbox }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { conversation, message } = effect.payload as PostMessage['payload'];
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    const thread = incident?.cards.find((c) => c.conversationId === conversation.id)?.postedIn;
    await deps.teams.postMessage(thread ? { ...conversation, id: thread } : conversation, message, signal);
  };
}
