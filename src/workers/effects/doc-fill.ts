import type { Incidents } from '../../app/incidents';
import type { IncidentDocs } from '../../google/incident-docs';
import type { ClaimedEffect, Store } from '../../store/store';
import { OutsideError } from '../../outside-error';
import { SYSTEM } from './system';

/**
 * Fills the doc's placeholders from the incident as it is now (a link that arrived after the doc was made), and
 * shares a private incident's doc with its people as they are now. Idempotent: fields already showing the current
 * value are not written again, and people already told the doc could not be shared with them are not told again.
 */
export function docFill(deps: { store: Store; incidents: Incidents; docs: IncidentDocs; now: () => Date }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.resources.doc?.status !== 'ready') return; // the create effect fills it with whatever is known then
    const doc = await deps.docs.fill(incident, signal);
    if (!doc) throw new OutsideError('not-found', `the doc of incident ${incident.id} is no longer in Drive`);
    if (doc.unshared.length) {
      await deps.incidents.run(incident.id, { type: 'RecordDocNotShared', people: doc.unshared, url: doc.url, at: deps.now().toISOString(), by: SYSTEM });
    }
  };
}
