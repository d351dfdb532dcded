import { followUpReminder } from '../../domain/followup-messages';
import type { RemindFollowUp } from '../../domain/followups';
import type { ClaimedEffect } from '../../store/store';
import type { FollowUpNotifyDeps } from '../../followups/notify';
import { notify } from '../../followups/notify';

/**
 * The working day before a follow-up is due, and the working day after if it is still open: its owner (the incident
 * commander when it has none) is told. Nothing is said for an item closed, or whose due date changed, meanwhile.
 */
export function followUpRemind(deps: FollowUpNotifyDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { n, due, when } = effect.payload as RemindFollowUp['payload'];
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    const item = incident?.followUps?.find((i) => i.n === n);
    if (!incident || !item || item.status !== 'open' || item.due !== due) return;
    await notify(deps, effect, signal, incident, item.owner ?? incident.commander, followUpReminder(incident, item, when));
  };
}
