import type { Incident, IncidentEvent, Person } from '../../domain/incident';
import type { GoogleUser } from './verify';

/**
 * The person a sidebar action is attributed to: the one the incident already knows by this email (someone from
 * Teams, so follow-ups name them as Teams does), else the Google account itself, `google:<email>`.
 */
export function personFor(user: GoogleUser, incident: Incident, events: readonly IncidentEvent[]): Person {
  const known = knownPeople(incident, events).find((p) => p.email?.toLowerCase() === user.email);
  return known ?? { id: `google:${user.email}`, name: user.name ?? user.email, email: user.email };
}

export function knownPeople(incident: Incident, events: readonly IncidentEvent[]): Person[] {
  const { roles } = incident;
  const fromEvents = events.flatMap((e) => PERSON_FIELDS.map((f) => (e as unknown as Record<string, unknown>)[f]).filter(isPerson));
  return [incident.commander, roles.comms, roles.customer, roles.business, ...roles.sme, incident.declaredBy, ...fromEvents].filter(isPerson);
}

/** Where events name people: who acted, who was given a role or command, whose message was recorded. */
const PERSON_FIELDS = ['by', 'person', 'commander', 'from', 'to', 'author'] as const;

function isPerson(v: unknown): v is Person {
  return typeof v === 'object' && v !== null && typeof (v as Person).id === 'string' && typeof (v as Person).name === 'string';
}

/**
 * Who may change an incident from the sidebar: an account of an allowed Google Workspace domain, by the token's `hd`
 * (hosted domain) claim. A doc can be shared outside the organisation (a vendor, a customer's engineer); they may
 * read where things stand, which the doc already tells them, but severity, phase, the timeline and stakeholder
 * updates stay with the organisation. A personal Google account carries no `hd`, even when its address is a company
 * one, so it only reads.
 */
export function mayChange(user: GoogleUser, allowedDomains: readonly string[]): { ok: true } | { ok: false; reason: string } {
  if (user.hostedDomain && allowedDomains.includes(user.hostedDomain)) return { ok: true };
  const allowed = allowedDomains.length ? allowedDomains.join(', ') : 'no domain (ADDON_ALLOWED_DOMAINS is empty)';
  const who = user.hostedDomain ? `${user.email} (${user.hostedDomain})` : `${user.email}, a personal Google account`;
  return { ok: false, reason: `Only people signed in with a Google Workspace account of ${allowed} can change incidents here; you are signed in as ${who}. Ask the incident commander in Teams.` };
}
