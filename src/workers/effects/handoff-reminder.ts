import { nextRunAt } from '../../domain/cadence';
import { commanderSince, handoffReminder } from '../../domain/handoff';
import { HANDOFF_REMIND_AGAIN_MINUTES } from '../../domain/policy';
import type { RemindHandoff } from '../../domain/policy-effects';
import type { ClaimedEffect } from '../../store/store';
import { notifyPerson, type NotifyPersonDeps } from './notify-person';

/**
 * Reminds the IC to hand off once in command longer than the policy's limit, then every hour while the same IC stays
 * in command: in a 1:1 chat from the bot, else @mentioned in the incident's conversation (notify-person.ts). It checks
 * the state each time it runs: a new IC (or the same one taking command again later) or a resolution retires it; the
 * new IC's own reminder was set when they took command.
 */
export function handoffReminderEffect(deps: NotifyPersonDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void | { runAgainAt: string }> => {
    const started = deps.now();
    const { commanderId, since, runFrom } = effect.payload as RemindHandoff['payload'] & { runFrom?: string };
    const incident = effect.incidentId ? await deps.store.load(effect.incidentId) : null;
    if (!incident || incident.status !== 'active') return;
    if (incident.commander.id !== commanderId || commanderSince(incident) !== since) return;
    const reminder = handoffReminder(incident, deps.now());
    // Each hourly run is a notice of its own (the runner keeps when it was set to run again).
    await notifyPerson(deps, effect, signal, incident.commander, { direct: reminder, fallback: { incident, message: reminder } }, `:${runFrom ?? 'first'}`);
    // Hourly from this run's time (nextRunAt: a run that stalled while it notified is followed by the one now due).
    return { runAgainAt: nextRunAt(runFrom ?? started.toISOString(), HANDOFF_REMIND_AGAIN_MINUTES, started) };
  };
}
