import type { Incidents } from '../../app/incidents';
import type { PostCard } from '../../domain/react';
import type { Logger } from '../../log';
import type { ClaimedEffect, Store } from '../../store/store';
import type { CardPace } from '../../teams/card-pace';
import type { TeamsOutbox } from '../../teams/outbox';
import { OutsideError, refusedOutright } from '../../outside-error';
import { SYSTEM } from './system';

type Posted = { postedIn: string; activityId: string; renderedVersion: number };

/**
 * Posts the live card into a conversation and records its activity id (with the effect's completion). What was
 * posted is kept on the effect before it is recorded, so a failed recording is retried without a second card.
 * A copy that missed a change on its way is brought up to date by the `card.refresh` its recording sets off.
 *
 * The Bot Connector takes no idempotency key and cannot be asked what was posted, so one window stays: from Teams
 * accepting the card to `posted` being kept (the request's round trip, plus one small write). The intent is kept just
 * before the call, so an attempt that finds `posting` without `posted` knows a card may be out: it posts again (a
 * missing card is worse than a second one) and says so in the log. docs/reliability.md has the measured rate.
 */
export function cardPost(deps: { store: Store; incidents: Incidents; teams: TeamsOutbox; now: () => Date; log?: Logger; pace?: CardPace }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { conversation, posted: before, posting } = effect.payload as PostCard['payload'] & { posted?: Posted; posting?: number };
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.cards.some((c) => c.conversationId === conversation.id)) return; // posted and recorded before a crash
    let posted = before;
    if (!posted) {
      if (posting) deps.log?.warn('a card post was interrupted; posting again may show the card twice', { effect: effect.key, interrupted: posting });
      await deps.store.noteEffectProgress(effect, { posting: (posting ?? 0) + 1 });
      const card = await deps.teams.postCard(incident, conversation, signal).catch(async (err) => {
        // Refused outright (429, 4xx): no card went out, so the next attempt is not an interrupted one.
        if (refusedOutright(err)) await deps.store.noteEffectProgress(effect, { posting: posting ?? 0 });
        throw err;
      });
      posted = { ...card, renderedVersion: incident.version };
      // A post is a write too: the copy's first rewrite is paced from it (card-pace.ts).
      deps.pace?.wrote(card, incident.version, deps.now());
      await deps.store.noteEffectProgress(effect, { posted });
    }
    await deps.incidents.run(
      incident.id,
      { type: 'RecordCardPosted', conversationId: conversation.id, ...posted, at: deps.now().toISOString(), by: SYSTEM },
      { completesEffect: effect },
    );
  };
}
