import type { Incidents } from '../../app/incidents';
import type { PostCard } from '../../domain/react';
import type { Store, StoredEffect } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';
import { OutsideError } from '../errors';
import { SYSTEM } from './system';

/** Posts the live card into a conversation and records its activity id (with the effect's completion). */
export function cardPost(deps: { store: Store; incidents: Incidents; teams: TeamsOutbox; now: () => Date }) {
  return async (effect: StoredEffect): Promise<void> => {
    const { conversation } = effect.payload as PostCard['payload'];
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.cards.some((c) => c.conversationId === conversation.id)) return; // posted before a crash
    const posted = await deps.teams.postCard(incident, conversation);
    const copy = { conversationId: conversation.id, ...posted };
    const outcome = await deps.incidents.run(
      incident.id,
      { type: 'RecordCardPosted', ...copy, at: deps.now().toISOString(), by: SYSTEM },
      { completesEffect: effect.id },
    );
    // A change committed while the card was on its way was refreshed without this copy: catch it up.
    if (outcome.kind === 'changed' && outcome.incident.version > incident.version + 1) {
      await deps.teams.updateCard(outcome.incident, conversation, copy);
    }
  };
}
