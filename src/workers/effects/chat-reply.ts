import type { ReplyInChat } from '../../domain/react';
import type { ClaimedEffect } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';

/** Answers a command where it was typed (src/teams/replies.ts): the same send as a reply held in memory. */
export function chatReply(deps: { teams: Pick<TeamsOutbox, 'reply'> }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { conversation, replyToId, text } = effect.payload as ReplyInChat['payload'];
    await deps.teams.reply(conversation, replyToId, { type: 'message', text, textFormat: 'markdown' }, signal);
  };
}
