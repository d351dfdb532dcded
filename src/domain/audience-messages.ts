import { audienceNames, type AudienceMessage, type AudienceUpdateSent } from './audiences';
import { nextAudienceUpdateDue } from './cadence';
import type { Incident } from './incident';
import { incidentLabel, utcTime, type Message } from './messages';

/** The timeline entry of an audience update: who was told, and each audience's words. */
export function audienceTimelineText(event: AudienceUpdateSent): string {
  const texts = event.audiences.map((a) => `${a.name}: ${a.text}`).join(' | ');
  return `Update to ${audienceNames(event.audiences)}. ${texts}`;
}

/** What one audience receives on its Teams channel or by mail: its own words, nothing added (the template said it all). */
export function audienceMessage(incident: Incident, audience: Pick<AudienceMessage, 'name' | 'text'>): Message {
  return { subject: `${incidentLabel(incident)} update for ${audience.name}`, lines: [audience.text] };
}

/** Every audience told so far with its next update's due time, soonest first. */
export function audienceDues(incident: Incident): { name: string; due: string }[] {
  return Object.entries(incident.audiences ?? {})
    .map(([id, a]) => ({ name: a.name, due: nextAudienceUpdateDue(incident, id) }))
    .filter((a): a is { name: string; due: string } => a.due !== undefined)
    .sort((a, b) => a.due.localeCompare(b.due));
}

/** "Front-line support: next update by 11:42 UTC" for every audience told so far, soonest first. */
export function audienceDueLines(incident: Incident): string[] {
  return audienceDues(incident).map((a) => `${a.name}: next update by ${utcTime(a.due, incident.declaredAt)}`);
}

/** The cadence reminder for one audience, to the communications lead (or the commander when there is none). */
export function audienceDueMessage(incident: Incident, audienceId: string, now: Date): Message {
  const audience = incident.audiences?.[audienceId];
  const name = audience?.name ?? audienceId;
  const who = incident.roles.comms ? `${incident.roles.comms.name} (communications lead)` : `${incident.commander.name} (incident commander)`;
  const due = nextAudienceUpdateDue(incident, audienceId);
  const late = due ? Math.floor((now.getTime() - new Date(due).getTime()) / 60_000) : 0;
  return {
    subject: late >= 1 ? `${incidentLabel(incident)}: the update for ${name} is overdue by ${late} min` : `${incidentLabel(incident)}: the update for ${name} is due now`,
    lines: [
      `${who}: ${name} were promised an update by ${due ? utcTime(due, incident.declaredAt) : 'now'}. "No news yet" is still an update.`,
      `Send it with "update ${audienceId}: <text>", or "update" to pick audiences and templates.`,
    ],
  };
}
