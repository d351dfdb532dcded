import { commanderSince, handoffReminder } from '../../domain/handoff';
import { HANDOFF_REMIND_AGAIN_MINUTES } from '../../domain/policy';
import type { RemindHandoff } from '../../domain/policy-effects';
import type { ClaimedEffect, Store } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';

/**
 * Reminds the IC to hand off once in command longer than the policy's limit, then every hour while the same IC stays
 * in command. It checks the state each time it runs: a new IC (or the same one taking command again later) or a
 * resolution retires it; the new IC's own reminder was set when they took command.
 */
export function handoffReminderEffect(deps: { store: Store; teams: TeamsOutbox; now: () => Date }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void | { runAgainAt: string }> => {
    const { commanderId, since } = effect.payload as RemindHandoff['payload'];
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    if (!incident || incident.status !== 'active') return;
    if (incident.commander.id !== commanderId || commanderSince(incident) !== since) return;
    const thread = incident.cards.find((c) => c.conversationId === incident.origin.id)?.postedIn ?? incident.origin.id;
    await deps.teams.postMessage({ ...incident.origin, id: thread }, { ...handoffReminder(incident, deps.now()), ...(!incident.commander.id.startsWith('google:') && { mentions: [{ id: incident.commander.id, name: incident.commander.name }] }) }, signal);
    // TODO(integrate): a 1:1 to the IC (issue 17's paging, src/paging/) would go beside this.
    return { runAgainAt: new Date(deps.now().getTime() + HANDOFF_REMIND_AGAIN_MINUTES * 60_000).toISOString() };
  };
}
