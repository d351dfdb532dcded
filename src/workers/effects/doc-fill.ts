import type { IncidentDocs } from '../../google/incident-docs';
import type { ClaimedEffect, Store } from '../../store/store';
import { OutsideError } from '../../outside-error';

/**
 * Fills the doc's placeholders from the incident as it is now (a link that arrived after the doc was made).
 * Idempotent: fields already showing the current value are not written again.
 */
export function docFill(deps: { store: Store; docs: IncidentDocs }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.resources.doc?.status !== 'ready') return; // the create effect fills it with whatever is known then
    const doc = await deps.docs.fill(incident, signal);
    if (!doc) throw new OutsideError('not-found', `the doc of incident ${incident.id} is no longer in Drive`);
  };
}
