import type { Incident } from '../domain/incident';
import { utcTime } from '../domain/messages';
import { plain } from '../teams/text';

/** The postmortem on the incident card once resolved: who owns it, when it is due, when it is reviewed. */
export function postmortemFacts(incident: Incident, now: Date): { title: string; value: string }[] {
  const pm = incident.postmortem;
  if (!pm) return [];
  return [
    { title: 'Postmortem', value: `${plain(pm.owner.name)}, due ${pm.due}` },
    ...(pm.review ? [{ title: 'Postmortem review', value: `${utcTime(pm.review.start, now.toISOString())}${Date.parse(pm.review.start) < now.getTime() ? ' (held)' : ''}` }] : []),
  ];
}
