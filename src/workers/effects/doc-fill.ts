import type { Incidents } from '../../app/incidents';
import type { IncidentDocs } from '../../google/incident-docs';
import type { ClaimedEffect, Store } from '../../store/store';
import { OutsideError } from '../../outside-error';
import type { DocPace } from '../timeline/pace';
import { SYSTEM } from './system';

/**
 * Fills the doc's placeholders from the incident as it is now (a link that arrived after the doc was made), and
 * shares a private incident's doc with its people as they are now. Idempotent: fields already showing the current
 * value are not written again, and people already told the doc could not be shared with them are not told again.
 * It takes the doc's turn (one writer per doc): a timeline write set off by the same change waits for the fill, or
 * the fill for it, rather than both reading one revision and one losing the revision-locked write.
 */
export function docFill(deps: { store: Store; incidents: Incidents; docs: IncidentDocs; pace: DocPace; now: () => Date }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const id = effect.incidentId!;
    const doc = await deps.pace.exclusive(id, async () => {
      // Loaded in the turn: two fills one after the other each write the state as it is then, never an older one.
      const incident = await deps.store.load(id);
      if (!incident) throw new OutsideError('not-found', `incident ${id} is gone`);
      if (incident.resources.doc?.status !== 'ready') return null; // the create effect fills it with whatever is known then
      const filled = await deps.docs.fill(incident, signal);
      if (!filled) throw new OutsideError('not-found', `the doc of incident ${incident.id} is no longer in Drive`);
      return filled;
    });
    if (doc?.unshared.length) {
      await deps.incidents.run(id, { type: 'RecordDocNotShared', people: doc.unshared, url: doc.url, at: deps.now().toISOString(), by: SYSTEM });
    }
  };
}
