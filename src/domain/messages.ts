import type { Incident, IncidentEvent, NotSharedReason, Person, ResourceKind, RoleName } from './incident';
import { nextUpdateDue } from './cadence';
import { ROLE_LABEL } from './vocabulary';
import { missingPolicyRoles } from './policy';

/**
 * The texts Firebreak sends, in the shape of DOMAIN.md (seed 000):
 *   Subject: <what we perceive>
 *   Severity 2, phase 1. Jo is incident commander. Coordinating via <channel> and <bridge>.
 *   <description>
 *   Customer liaison: ... Business liaison: ... Subject-matter experts: ...
 */
export interface Message {
  subject: string;
  lines: string[];
  /** Links written out in the lines as `text`, which a renderer that can show links (Teams) shows as `label`. */
  links?: MessageLink[];
  /** People to @mention (Teams user id or Entra object id), named on a line of their own where Teams can show it. */
  mentions?: { id: string; name: string }[];
}

export interface MessageLink {
  text: string;
  label: string;
  url: string;
}

export function incidentLabel(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}

/** "Severity 2, phase 1. Jo is incident commander." — the three facts every message carries. */
export function stateLine(incident: Incident): string {
  return `Severity ${incident.severity}, phase ${incident.phase}. ${incident.commander.name} is incident commander.`;
}

const RESOURCE_NOUN: Record<ResourceKind, string> = { channel: 'channel', bridge: 'meeting bridge', doc: 'incident doc', postmortem: 'postmortem doc' };

/** The coordination links as `coordinationLine` writes them out, for renderers that can show links. */
export function coordinationLinks(incident: Incident): MessageLink[] {
  const links: MessageLink[] = [];
  for (const k of ['channel', 'bridge'] as const) {
    const r = incident.resources[k];
    if (r?.status === 'ready' && r.url) links.push({ text: `${r.label ?? RESOURCE_NOUN[k]} (${r.url})`, label: r.label ?? RESOURCE_NOUN[k], url: r.url });
  }
  const doc = incident.resources.doc;
  if (doc?.status === 'ready' && doc.url) links.push({ text: `Incident doc: ${doc.url}`, label: 'Incident doc', url: doc.url });
  return links;
}

/** "Coordinating via #inc-1-x (https://...) and the meeting bridge (https://...)." */
export function coordinationLine(incident: Incident): string {
  const ready = (['channel', 'bridge'] as const)
    .map((k) => ({ k, r: incident.resources[k] }))
    .filter((x) => x.r?.status === 'ready' && x.r.url);
  const pending = (Object.keys(incident.resources) as ResourceKind[]).filter(
    (k) => incident.resources[k]?.status === 'pending' || incident.resources[k]?.status === 'retrying',
  );
  const places = ready.map(({ k, r }) => `${r!.label ?? RESOURCE_NOUN[k]} (${r!.url})`);
  const doc = incident.resources.doc;
  const where = [
    places.length ? `Coordinating via ${joinAnd(places)}.` : 'Coordinating in the Teams conversation where it was declared.',
    ...(doc?.status === 'ready' && doc.url ? [`Incident doc: ${doc.url}`] : []),
  ].join(' ');
  return pending.length ? `${where} Still assembling: ${pending.map((k) => RESOURCE_NOUN[k]).join(', ')}.` : where;
}

export function rolesLine(incident: Incident): string | undefined {
  const { roles } = incident;
  const parts: string[] = [];
  if (roles.comms) parts.push(`${ROLE_LABEL.comms}: ${roles.comms.name}`);
  if (roles.customer) parts.push(`${ROLE_LABEL.customer}: ${roles.customer.name}`);
  if (roles.business) parts.push(`${ROLE_LABEL.business}: ${roles.business.name}`);
  if (roles.sme.length) parts.push(`${ROLE_LABEL.sme}: ${joinAnd(roles.sme.map((p) => p.name))}`);
  return parts.length ? parts.map(sentence).join(' ') : undefined;
}

/** "Bob Brown is now communications lead (assigned by Alice Adams)." — told in the incident's own conversation. */
export function roleAssignedLine(event: { role: RoleName; person: Person; by: Person }): string {
  const role = event.role === 'sme' ? 'a subject-matter expert' : ROLE_LABEL[event.role].toLowerCase();
  const how = event.by.id === event.person.id ? 'took it on themselves' : `assigned by ${event.by.name}`;
  return `${event.person.name} is now ${role} (${how}).`;
}

/**
 * A gentle word when the commander is also named a subject-matter expert: the commander coordinates, others type
 * (DOMAIN.md: "not hands-on-keyboard"). Not a refusal: in a small team it may be the only way for a while.
 */
export function commanderAlsoExpert(incident: Incident): string | undefined {
  if (!incident.roles.sme.some((p) => p.id === incident.commander.id)) return undefined;
  return `${incident.commander.name} is incident commander and also a subject-matter expert. The commander coordinates while others type: when someone can take the keyboard (or the command), hand one of the two over.`;
}

