import { evolveAudiences, type AudienceCadence } from './audiences';
import { evolvePostmortem, type PostmortemState } from './postmortem';
import { evolveAlertState, type AlertState } from './alert-state';
import type { IncidentEvent } from './events';
import { isPagingEvent } from './paging';
import { evolveFollowUps, type FollowUp } from './followups';
import type { Verified } from './policy-events';
import type { Policy } from './policy';
import type { Conversation, Detection, NotSharedReason, Person, Phase, ResourceKind, RoleName, Roles, Severity } from './values';

export type * from './events';
export type * from './values';

/**
 * The incident: its state, the events that change it, and `evolve`.
 * Pure: no I/O, no clock, no random ids. Times are ISO-8601 strings carried on events.
 */

/** One copy of the live incident card, so every copy can be updated in place. */
export interface CardCopy {
  /** The place (an entry of `Incident.places`) the copy belongs to. */
  conversationId: string;
  /** Where the activity lives: the place itself, or the thread a channel post started (`<channel>;messageid=<id>`). */
  postedIn: string;
  activityId: string;
}

export type IncidentStatus = 'active' | 'resolved';

export interface ResourceState {
  status: 'pending' | 'ready' | 'retrying' | 'failed';
  url?: string;
  label?: string;
  /** Why it is retrying or failed, in plain words. */
  detail?: string;
}

export interface Incident {
  id: string;
  number: number;
  title: string;
  description: string;
  severity: Severity;
  phase: Phase;
  commander: Person;
  declaredBy: Person;
  roles: Roles;
  customerImpact: boolean;
  private: boolean;
  status: IncidentStatus;
  declaredAt: string;
  /** When the problem was first noticed, when earlier than the declaration (an alert's start). Figures: figures.ts. */
  detectedAt?: string;
  detection?: Detection;
  /** The service it is about, when known (declared from an alert, or chosen on the form): the postmortem names it. */
  service?: string;
  resolvedAt?: string;
  /** Where it was declared. */
  origin: Conversation;
  /** Every conversation that shows the live card and gets follow-ups. */
  places: Conversation[];
  /** The places that are announcement channels (outside the incident): a private incident shows only who leads there. */
  announcedIn: string[];
  /** Of those, the conversations someone asked to show the card in ("Show card here"): the card only, no follow-ups. */
  shownIn?: string[];
  sourceMessageUrl?: string;
  cards: CardCopy[];
  resources: Partial<Record<ResourceKind, ResourceState>>;
  /** Declarations and follow-ups also go to the incidents mailing list. */
  mail: boolean;
  /** When the last stakeholder update went out (the declaration counts as the first). */
  lastUpdateAt: string;
  /** The audiences told so far through audience updates, by audience id (their own cadence: src/domain/cadence.ts). */
  audiences?: Record<string, AudienceCadence>;
  /** Declared from a monitoring alert group: that group's state now (src/domain/alert-state.ts). */
  alert?: AlertState;
  /** Teams messages recorded on the timeline ("Add to timeline"), by message id. */
  recorded: Record<string, { deleted: boolean }>;
  /** Timeline entries' texts as last changed in the doc, by entry id (so one edit is recorded once). */
  docTexts?: Record<string, string>;
  /** People of a private incident told they could not be given its doc, by person id, with why (told once each). */
  docNotShared?: Record<string, NotSharedReason>;
  /** People who joined it instead of declaring the same thing again (each joins once). */
  joined?: Person[];
  /** Once resolved: who owns the postmortem, when it is due, its review (src/domain/postmortem.ts). */
  postmortem?: PostmortemState;
  /** Follow-up items (src/domain/followups.ts), numbered from 1. */
  followUps?: FollowUp[];
  /** The organisation's policy it was declared under (src/domain/policy.ts); absent: today's defaults. */
  policy?: Policy;
  /** When the current commander took command; absent: since the declaration (handoff.ts). */
  commanderSince?: string;
  /** The team is on a break until then (breaks.ts); compared with now wherever shown. */
  breakUntil?: string;
  /** When impact ended and the team was sent on its break (once per incident). */
  impactBreakAt?: string;
  /** `note verified: …` entries, for the hand-off card. */
  verified?: Verified[];
  /** Due times of missed updates already escalated to the incident managers (escalation.ts). */
  escalatedFor?: string[];
  /** Number of events applied. */
  version: number;
}

