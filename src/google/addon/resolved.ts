import type { Incident } from '../../domain/incident';
import { incidentLabel } from '../../domain/messages';
import { localTime } from './time';
import { escape, paragraph, type Section } from './widgets';

/**
 * A resolved incident in the sidebar: read-only, saying when it was resolved and, in plain words, where what is left
 * to do happens: its Teams conversation (notes for the postmortem, `reopen` within a week of resolving; issue 14
 * items 2 and 8). The sidebar offers no form for it, and an entry sent from a card shown before the resolution is
 * refused with `resolvedRefusal`, not recorded.
 */
export const REOPEN_WITHIN_DAYS = 7;
const DAY = 24 * 3600 * 1000;

export function resolvedSubtitle(incident: Incident, zone: string | undefined, now: Date): string {
  return incident.resolvedAt ? `Resolved ${localTime(incident.resolvedAt, zone, now)}` : 'Resolved';
}

/** The one answer to a change sent from the sidebar once the incident is resolved. */
export function resolvedRefusal(incident: Incident, zone: string | undefined, now: Date): string {
  const at = incident.resolvedAt ? ` at ${localTime(incident.resolvedAt, zone, now)}` : '';
  return `${incidentLabel(incident)} was resolved${at}, so the sidebar is read-only and nothing was added. Add notes in its Teams conversation.`;
}

export function resolvedSections(incident: Incident, zone: string | undefined, now: Date): Section[] {
  const at = incident.resolvedAt ? new Date(incident.resolvedAt) : now;
  const until = new Date(at.getTime() + REOPEN_WITHIN_DAYS * DAY);
  const reopen =
    until.getTime() > now.getTime()
      ? `To reopen it, type <b>reopen</b> in its Teams conversation, until ${escape(localTime(until.toISOString(), zone, now))} (${REOPEN_WITHIN_DAYS} days after it was resolved).`
      : `It was resolved more than ${REOPEN_WITHIN_DAYS} days ago and can no longer be reopened: if it starts again, declare a new incident in Teams.`;
  return [
    {
      header: 'Resolved: read-only',
      widgets: [
        paragraph(`This incident was resolved at ${escape(localTime(at.toISOString(), zone, now))}. Its severity, phase, roles, updates and timeline no longer change here.`),
        paragraph('Notes for the postmortem go in its Teams conversation; this doc stays the place to write the postmortem itself.'),
        paragraph(reopen),
      ],
    },
  ];
}