/**
 * Roles the practice expects but nobody fills: those the organisation's policy expects at this severity (DOMAIN.md's
 * default: business liaison from sev 2), and a customer liaison with customer impact.
 */
export function missingRoles(incident: Incident): string[] {
  const gaps = missingPolicyRoles(incident);
  if (incident.customerImpact && !incident.roles.customer && !gaps.some((g) => g.startsWith('No customer liaison'))) {
    gaps.push('No customer liaison yet (customers are affected).');
  }
  return gaps;
}

/** The declaration. A private incident announces only that it exists and who leads it (DOMAIN.md). */
export function declaration(incident: Incident, opts: { redact?: boolean } = {}): Message {
  if (opts.redact && incident.private) {
    return {
      subject: `${incidentLabel(incident)}: private incident declared`,
      lines: [stateLine(incident), 'Details are shared with the people working on it.', ...optional(nextUpdateLine(incident))],
    };
  }
  const lines = [`${stateLine(incident)} ${coordinationLine(incident)}`];
  if (incident.description) lines.push(incident.description);
  const roles = rolesLine(incident);
  if (roles) lines.push(roles);
  lines.push(...missingRoles(incident), ...optional(nextUpdateLine(incident)));
  return { subject: `${incidentLabel(incident)}: ${incident.title}`, lines, links: coordinationLinks(incident) };
}

/** One line for notifications and the text above the card: "INC-1: Title. Severity 2, phase 1. Jo is incident commander." */
export function headline(incident: Incident, opts: { redact?: boolean } = {}): string {
  const title = opts.redact && incident.private ? 'private incident' : incident.title;
  const status = incident.status === 'resolved' ? 'Resolved. ' : '';
  return `${incidentLabel(incident)}: ${title}. ${status}${stateLine(incident)}`;
}

/** What an event changed, in words, or undefined when the event deserves no follow-up. */
export function changeLine(event: IncidentEvent, opts: { redact?: boolean } = {}): string | undefined {
  switch (event.type) {
    case 'SeverityChanged':
      return `Severity ${event.to < event.from ? 'raised' : 'lowered'} from ${event.from} to ${event.to} by ${event.by.name}.`;
    case 'PhaseChanged':
      return `Phase moved from ${event.from} to ${event.to} by ${event.by.name}.`;
    case 'CustomerImpactChanged':
      if (opts.redact) return `Customer impact reassessed by ${event.by.name}.`;
      return event.to ? `Customers are affected, says ${event.by.name}.` : `Customers are no longer affected, says ${event.by.name}.`;
    case 'CommanderChanged':
      return event.by.id === event.to.id
        ? `${event.to.name} took command from ${event.from.name}.`
        : `${event.from.name} handed command to ${event.to.name}.`;
    case 'IncidentResolved':
      return `Resolved by ${event.by.name}.${event.summary && !opts.redact ? ` ${event.summary}` : ''}`;
    case 'IncidentReopened':
      return `Reopened by ${event.by.name}: back to phase 2 (full resolution).${event.reason && !opts.redact ? ` ${event.reason}` : ''}`;
    default:
      return undefined;
  }
}

/**
 * A follow-up: what changed, then the current severity, phase and commander, where people coordinate (so a reader
 * who missed the declaration can join) and when the next update comes (DOMAIN.md).
 */
export function followUp(incident: Incident, changes: string[], opts: { redact?: boolean } = {}): Message {
  const next = optional(nextUpdateLine(incident));
  if (!(opts.redact && incident.private)) {
    const linked = Object.values(incident.resources).some((r) => r?.status === 'ready');
    const lines = [...changes, linked ? `${stateLine(incident)} ${coordinationLine(incident)}` : stateLine(incident), ...missingRoles(incident), ...next];
    return { subject: `Re: ${incidentLabel(incident)}: ${incident.title}`, lines, ...(linked && { links: coordinationLinks(incident) }) };
  }
  return { subject: `Re: ${incidentLabel(incident)}: private incident`, lines: [...changes, stateLine(incident), ...next] };
}

const optional = (line: string | undefined): string[] => (line ? [line] : []);

