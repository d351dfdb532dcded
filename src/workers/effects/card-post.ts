import type { Incidents } from '../../app/incidents';
import type { PostCard } from '../../domain/react';
import type { Store, StoredEffect } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';
import { OutsideError } from '../../outside-error';
import { SYSTEM } from './system';

type Posted = { postedIn: string; activityId: string; renderedVersion: number };

/**
 * Posts the live card into a conversation and records its activity id (with the effect's completion). What was
 * posted is kept on the effect before it is recorded, so a failed recording is retried without a second card.
 * A copy that missed a change on its way is brought up to date by the `card.refresh` its recording sets off.
 */
export function cardPost(deps: { store: Store; incidents: Incidents; teams: TeamsOutbox; now: () => Date }) {
  return async (effect: StoredEffect): Promise<void> => {
    const { conversation, posted: before } = effect.payload as PostCard['payload'] & { posted?: Posted };
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.cards.some((c) => c.conversationId === conversation.id)) return; // posted and recorded before a crash
    let posted = before;
    if (!posted) {
      posted = { ...(await deps.teams.postCard(incident, conversation)), renderedVersion: incident.version };
      await deps.store.noteEffectProgress(effect.id, { posted });
    }
    await deps.incidents.run(
      incident.id,
      { type: 'RecordCardPosted', conversationId: conversation.id, ...posted, at: deps.now().toISOString(), by: SYSTEM },
      { completesEffect: effect.id },
    );
  };
}