/** Conversation ids of a Teams channel thread carry `;messageid=`; the channel is the part before it. */
export function baseConversationId(id: string): string {
  return id.split(';messageid=')[0];
}

/** Whether a conversation (or a thread of it) is an announcement place, where private incidents are redacted. */
export function isAnnouncement(incident: Pick<Incident, 'announcedIn'>, conversationId: string): boolean {
  const base = baseConversationId(conversationId);
  return incident.announcedIn.some((id) => baseConversationId(id) === base);
}

export function emptyRoles(): Roles {
  return { sme: [] };
}

/** Applies one event. The first event of a stream must be `IncidentDeclared`. */
export function evolve(state: Incident | null, event: IncidentEvent): Incident {
  if (event.type === 'IncidentDeclared') {
    return {
      id: event.incidentId,
      number: event.number,
      title: event.title,
      description: event.description,
      severity: event.severity,
      phase: 1,
      commander: event.commander,
      declaredBy: event.by,
      roles: emptyRoles(),
      customerImpact: event.customerImpact,
      private: event.private,
      status: 'active',
      declaredAt: event.at,
      ...(event.detectedAt && Date.parse(event.detectedAt) < Date.parse(event.at) && { detectedAt: new Date(event.detectedAt).toISOString() }),
      ...(event.detection && { detection: event.detection }),
      ...(event.service && { service: event.service }),
      ...(event.policy && { policy: event.policy }),
      origin: event.origin,
      places: event.places,
      announcedIn: event.places.filter((p) => p.id !== event.origin.id).map((p) => p.id),
      sourceMessageUrl: event.sourceMessageUrl,
      cards: [],
      resources: Object.fromEntries(event.provisioning.map((r) => [r, { status: 'pending' }])),
      mail: event.mail ?? false,
      lastUpdateAt: event.at,
      recorded: {},
      version: 1,
    };
  }
  if (!state) throw new Error(`${event.type} before IncidentDeclared`);
  const next = { ...state, version: state.version + 1 };
  if (isPagingEvent(event)) return next; // a page's steps are on the timeline; the page keeps its own state (paging.ts)
  switch (event.type) {
    case 'SeverityChanged':
      return { ...next, severity: event.to };
    case 'PhaseChanged':
      return { ...next, phase: event.to };
    case 'CustomerImpactChanged':
      return { ...next, customerImpact: event.to };
    case 'CommanderChanged':
      return { ...next, commander: event.to, commanderSince: event.at };
    case 'RoleAssigned':
      return { ...next, roles: withRole(state.roles, event.role, event.person) };
    case 'NoteAdded': {
      // `note verified: …` entries are kept for the hand-off card (src/domain/handoff.ts).
      const verified = event.kind === 'note' && /^verified\s*:/i.test(event.text) ? event.text.replace(/^verified\s*:\s*/i, '') : undefined;
      return verified === undefined ? next : { ...next, verified: [...(state.verified ?? []), { text: verified, at: event.at, by: event.by }] };
    }
    case 'PersonJoined':
      return { ...next, joined: [...(state.joined ?? []), event.by] };
    case 'IncidentResolved':
      return { ...next, status: 'resolved', resolvedAt: event.at };
    case 'IncidentReopened': {
      // Announced everywhere like a declaration, so the update cadence counts from here (not already overdue).
      const { resolvedAt: _resolvedAt, ...reopened } = next;
      const audiences = state.audiences && Object.fromEntries(Object.entries(state.audiences).map(([id, a]) => [id, { ...a, lastAt: event.at }]));
      return { ...reopened, status: 'active', phase: 2, lastUpdateAt: event.at, ...(audiences && { audiences }) };
    }
    case 'CardPosted':
      return {
        ...next,
        cards: [
          ...state.cards.filter((c) => c.conversationId !== event.conversationId),
          { conversationId: event.conversationId, postedIn: event.postedIn, activityId: event.activityId },
        ],
      };
    case 'ResourceReady':
      return {
        ...next,
        resources: { ...state.resources, [event.resource]: { status: 'ready', url: event.url, label: event.label } },
      };
    case 'ResourceTrouble': {
      const previous = state.resources[event.resource];
      if (previous?.status === 'ready') return next;
      const status = event.final ? 'failed' : 'retrying';
      return { ...next, resources: { ...state.resources, [event.resource]: { status, detail: event.detail } } };
    }
    case 'StakeholderUpdatePosted':
      return { ...next, lastUpdateAt: event.at };
    case 'AudienceUpdateSent':
      // Stakeholders heard from us: the incident's own cadence starts again too (each audience keeps its own).
      return { ...next, lastUpdateAt: event.at, audiences: evolveAudiences(state.audiences, event) };
    case 'AlertStateRecorded':
      return { ...next, alert: evolveAlertState(event) };
    case 'MessageRecorded':
      return { ...next, recorded: { ...state.recorded, [event.messageId]: { deleted: false } } };
    case 'RecordedMessageEdited':
      return next;
    case 'RecordedMessageDeleted':
      return { ...next, recorded: { ...state.recorded, [event.messageId]: { deleted: true } } };
    case 'MailFailed':
      return next;
    case 'DocRowAdded':
      return next;
    case 'DocRowEdited':
      return { ...next, docTexts: { ...state.docTexts, [event.entryId]: event.text } };
    case 'DocLost':
      return { ...next, resources: { ...state.resources, doc: { ...state.resources.doc, status: 'failed', detail: event.detail } } };
    case 'DocNotShared':
      return { ...next, docNotShared: { ...state.docNotShared, [event.person.id]: event.reason } };
    case 'PostmortemStarted':
    case 'PostmortemOwnerChanged':
    case 'PostmortemReviewScheduled': {
      const postmortem = evolvePostmortem(state.postmortem, event);
      // The doc is assembled once the postmortem starts: the card shows it as such until it is ready.
      const resources = event.type === 'PostmortemStarted' && event.doc !== false && !state.resources.postmortem ? { ...state.resources, postmortem: { status: 'pending' as const } } : state.resources;
      return { ...next, resources, ...(postmortem && { postmortem }) };
    }
    case 'PlaceAdded':
      return state.places.some((p) => p.id === event.conversation.id)
        ? next
        : {
            ...next,
            places: [...state.places, event.conversation],
            ...(event.outside ? { announcedIn: [...state.announcedIn, event.conversation.id], shownIn: [...(state.shownIn ?? []), event.conversation.id] } : {}),
          };
    case 'FollowUpAdded':
    case 'FollowUpOwnerSet':
    case 'FollowUpClosed':
    case 'FollowUpEdited':
    case 'FollowUpExported':
      return { ...next, followUps: evolveFollowUps(state.followUps, event) };
    case 'BreakStarted':
      return { ...next, breakUntil: event.until, ...(event.reason === 'impact-ended' && { impactBreakAt: event.at }) };
    case 'UpdateOverdueEscalated':
      return { ...next, escalatedFor: [...(state.escalatedFor ?? []), event.due] };
    default:
      return assertNever(event);
  }
}

export function evolveAll(events: readonly IncidentEvent[], state: Incident | null = null): Incident | null {
  return events.reduce<Incident | null>((s, e) => evolve(s, e), state);
}

function withRole(roles: Roles, role: RoleName, person: Person): Roles {
  if (role === 'sme') {
    return roles.sme.some((p) => p.id === person.id) ? roles : { ...roles, sme: [...roles.sme, person] };
  }
  return { ...roles, [role]: person };
}

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