/** "14:30 UTC" (with the date when it is not the same day as `from`). */
export function utcTime(iso: string, from?: string): string {
  const sameDay = from && from.slice(0, 10) === iso.slice(0, 10);
  return `${sameDay || !from ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

/** "Next update by 14:30 UTC." — every update says when the next one comes (seed 003). */
export function nextUpdateLine(incident: Incident): string | undefined {
  const due = nextUpdateDue(incident);
  return due ? `Next update by ${utcTime(due, incident.lastUpdateAt)}.` : undefined;
}

/** A stakeholder update, for audiences outside the core team: their words first, then where things stand. */
export function stakeholderUpdate(incident: Incident, text: string, opts: { redact?: boolean } = {}): Message {
  const redact = opts.redact && incident.private;
  const lines = [...(redact ? [] : [text]), stateLine(incident)];
  const next = nextUpdateLine(incident);
  if (next) lines.push(next);
  return { subject: `Update: ${incidentLabel(incident)}: ${redact ? 'private incident' : incident.title}`, lines };
}

/** The cadence reminder, to the people running the incident (seeds 001, 003: "no news yet" is still an update). */
export function updateDueMessage(incident: Incident, now?: Date): Message {
  const who = incident.roles.comms ? `${incident.roles.comms.name} (communications lead)` : `${incident.commander.name} (incident commander)`;
  const due = nextUpdateDue(incident);
  const late = due && now ? Math.floor((now.getTime() - new Date(due).getTime()) / 60_000) : 0;
  return {
    subject: late >= 1 ? `${incidentLabel(incident)}: a stakeholder update is overdue by ${late} min` : `${incidentLabel(incident)}: a stakeholder update is due now`,
    lines: [
      `${who}: stakeholders were promised an update by now. "No news yet" is still an update.`,
      'Post one with "update <text>" or the card\'s Update button; it will say when the next one comes.',
    ],
  };
}

/** A timeline entry written outside the chat (the doc's sidebar, a card button), told to the incident's conversation. */
export function noteFromOutside(incident: Incident, note: { kind: 'note' | 'action'; text: string; by: { name: string }; via?: 'sidebar' | 'card' }): Message {
  const what = note.kind === 'action' ? 'announced a destructive action' : 'added to the timeline';
  const where = note.via === 'card' ? '' : ' from the incident doc';
  return { subject: `${incidentLabel(incident)}: ${note.by.name} ${what}${where}`, lines: [note.text] };
}

/** A row a person added in the doc's timeline table, told to the incident's conversation. */
/** In the incident's conversation: someone who saw the same thing joined instead of declaring it again. */
export function personJoined(incident: Incident, person: Person): Message {
  return { subject: `${incidentLabel(incident)}: ${person.name} joined`, lines: [`${person.name} was about to declare the same thing and joined this incident instead.`] };
}

export function docRowAdded(incident: Incident, row: { text: string; time: string; by: { name: string } }): Message {
  return { subject: `${incidentLabel(incident)}: added in the doc by ${row.by.name}`, lines: [row.time ? `${row.time}: ${row.text}` : row.text] };
}

/** A timeline row changed in the doc, told to the incident's conversation with its new text. */
export function docRowEdited(incident: Incident, row: { text: string; by: { name: string } }): Message {
  return { subject: `${incidentLabel(incident)}: a timeline row was changed in the doc by ${row.by.name}`, lines: [`Now: ${row.text}`] };
}

/** The doc is gone or unreachable; what Firebreak does about it, in plain words. */
export function docLostMessage(incident: Incident, detail: string): Message {
  return {
    subject: `${incidentLabel(incident)}: Firebreak can no longer write to the incident doc`,
    lines: [detail, 'The full timeline is still recorded here and by Firebreak; nothing said is lost. Restore the doc or share it again with Firebreak (as an editor) and Firebreak takes it up again by itself, catching up the timeline; or keep the timeline in this conversation.'],
  };
}

/**
 * Someone of a private incident who cannot open its doc, why, and what to do. The doc lives in a My Drive shared
 * person by person; Firebreak shares without an email (it sends no invitations for a private incident), which
 * Drive refuses for an address without a Google account: the Share button's invitation by email still works.
 */
export function docNotSharedMessage(incident: Incident, told: { person: Person; reason: NotSharedReason; url: string }): Message {
  const { person, reason, url } = told;
  const doc = { text: `Incident doc: ${url}`, label: 'Incident doc', url };
  const lines =
    reason === 'no-email'
      ? [
          `Firebreak could not share the doc with ${person.name}: no email known (Teams gave none for them).`,
          "There is nothing Firebreak can do about it. If they have a Google account, someone who can open the doc can share it with them by hand from the doc's Share button.",
        ]
      : [
          `Firebreak could not share the doc with ${person.name}: no Google account for ${person.email ?? 'their address'}.`,
          "Share it with them by hand from the doc's Share button: Google then emails them an invitation (Firebreak sends none for a private incident).",
        ];
  return { subject: `${incidentLabel(incident)}: ${person.name} cannot open the private incident doc`, lines: [...lines, doc.text], links: [doc] };
}

/** Said in the incident's conversation when Firebreak stops trying to create a resource. */
export function troubleMessage(incident: Incident, resource: ResourceKind, detail: string): Message {
  return {
    subject: `${incidentLabel(incident)}: the ${RESOURCE_NOUN[resource]} could not be created`,
    lines: [
      `Firebreak gave up creating the ${RESOURCE_NOUN[resource]}: ${detail}`,
      'Everything said here is still recorded; coordinate in this conversation meanwhile.',
    ],
  };
}

/** Ends a sentence with a full stop unless it already ends with one ("Alícia S." stays as is). */
function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function asPlainText(message: Message): string {
  return [message.subject, ...message.lines].join('\n');
}
