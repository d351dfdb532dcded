import type { Incident } from './incident';
import { incidentLabel, missingRoles, stateLine, utcTime } from './messages';
import { policyOf } from './policy';

/**
 * Resolving and what follows it: the question asked before resolving, what happens after, and what still makes
 * sense in a resolved incident's conversation (a note; `reopen` for a while). Pure: the time is always given.
 */

/** A resolved incident can be reopened for this long after it was resolved; after that, a recurrence is a new incident. */
export const REOPEN_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/** Until when a resolved incident can be reopened (ISO time), or undefined when it is not resolved. */
export function reopenUntil(incident: Pick<Incident, 'status' | 'resolvedAt'>): string | undefined {
  if (incident.status !== 'resolved' || !incident.resolvedAt) return undefined;
  return new Date(Date.parse(incident.resolvedAt) + REOPEN_WINDOW_DAYS * DAY_MS).toISOString();
}

export function canReopen(incident: Pick<Incident, 'status' | 'resolvedAt'>, at: string): boolean {
  const until = reopenUntil(incident);
  return until !== undefined && Date.parse(at) <= Date.parse(until);
}

/** Something that still makes sense once an incident is resolved: what to type, and what it does. */
export interface Offer {
  command: string;
  does: string;
}

/**
 * What a resolved incident's conversation can still do at `at`: a note, reopening for a while, and follow-up items
 * (issue 18: most are written after). Nothing is offered that does not exist yet.
 */
export function stillPossible(incident: Incident, at: string): Offer[] {
  const offers: Offer[] = [{ command: 'note <text>', does: 'adds to its timeline' }];
  const until = reopenUntil(incident);
  if (until && canReopen(incident, at)) {
    offers.push({ command: 'reopen [why]', does: `takes it back to phase 2 (full resolution), announced; possible until ${utcTime(until, at)}` });
  }
  offers.push({ command: 'followup <text> [@owner] [due …]', does: 'adds an action item, reminded until it is done' });
  return offers;
}

/** "INC-7 was resolved at 2026-03-15 14:32 UTC (2 h 5 min ago)." */
export function resolvedLine(incident: Incident, at: string): string {
  const when = incident.resolvedAt ?? at;
  return `${incidentLabel(incident)} was resolved at ${utcTime(when, at)} (${duration(when, at)} ago)`;
}

/**
 * The answer to a change asked of a resolved incident (in its thread, or on its card): that it is resolved and
 * since when, then what still makes sense — never a list of other incidents.
 */
export function resolvedAnswer(incident: Incident, at: string): string {
  const lines = [`${resolvedLine(incident, at)}, so it can't be changed any more.`, 'What still makes sense here:'];
  lines.push(...stillPossible(incident, at).map((o) => `• ${o.command}: ${o.does}`));
  if (!canReopen(incident, at)) lines.push(tooLateToReopen(incident));
  return lines.join('\n');
}

export function tooLateToReopen(incident: Incident): string {
  return `It was resolved more than ${REOPEN_WINDOW_DAYS} days ago, so it can't be reopened: if it is happening again, declare a new incident and mention ${incidentLabel(incident)} in it.`;
}

/**
 * The question `resolve` asks before resolving: where the incident stands (severity, how long it has been open,
 * the roles the practice expects but nobody holds) and the summary it would be resolved with.
 */
export function resolveQuestion(incident: Incident, at: string, summary?: string): string[] {
  const lines = [`Resolve ${incidentLabel(incident)}: ${incident.title}?`];
  lines.push(`${stateLine(incident)} Open for ${duration(incident.declaredAt, at)} (declared ${utcTime(incident.declaredAt, at)}).`);
  const missing = missingRoles(incident);
  lines.push(...(missing.length ? missing : ['Every role the practice expects at this severity is filled.']));
  if (incident.customerImpact) lines.push('Customers are marked as affected: say in the summary what they saw and that it is over.');
  lines.push(summary ? `Summary: ${summary}` : 'No summary yet: a sentence on what happened and what fixed it helps everyone who reads it later.');
  lines.push(`To resolve it now, type: resolve confirm${summary ? ` ${summary}` : ' [summary]'}`);
  return lines;
}

/**
 * What happens once an incident is resolved, told in its own conversation with the resolution: who owns the
 * postmortem (the incident commander by default: issue 18 adds `postmortem @person` and the doc), a break for the
 * people who worked on it (DOMAIN.md "People"), and what the conversation can still do.
 */
export function afterResolution(incident: Incident): string[] {
  const until = reopenUntil(incident);
  return [
    `Postmortem: ${(incident.postmortem?.owner ?? incident.commander).name} owns it (the incident commander, by default): a blameless write-up of the cause, the impact, the steps taken and the steps to prevent it.`,
    ...(incident.postmortem ? [`It is due ${incident.postmortem.due}${incident.resources.postmortem ? '; its doc is being assembled from the timeline' : ''}. "postmortem @person" gives it to someone else.`] : []),
    `Everyone who worked on it: take a break of about ${policyOf(incident).breakMinutes} minutes before anything else.`,
    'The card and the incident doc show it resolved; notes still go on its timeline ("note <text>").',
    ...(until ? [`If it turns out not to be over, "reopen [why]" takes it back to phase 2 until ${utcTime(until, incident.resolvedAt)}.`] : []),
  ];
}

/** "1 h 12 min", "4 min", "less than a minute", "3 days 2 h". */
export function duration(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  if (minutes < 1) return 'less than a minute';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  const days = Math.floor(h / 24);
  return `${days} days${h % 24 ? ` ${h % 24} h` : ''}`;
}
