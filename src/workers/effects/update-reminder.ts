import { audienceDueMessage } from '../../domain/audience-messages';
import { nextAudienceUpdateDue, nextRunAt, nextUpdateDue } from '../../domain/cadence';
import { updateDueMessage } from '../../domain/messages';
import type { RemindUpdate } from '../../domain/react';
import type { ClaimedEffect, Store } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';

/** While an update stays overdue, the reminder comes back this often: a missed update is the one that matters most. */
export const REMIND_AGAIN_MINUTES = 15;

/**
 * Reminds the incident's conversation that an update is due, unless one went out (or the due time moved) since; and
 * again every quarter hour while it stays overdue. A posted update moves the due time, which retires this reminder.
 */
export function updateReminder(deps: { store: Store; teams: TeamsOutbox; now: () => Date }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void | { runAgainAt: string }> => {
    const started = deps.now();
    const { due, audience, runFrom } = effect.payload as RemindUpdate['payload'] & { runFrom?: string };
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    if (!incident) return;
    // One audience's reminder (issue 16 item 3) follows that audience's due time; the rest is the same reminder.
    const current = audience ? nextAudienceUpdateDue(incident, audience) : nextUpdateDue(incident);
    if (current !== due || new Date(due) > started) return;
    const thread = incident.cards.find((c) => c.conversationId === incident.origin.id)?.postedIn ?? incident.origin.id;
    const message = audience ? audienceDueMessage(incident, audience, deps.now()) : updateDueMessage(incident, deps.now());
    await deps.teams.postMessage({ ...incident.origin, id: thread }, message, signal);
    // Every quarter hour from the due time (the runner keeps each run's time as `runFrom`).
    return { runAgainAt: nextRunAt(runFrom ?? due, REMIND_AGAIN_MINUTES, started) };
  };
}
