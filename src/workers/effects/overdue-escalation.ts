import type { Incidents } from '../../app/incidents';
import { nextUpdateDue } from '../../domain/cadence';
import type { Manager } from '../../domain/escalation';
import type { EscalateOverdue } from '../../domain/policy-effects';
import type { ClaimedEffect, Store } from '../../store/store';
import { SYSTEM } from './system';

/**
 * When an update missed at `due` is late by the policy's threshold: records the escalation (the domain decides once
 * per overdue period, and only while that update is still missing); the mail and the message it causes are effects of
 * that event. The managers are read from the organisation file when it runs, so a corrected file is used.
 */
export function overdueEscalation(deps: { store: Store; incidents: Incidents; managers: () => Manager[]; now: () => Date }) {
  return async (effect: ClaimedEffect): Promise<void> => {
    const { due } = effect.payload as EscalateOverdue['payload'];
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    if (!incident || incident.status !== 'active' || nextUpdateDue(incident) !== due) return;
    const managers = deps.managers();
    if (!managers.length) return;
    await deps.incidents.run(incident.id, { type: 'EscalateOverdueUpdate', due, managers, at: deps.now().toISOString(), by: SYSTEM }, { completesEffect: effect });
  };
}
