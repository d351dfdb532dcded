import type { Incident } from '../domain/incident';
import { incidentLabel } from '../domain/messages';
import { ROLE_LABEL } from '../domain/vocabulary';
import { esc, link, notFound, page, utcTime, type WebAnswer } from './html';
import type { SandboxSources } from './sandbox-state';

/**
 * /sandbox/meetings/<thread id>: the emulated meeting bridge, where its join link leads in local mode: the meeting as
 * Graph holds it (subject, times, organizer, the attendees Graph was given: none, as Firebreak invites nobody and
 * anyone in the organisation with the link gets in), and the incident's people who are expected on it.
 */
export async function meetingPage(src: SandboxSources, threadId: string, selfUrl: string): Promise<WebAnswer> {
  const meeting = src.graph?.meetings().find((m) => m.threadId === threadId);
  const event = meeting ? undefined : src.graph?.events().find((e) => e.threadId === threadId);
  if (!meeting && !event) return notFound(`The emulated Graph has no meeting ${threadId}.`);
  const organizerId = meeting?.organizerId ?? event!.organizerId;
  const organizer = src.graph?.tenant.users.find((u) => u.id === organizerId);
  const incident = meeting ? await src.store.load(meeting.externalId) : null;
  const subject = meeting?.subject ?? event!.subject;
  const facts: [string, string][] = [
    ['Join link', selfUrl],
    ['Starts', utcTime(meeting?.startDateTime ?? `${event!.start.dateTime}Z`)],
    ['Ends', utcTime(meeting?.endDateTime ?? `${event!.end.dateTime}Z`)],
    ['Organizer', organizer ? `${organizer.displayName} (${organizer.userPrincipalName})` : organizerId],
    ['Who gets in', 'Everyone in the organisation with the link (autoAdmittedUsers: EveryoneInCompany)'],
    ['Invited in Graph', 'nobody: Firebreak puts the link on the card, in the doc and in the mail instead'],
  ];
  return page(
    subject || 'Meeting bridge',
    `<header><h1>${esc(subject || 'Meeting bridge')}</h1><p>A Teams meeting in the emulated Microsoft Graph: the incident's bridge. It has no audio or video. ${link('/sandbox', 'Back to the sandbox')}</p></header>
<main><section class="panel"><h2>The meeting</h2><dl class="facts-list">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${k === 'Join link' ? link(v, v) : esc(v)}</dd>`).join('')}</dl></section>
${incident ? attendees(incident) : ''}</main>`,
  );
}

/** The incident's people, who join the bridge: its commander, the roles, who declared it. */
function attendees(incident: Incident): string {
  const people: [string, string][] = [['Incident commander', incident.commander.name]];
  for (const role of ['comms', 'customer', 'business'] as const) {
    const person = incident.roles[role];
    if (person) people.push([ROLE_LABEL[role], person.name]);
  }
  if (incident.roles.sme.length) people.push([ROLE_LABEL.sme, incident.roles.sme.map((p) => p.name).join(', ')]);
  people.push(['Declared by', incident.declaredBy.name]);
  return `<section class="panel"><h2>Attendees</h2><p>The people of ${link(`/sandbox#inc-${incident.number}`, `${incidentLabel(incident)}: ${incident.title}`)}, as the card names them now:</p>
<dl class="facts-list">${people.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></section>`;
}
