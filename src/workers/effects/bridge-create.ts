import type { Incidents } from '../../app/incidents';
import { incidentLabel } from '../../domain/messages';
import type { Graph } from '../../graph/graph';
import type { ClaimedEffect, Store } from '../../store/store';
import { describe, failureKind, OutsideError } from '../../outside-error';
import { reportRetrying } from '../give-up';
import { SYSTEM } from './system';

export interface BridgeCreateDeps {
  store: Store;
  incidents: Incidents;
  graph: Graph;
  organizerId: string;
  fallback: 'none' | 'calendar';
  now: () => Date;
}

const DAY = 24 * 3600 * 1000;

/** Gets the incident's meeting bridge (createOrGet by incident id) and puts its join link on the card. */
export function bridgeCreate(deps: BridgeCreateDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.resources.bridge?.status === 'ready') return;
    const start = new Date(incident.declaredAt);
    const bridge = await deps.graph
      .ensureBridge({
        organizerId: deps.organizerId,
        externalId: incident.id,
        subject: `${incidentLabel(incident)}: ${incident.title}`,
        start,
        // A meeting with an end time stays joinable until 60 days after it (Teams limits); a day covers
        // a long incident without leaving a stale bridge on the organizer's books for ever.
        end: new Date(start.getTime() + DAY),
        fallback: deps.fallback,
      }, signal)
      .catch(async (err) => {
        if (!signal.aborted && failureKind(err) === 'retryable') await reportRetrying(deps.incidents, incident.id, 'bridge', describe(err), deps.now);
        throw err;
      });
    await deps.incidents.run(
      incident.id,
      { type: 'RecordResourceReady', resource: 'bridge', url: bridge.joinWebUrl, label: 'Meeting bridge', at: deps.now().toISOString(), by: SYSTEM },
      { completesEffect: effect },
    );
  };
}
