import { followUpReminder } from '../../domain/followup-messages';
import type { RemindFollowUp } from '../../domain/followups';
import type { ClaimedEffect } from '../../store/store';
import { notifyPerson, type NotifyPersonDeps } from './notify-person';

/**
 * The working day before a follow-up is due, and the working day after if it is still open: its owner (the incident
 * commander when it has none) is told: in a 1:1 chat from the bot, else @mentioned in the incident's conversation, and by
 * mail when an address is known. Nothing is said for an item closed, or whose due date changed, meanwhile.
 */
export function followUpRemind(deps: NotifyPersonDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { n, due, when } = effect.payload as RemindFollowUp['payload'];
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    const item = incident?.followUps?.find((i) => i.n === n);
    if (!incident || !item || item.status !== 'open' || item.due !== due) return;
    const reminder = followUpReminder(incident, item, when);
    // Their own item (or, unowned, one of the incident they lead): the 1:1 and the incident's conversation may both read it.
    await notifyPerson(deps, effect, signal, item.owner ?? incident.commander, { direct: reminder, fallback: { incident, message: reminder }, mail: reminder });
  };
}
