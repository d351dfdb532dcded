import type { EscalateOverdueUpdate, UpdateOverdueEscalated } from './policy-events';
import type { Incident } from './incident';
import { nextUpdateDue } from './cadence';
import { incidentLabel, utcTime, type Message } from './messages';
import { plusMinutes, policyOf } from './policy';

export type { EscalateOverdueUpdate, Manager, UpdateOverdueEscalated } from './policy-events';


/** When an update missed at `due` is escalated (the policy's threshold after it). */
export function escalationTime(incident: Incident, due: string): string {
  return plusMinutes(due, policyOf(incident).overdueEscalationMinutes);
}

/**
 * Escalates once per overdue period: only while `due` is still the due time (no update went out since), and only
 * once it is late by the threshold; nobody to tell, nothing recorded.
 */
export function decideEscalation(command: EscalateOverdueUpdate, state: Incident): UpdateOverdueEscalated[] {
  if (!command.managers.length || nextUpdateDue(state) !== command.due) return [];
  if (state.escalatedFor?.includes(command.due)) return [];
  if (Date.parse(command.at) < Date.parse(escalationTime(state, command.due))) return [];
  return [{ type: 'UpdateOverdueEscalated', due: command.due, managers: command.managers, at: command.at, by: command.by }];
}

export function lateMinutes(event: Pick<UpdateOverdueEscalated, 'due' | 'at'>): number {
  return Math.floor((Date.parse(event.at) - Date.parse(event.due)) / 60_000);
}

/** To the managers: by mail, and in a 1:1 chat when Teams knows them (else @mentioned in the incident's conversation). */
export function escalationMessage(incident: Incident, event: UpdateOverdueEscalated): Message {
  const who = incident.roles.comms ? `${incident.roles.comms.name} (communications lead)` : `${incident.commander.name} (incident commander)`;
  return {
    subject: `${incidentLabel(incident)}: the stakeholder update is overdue by ${lateMinutes(event)} min`,
    lines: [
      `${incidentLabel(incident)} (${incident.title}), severity ${incident.severity}, phase ${incident.phase}: stakeholders were promised an update by ${utcTime(event.due)} and none has gone out.`,
      `Incident managers: please check in with ${who}.`,
    ],
  };
}
