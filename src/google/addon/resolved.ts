import type { Incident } from '../../domain/incident';
import { incidentLabel } from '../../domain/messages';
import { REOPEN_WINDOW_DAYS, reopenUntil } from '../../domain/resolution';
import { localTime } from './time';
import { escape, paragraph, type Section } from './widgets';

/**
 * A resolved incident in the sidebar: read-only, saying when it was resolved and, in plain words, where what is left
 * to do happens: its Teams conversation (notes for the postmortem, `reopen` within a week of resolving; issue 14
 * items 2 and 8). The sidebar offers no form for it, and an entry sent from a card shown before the resolution is
 * refused with `resolvedRefusal`, not recorded.
 */

export function resolvedSubtitle(incident: Incident, zone: string | undefined, now: Date): string {
  return incident.resolvedAt ? `Resolved ${localTime(incident.resolvedAt, zone, now)}` : 'Resolved';
}

/**
 * The one answer to anything sent from the sidebar once the incident is resolved (an entry, or a severity, phase or
 * update from a card shown before): it names only what can be done, and where (not Teams commands as if typed here).
 */
export function resolvedRefusal(incident: Incident, zone: string | undefined, now: Date, action: 'entry' | 'change' = 'entry'): string {
  const at = incident.resolvedAt ? ` at ${localTime(incident.resolvedAt, zone, now)}` : '';
  return `${incidentLabel(incident)} was resolved${at}, so the sidebar is read-only and nothing was ${action === 'entry' ? 'added' : 'changed'}. Add notes in its Teams conversation.`;
}

export function resolvedSections(incident: Incident, zone: string | undefined, now: Date): Section[] {
  const at = incident.resolvedAt ? new Date(incident.resolvedAt) : now;
  const until = new Date(reopenUntil(incident) ?? at.toISOString());
  const reopen =
    until.getTime() > now.getTime()
      ? `To reopen it, mention Firebreak there with <b>reopen</b> (pick @Firebreak from the mention list) in its Teams conversation, until ${escape(localTime(until.toISOString(), zone, now))} (${REOPEN_WINDOW_DAYS} days after it was resolved).`
      : `It was resolved more than ${REOPEN_WINDOW_DAYS} days ago and can no longer be reopened: if it starts again, declare a new incident in Teams.`;
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
