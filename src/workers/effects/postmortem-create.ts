import type { Incidents } from '../../app/incidents';
import { incidentLabel } from '../../domain/messages';
import type { PostmortemDocs } from '../../google/postmortem-docs';
import { describe, failureKind, OutsideError } from '../../outside-error';
import { postmortemBlocks } from '../../postmortem/content';
import { POSTMORTEM_TEMPLATE } from '../../postmortem/template-text';
import type { ClaimedEffect, Store } from '../../store/store';
import { reportRetrying } from '../give-up';
import { SYSTEM } from './system';

/**
 * Makes the postmortem doc from the template and the event log as it is now, and records it as ready with the
 * effect's completion. Safe to run again: the adapter finds the doc an interrupted run made and writes it only
 * while it is empty.
 */
export function postmortemCreate(deps: { store: Store; incidents: Incidents; postmortems: PostmortemDocs; now: () => Date; template?: string }) {
  const template = deps.template ?? POSTMORTEM_TEMPLATE;
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    if (incident.resources.postmortem?.status === 'ready') return; // recorded before a crash
    const events = await deps.store.events(incident.id);
    const blocks = postmortemBlocks(template, { incident, events });
    let doc;
    try {
      doc = await deps.postmortems.create(incident, blocks, signal);
    } catch (err) {
      const kind = failureKind(err);
      if (!signal.aborted && (kind === 'retryable' || kind === 'conflict')) await reportRetrying(deps.incidents, incident.id, 'postmortem', describe(err), deps.now);
      throw err;
    }
    await deps.incidents.run(
      incident.id,
      { type: 'RecordResourceReady', resource: 'postmortem', url: doc.url, label: `Postmortem: ${incidentLabel(incident)} ${incident.title}`, at: deps.now().toISOString(), by: SYSTEM },
      { completesEffect: effect },
    );
  };
}
