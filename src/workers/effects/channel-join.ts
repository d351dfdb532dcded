import { isAnnouncement, type Incident } from '../../domain/incident';
import type { JoinChannel } from '../../domain/react';
import type { Graph } from '../../graph/graph';
import { OutsideError } from '../../outside-error';
import type { ClaimedEffect, Store } from '../../store/store';

/**
 * Adds someone who joined a private incident to its channel (Graph). The channel is the place channel.create added:
 * a channel conversation of the incident's own, neither where it was declared nor an announcements channel.
 */
export function channelJoin(deps: { store: Store; graph: Graph; teamId: string }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { person } = effect.payload as JoinChannel['payload'];
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    const channelId = ownChannel(incident);
    if (!channelId) throw new OutsideError('permanent', `INC-${incident.number} has no channel of its own to add ${person.name} to`);
    if (!person.aadObjectId) throw new OutsideError('permanent', `${person.name} has no Microsoft Entra id, so can't be added to the private channel; add them by hand`);
    await deps.graph.addChannelMember({ teamId: deps.teamId, channelId, userId: person.aadObjectId }, signal);
  };
}

function ownChannel(incident: Incident): string | undefined {
  return incident.places.find((p) => p.isChannel && p.channelId === p.id && p.id !== incident.origin.id && !isAnnouncement(incident, p.id))?.id;
}
