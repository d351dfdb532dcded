import type { CommanderChanged } from './events';
import type { FollowUp } from './followups';
import type { Verified } from './policy-events';
import type { Incident, Person, Phase, Severity } from './incident';
import { nextUpdateDue } from './cadence';
import { incidentLabel, missingRoles, type Message } from './messages';
import { HANDOFF_REMIND_AGAIN_MINUTES, plusMinutes, policyOf } from './policy';

/**
 * Hand-offs (issue 18 item 3, seed 002: the IC hands off on long incidents, before exhaustion). The IC is reminded
 * once in command longer than the policy's limit, then hourly; a hand-off brings a hand-off card to the incident's
 * conversation with what the next IC needs (the announcement itself is the follow-up every CommanderChanged gets).
 */

/** Since when the current IC has been in command. */
export function commanderSince(incident: Incident): string {
  return incident.commanderSince ?? incident.declaredAt;
}

/** When the current IC is first reminded to hand off. */
export function handoffDue(incident: Incident): string {
  return plusMinutes(commanderSince(incident), policyOf(incident).handoffMinutes);
}

/** What the next IC needs, as data for the hand-off card (rendered by src/teams/handoff-card.ts). */
export interface HandoffSummary {
  number: number;
  title: string;
  from: Person;
  to: Person;
  at: string;
  severity: Severity;
  severityMeaning: string;
  phase: Phase;
  customerImpact: boolean;
  /** Roles expected and unfilled, in words. */
  openRoles: string[];
  nextUpdateDue?: string;
  verified: Verified[];
  /** Open follow-up items (src/domain/followups.ts): what was promised and not yet done. */
  openFollowUps: Pick<FollowUp, 'n' | 'text' | 'owner' | 'due'>[];
}

export function handoffSummary(incident: Incident, event: CommanderChanged): HandoffSummary {
  const due = nextUpdateDue(incident);
  return {
    number: incident.number,
    title: incident.title,
    from: event.from,
    to: event.to,
    at: event.at,
    severity: incident.severity,
    severityMeaning: policyOf(incident).severityMeaning[incident.severity],
    phase: incident.phase,
    customerImpact: incident.customerImpact,
    openRoles: missingRoles(incident),
    ...(due && { nextUpdateDue: due }),
    verified: incident.verified ?? [],
    openFollowUps: (incident.followUps ?? []).filter((f) => f.status === 'open').map(({ n, text, owner, due }) => ({ n, text, ...(owner && { owner }), ...(due && { due }) })),
  };
}

/** The reminder to the IC, in the incident's conversation. */
export function handoffReminder(incident: Incident, now: Date): Message {
  const hours = Math.floor((now.getTime() - Date.parse(commanderSince(incident))) / 3_600_000);
  const minutes = Math.floor((now.getTime() - Date.parse(commanderSince(incident))) / 60_000) % 60;
  const spent = `${hours} h${minutes ? ` ${minutes} min` : ''}`;
  return {
    subject: `${incidentLabel(incident)}: ${incident.commander.name} has been incident commander for ${spent}: time to hand off`,
    lines: [
      'Long shifts wear the commander down before anyone notices (seed 002): hand command to someone rested, with "ic @person" or the card\'s Hand off button.',
      `The hand-off card will give them where things stand. Reminded again every ${HANDOFF_REMIND_AGAIN_MINUTES} minutes while you stay in command.`,
    ],
  };
}
