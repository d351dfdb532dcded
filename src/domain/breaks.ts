import type { BreakStarted } from './policy-events';
import type { Incident, IncidentEvent, Person } from './incident';

export type { BreakStarted } from './policy-events';
import { incidentLabel, type Message } from './messages';
import { clockTime, plusMinutes, policyOf } from './policy';

/**
 * The team break (issue 18 items 1-2, seed 002): once production impact stops — customer impact cleared, or the move
 * to phase 2 (the bleeding has stopped) — and before a long procedure. One prompt for the whole team, in the
 * incident's conversation; the card shows "On break until HH:MM" until then (compared with now when it renders).
 */

/**
 * The break the events of one command call for, if any. Impact ends once per incident (whichever comes first: impact
 * cleared or phase 2), and no new break starts while one is under way, so the team hears one prompt, not two.
 */
export function breakFor(events: readonly IncidentEvent[], before: Incident, at: string, by: Person): BreakStarted[] {
  if (onBreak(before, at)) return [];
  const minutes = policyOf(before).breakMinutes;
  const until = plusMinutes(at, minutes);
  for (const event of events) {
    const impactEnded = (event.type === 'CustomerImpactChanged' && !event.to) || (event.type === 'PhaseChanged' && event.to === 2 && event.from < 2);
    if (impactEnded && !before.impactBreakAt) return [{ type: 'BreakStarted', until, reason: 'impact-ended', at, by }];
    if (event.type === 'NoteAdded' && event.procedure) return [{ type: 'BreakStarted', until, reason: 'procedure', procedure: event.text, at, by }];
  }
  return [];
}

/** Whether the team is on a break at `now` (ISO or Date). */
export function onBreak(incident: Pick<Incident, 'breakUntil'>, now: string | Date): boolean {
  return Boolean(incident.breakUntil) && Date.parse(incident.breakUntil!) > new Date(now).getTime();
}


/** "Take a break of about 15 minutes, back at 15:45 UTC." in the incident's conversation. */
export function breakPrompt(incident: Incident, event: BreakStarted): Message {
  const policy = policyOf(incident);
  const back = clockTime(event.until, policy.timeZone);
  const why =
    event.reason === 'impact-ended'
      ? 'Production impact has stopped: the whole team takes a break now, while it is calm.'
      : `Before the long procedure (${event.procedure}): the whole team takes a short break first, so it starts rested.`;
  return {
    subject: `${incidentLabel(incident)}: take a break of about ${policy.breakMinutes} minutes, back at ${back}`,
    lines: [why, 'Step away from the screen, drink some water, eat something. The incident commander keeps an eye on things.'],
  };
}

/** The card's line while the break lasts: "On break until 15:45 UTC". */
export function breakLine(incident: Incident, now: Date): string | undefined {
  if (!onBreak(incident, now)) return undefined;
  return `On break until ${clockTime(incident.breakUntil!, policyOf(incident).timeZone)}`;
}
