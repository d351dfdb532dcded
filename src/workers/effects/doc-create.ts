import type { Incidents } from '../../app/incidents';
import type { Incident } from '../../domain/incident';
import { incidentLabel } from '../../domain/messages';
import { docCurrent, type IncidentDocs, type MadeFor } from '../../google/incident-docs';
import type { ClaimedEffect, Store } from '../../store/store';
import { describe, failureKind, OutsideError } from '../../outside-error';
import { reportRetrying } from '../give-up';
import type { DocPace } from '../timeline/pace';
import { SYSTEM } from './system';

/**
 * Creates the incident doc (copy of the template, filled, shared) and records it as ready. Safe to run again: the
 * adapter finds the copy an interrupted run made. The people of a private incident it could not be shared with are
 * recorded first: a crash between the two runs it again, and people already told are not told twice; the other way
 * round, a crash would leave them untold.
 *
 * The doc is filled once, on the assembly's critical path: with the incident as it is once the copy exists (the
 * channel and bridge links that came meanwhile). A change recorded after that read and before the doc was recorded
 * ready set off no fill of its own (there was no doc yet): that one, and only then, is filled here once the doc is
 * recorded, in the doc's turn (one writer per doc: the timeline sync may be writing by then).
 */
export function docCreate(deps: { store: Store; incidents: Incidents; docs: IncidentDocs; pace: DocPace; now: () => Date }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.resources.doc?.status === 'ready') {
      // Recorded before a crash: what may have come between is filled now (nothing is written if nothing changed).
      await catchUp(incident, undefined, signal);
      return;
    }
    let doc;
    try {
      // The incident as it is by the time the copy exists, and again once it has been read: the fill's links are fresh.
      doc = await deps.docs.create(incident, signal, async () => (await deps.store.load(incident.id)) ?? incident);
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
      { underLease: effect },
    );
    // From here on every change that shows in the doc sets off a fill of its own (react.ts): only the gap is left.
    const recorded = await deps.store.load(incident.id);
    if (recorded) await catchUp(recorded, doc, signal);
  };

  /** Fills (and shares) the recorded doc from `incident` unless it was made for an incident that shows the same. */
  async function catchUp(incident: Incident, made: MadeFor | undefined, signal: AbortSignal): Promise<void> {
    if (made && docCurrent(made, incident)) return;
    const doc = await deps.pace.exclusive(incident.id, () => deps.docs.fill(incident, signal));
    if (doc?.unshared.length) {
      await deps.incidents.run(incident.id, { type: 'RecordDocNotShared', people: doc.unshared, url: doc.url, at: deps.now().toISOString(), by: SYSTEM });
    }
  }
}
