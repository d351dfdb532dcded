import type { Incidents } from '../../app/incidents';
import type { Conversation, Incident } from '../../domain/incident';
import { incidentLabel } from '../../domain/messages';
import type { Graph } from '../../graph/graph';
import type { ClaimedEffect, Store } from '../../store/store';
import { describe, failureKind, OutsideError } from '../../outside-error';
import { reportRetrying } from '../give-up';
import { SYSTEM } from './system';

export interface ChannelCreateDeps {
  store: Store;
  incidents: Incidents;
  graph: Graph;
  /** The incident team's Entra group id. */
  teamId: string;
  /**
   * Production: the new channel becomes a place of the incident (the card is posted there). Not in local
   * mode: the Agents Playground has no Graph, so the incident stays in the conversation it was declared in.
   */
  addPlace: boolean;
  now: () => Date;
}

/**
 * Makes the incident's channel (or finds the one made before a crash), then records it: ResourceReady
 * puts its link on the card, PlaceAdded posts the card into it. The effect completes with the last fact.
 */
export function channelCreate(deps: ChannelCreateDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    // With a place to add, run again even when ready: the crash may have come between the two facts,
    // and finding the channel again costs one lookup, never a second channel.
    if (incident.resources.channel?.status === 'ready' && !deps.addPlace) return;
    const channel = await deps.graph
      .ensureChannel({
        teamId: deps.teamId,
        incidentId: incident.id,
        label: incidentLabel(incident),
        number: incident.number,
        title: incident.title,
        private: incident.private,
        owners: [incident.commander.aadObjectId, incident.declaredBy.aadObjectId].filter((id): id is string => Boolean(id)),
      }, signal)
      .catch(async (err) => {
        if (!signal.aborted && failureKind(err) === 'retryable') await reportRetrying(deps.incidents, incident.id, 'channel', describe(err), deps.now);
        throw err;
      });
    const at = deps.now().toISOString();
    await deps.incidents.run(
      incident.id,
      { type: 'RecordResourceReady', resource: 'channel', url: channel.webUrl, label: `#${channel.name}`, at, by: SYSTEM },
      deps.addPlace ? { underLease: effect } : { completesEffect: effect },
    );
    if (!deps.addPlace) return;
    await deps.incidents.run(incident.id, { type: 'AddPlace', conversation: placeOf(incident, channel.id), at, by: SYSTEM }, { completesEffect: effect });
  };
}

/** The channel as a Bot Framework conversation: its thread id is the conversation id. */
function placeOf(incident: Incident, channelId: string): Conversation {
  return {
    id: channelId,
    serviceUrl: incident.origin.serviceUrl,
    ...(incident.origin.tenantId ? { tenantId: incident.origin.tenantId } : {}),
    isChannel: true,
    channelId,
  };
}
