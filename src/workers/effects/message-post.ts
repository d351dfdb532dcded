import type { PostMessage } from '../../domain/react';
import type { StoredEffect } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';

export function messagePost(deps: { teams: TeamsOutbox }) {
  return async (effect: StoredEffect): Promise<void> => {
    const { conversation, message } = effect.payload as PostMessage['payload'];
    await deps.teams.postMessage(conversation, message);
  };
}
