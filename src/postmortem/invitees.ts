import type { Incident, Person } from '../domain/incident';
import type { OrgFile } from '../org/schema';

export interface Invitee {
  name: string;
  email: string;
}

/**
 * Who is invited to the postmortem review (issue 18 item 6, seed 004): the responders — commander, declarer, role
 * holders, experts, who joined, the postmortem's owner — and the engineering leadership the organisation file lists.
 * A person's address is the one Teams gave, else the organisation file's (matched by Entra object id). People with
 * no known address are returned apart, so the conversation can be told whom to forward it to.
 */
export function reviewInvitees(incident: Incident, org?: OrgFile): { invited: Invitee[]; unreachable: string[] } {
  const { roles } = incident;
  const responders = [incident.commander, incident.declaredBy, incident.postmortem?.owner, roles.comms, roles.customer, roles.business, ...roles.sme, ...(incident.joined ?? [])].filter(
    (p): p is Person => Boolean(p),
  );
  const invited: Invitee[] = [];
  const unreachable: string[] = [];
  const add = (name: string, email: string | undefined) => {
    if (!email) {
      if (!unreachable.includes(name)) unreachable.push(name);
      return;
    }
    if (!invited.some((i) => i.email.toLowerCase() === email.toLowerCase())) invited.push({ name, email });
  };
  for (const p of responders) {
    const known = org?.people.find((o) => (p.aadObjectId && o.aadObjectId === p.aadObjectId) || (p.email && o.email.toLowerCase() === p.email.toLowerCase()));
    add(p.name, p.email ?? known?.email);
  }
  for (const id of org?.postmortem.leadership ?? []) {
    const leader = org?.people.find((o) => o.id === id);
    if (leader) add(leader.name, leader.email);
  }
  return { invited, unreachable };
}
