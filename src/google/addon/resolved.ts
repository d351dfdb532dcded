import type { Incident } from '../../domain/incident';
import { LIMITS } from '../../domain/vocabulary';
import { localTime } from './time';
import { buttons, escape, paragraph, textInput, type ActionButton, type Section } from './widgets';

/**
 * A resolved incident in the sidebar: read-only, with when it was resolved, and in plain words what can still be
 * done, as its Teams conversation says it: its state no longer changes (the domain refuses severity, phase, roles and
 * updates once resolved), notes are still taken (the timeline keeps growing in phase 3, for the postmortem), and it
 * can be reopened from Teams with `reopen` within a week of resolving.
 */
export const REOPEN_WITHIN_DAYS = 7;
const DAY = 24 * 3600 * 1000;

export function resolvedSubtitle(incident: Incident, zone: string | undefined, now: Date): string {
  return incident.resolvedAt ? `Resolved ${localTime(incident.resolvedAt, zone, now)}` : 'Resolved';
}

export function resolvedSections(incident: Incident, zone: string | undefined, now: Date, act: (text: string, action: string, filled?: boolean) => ActionButton): Section[] {
  const at = incident.resolvedAt ? new Date(incident.resolvedAt) : now;
  const until = new Date(at.getTime() + REOPEN_WITHIN_DAYS * DAY);
  const reopen =
    until.getTime() > now.getTime()
      ? `To reopen it, type <b>reopen</b> in its Teams conversation, until ${escape(localTime(until.toISOString(), zone, now))} (${REOPEN_WITHIN_DAYS} days after it was resolved).`
      : `It was resolved more than ${REOPEN_WITHIN_DAYS} days ago and can no longer be reopened: if it starts again, declare a new incident in Teams.`;
  return [
    {
      header: 'Resolved: what you can still do',
      widgets: [
        paragraph(`This incident was resolved at ${escape(localTime(at.toISOString(), zone, now))}: its severity, phase, roles and stakeholder updates no longer change, so they are read-only here.`),
        paragraph('You can still add a note to the timeline: it keeps growing for the postmortem (phase 3, learn and rebuild).'),
        paragraph(reopen),
      ],
    },
    {
      header: 'Add a note',
      widgets: [textInput('entry', 'A note for the timeline', `Up to ${LIMITS.note} characters`), buttons([act('Add note', 'addEntry', true)])],
    },
  ];
}
