import type { Incidents } from '../../app/incidents';
import { incidentLabel } from '../../domain/messages';
import type { IncidentDocs } from '../../google/incident-docs';
import type { ClaimedEffect, Store } from '../../store/store';
import { describe, failureKind, OutsideError } from '../../outside-error';
import { reportRetrying } from '../give-up';
import { SYSTEM } from './system';

/**
 * Creates the incident doc (copy of the template, filled, shared) and records it as ready, together with the
 * effect's completion. Safe to run again: the adapter finds the copy an interrupted run made. The people of a
 * private incident it could not be shared with are recorded first: a crash between the two runs it again, and
 * people already told are not told twice; the other way round, a crash would leave them untold.
 */
export function docCreate(deps: { store: Store; incidents: Incidents; docs: IncidentDocs; now: () => Date }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.resources.doc?.status === 'ready') return; // recorded before a crash
    let doc;
    try {
      doc = await deps.docs.create(incident, signal);
    } catch (err) {
      const kind = failureKind(err);
      // The card says "retrying (<why>)" while the runner keeps trying; giving up is reported by give-up.ts.
      if (!signal.aborted && (kind === 'retryable' || kind === 'conflict')) await reportRetrying(deps.incidents, incident.id, 'doc', describe(err), deps.now);
      throw err;
    }
    if (doc.unshared.length) {
      await deps.incidents.run(incident.id, { type: 'RecordDocNotShared', people: doc.unshared, url: doc.url, at: deps.now().toISOString(), by: SYSTEM });
    }
    await deps.incidents.run(
      incident.id,
      { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: `${incidentLabel(incident)} ${incident.title}`, at: deps.now().toISOString(), by: SYSTEM },
      { completesEffect: effect },
    );
  };
}
