import type { AudienceUpdateSent } from './audiences';
import type { PostmortemEvent } from './postmortem';
import type { PagingEvent } from './paging';
import type { FollowUpEvent } from './followups';
import type { BreakStarted, UpdateOverdueEscalated } from './policy-events';
import type { Policy } from './policy';
import type { AlertStateRecorded } from './alert-state';
import type { Conversation, Detection, NotSharedReason, Person, Phase, ResourceKind, RoleName, Severity } from './values';

/** What happened to an incident: the log `evolve` folds into its state. Past tense, facts only. */
export interface Base {
  at: string;
  by: Person;
}

export interface IncidentDeclared extends Base {
  type: 'IncidentDeclared';
  incidentId: string;
  number: number;
  title: string;
  description: string;
  severity: Severity;
  customerImpact: boolean;
  private: boolean;
  commander: Person;
  origin: Conversation;
  sourceMessageUrl?: string;
  /** Conversations that show the card and get follow-ups (the origin, the announcements channel). */
  places: Conversation[];
  /** The resources being assembled, shown as "assembling" until each is ready. */
  provisioning: ResourceKind[];
  /** Whether declarations and follow-ups are also mailed to the incidents list. */
  mail?: boolean;
  /** How the problem was found (issue 20): a monitoring alert, a colleague, or a customer. Absent: not asked. */
  detection?: Detection;
  /** When it was first noticed, if earlier than the declaration (an alert's start); absent: the declaration. */
  detectedAt?: string;
  /** The service it is about (issue 20): the alert group's, or chosen on the declare form. Absent: not known (and in events stored before it was recorded). */
  service?: string;
  /** The organisation's policy it runs under (src/domain/policy.ts); absent: today's defaults. */
  policy?: Policy;
}
export interface SeverityChanged extends Base {
  type: 'SeverityChanged';
  from: Severity;
  to: Severity;
}
export interface CustomerImpactChanged extends Base {
  type: 'CustomerImpactChanged';
  to: boolean;
}
export interface PhaseChanged extends Base {
  type: 'PhaseChanged';
  from: Phase;
  to: Phase;
}
export interface CommanderChanged extends Base {
  type: 'CommanderChanged';
  from: Person;
  to: Person;
}
export interface RoleAssigned extends Base {
  type: 'RoleAssigned';
  role: RoleName;
  person: Person;
}
export interface NoteAdded extends Base {
  type: 'NoteAdded';
  kind: 'note' | 'action';
  text: string;
  /** Written outside the chat (the doc's sidebar, a card button): the conversation is told. Typed notes are not. */
  via?: 'sidebar' | 'card';
  /** An action that starts a long procedure (`action procedure …`): the team takes a break first (breaks.ts). */
  procedure?: true;
}
export interface IncidentResolved extends Base {
  type: 'IncidentResolved';
  summary?: string;
}
/** A resolved incident was taken back to phase 2: it was not over after all. */
export interface IncidentReopened extends Base {
  type: 'IncidentReopened';
  reason?: string;
}
/** A system fact: the card was posted and has this activity id. */
export interface CardPosted extends Base {
  type: 'CardPosted';
  conversationId: string;
  postedIn: string;
  activityId: string;
  /** The incident version the posted card showed: older than the one before this event means it missed a change. */
  renderedVersion?: number;
}
/** A new conversation shows the incident (its own channel, or one where someone asked for its card); the card goes there too. */
export interface PlaceAdded extends Base {
  type: 'PlaceAdded';
  conversation: Conversation;
  /** Outside the incident: read-only, and a private incident shows only who leads (like an announcements channel). */
  outside?: true;
}

/** Someone joined the incident (they were about to declare the same thing): its conversation hears of it. */
export interface PersonJoined extends Base {
  type: 'PersonJoined';
}

/** A system fact: a channel, bridge or doc exists. */
export interface ResourceReady extends Base {
  type: 'ResourceReady';
  resource: ResourceKind;
  url: string;
  label: string;
}
/** A system fact: creating a resource is failing; `final` when Firebreak has stopped trying. */
export interface ResourceTrouble extends Base {
  type: 'ResourceTrouble';
  resource: ResourceKind;
  detail: string;
  final: boolean;
}

/** A stakeholder update: what the audiences outside the core team are told, with when the next will come. */
export interface StakeholderUpdatePosted extends Base {
  type: 'StakeholderUpdatePosted';
  text: string;
}
export type { AudienceUpdateSent } from './audiences';
export type { PostmortemEvent, PostmortemStarted, PostmortemOwnerChanged, PostmortemReviewScheduled } from './postmortem';
export type { BreakStarted, UpdateOverdueEscalated } from './policy-events';
export type { AlertStateRecorded } from './alert-state';

/** A chat message put on the timeline as it was said. */
export interface MessageRecorded extends Base {
  type: 'MessageRecorded';
  messageId: string;
  text: string;
  author: Person;
  sentAt: string;
  link?: string;
}
export interface RecordedMessageEdited extends Base {
  type: 'RecordedMessageEdited';
  messageId: string;
  text: string;
}
/** The message was deleted in chat; its entry stays, marked deleted, so nothing is silently lost. */
export interface RecordedMessageDeleted extends Base {
  type: 'RecordedMessageDeleted';
  messageId: string;
}

/** A system fact: Firebreak gave up sending a mail to the incidents list. */
export interface MailFailed extends Base {
  type: 'MailFailed';
  detail: string;
}

/**
 * A person added a row to the doc's timeline table. `at` is the row's time cell read as UTC, or when the row was
 * seen if that cell does not parse (its text is kept in `time`). `by` is the doc's last editor, when known.
 */
export interface DocRowAdded extends Base {
  type: 'DocRowAdded';
  text: string;
  /** The row's Who cell (may be empty: then the editor is who). */
  who: string;
  time: string;
}
/** Someone changed a timeline row's text in the doc (a row Firebreak wrote, or one a person added). */
export interface DocRowEdited extends Base {
  type: 'DocRowEdited';
  entryId: string;
  text: string;
}
/** A system fact: the incident doc was deleted or Firebreak lost access to it; the chat keeps the timeline. */
export interface DocLost extends Base {
  type: 'DocLost';
  detail: string;
}
/** A system fact: the private incident's doc could not be shared with one of its people; they are told once. */
export interface DocNotShared extends Base {
  type: 'DocNotShared';
  person: Person;
  reason: NotSharedReason;
  url: string;
}

export type IncidentEvent =
  | IncidentDeclared
  | SeverityChanged
  | CustomerImpactChanged
  | PhaseChanged
  | CommanderChanged
  | RoleAssigned
  | NoteAdded
  | IncidentResolved
  | IncidentReopened
  | CardPosted
  | ResourceReady
  | ResourceTrouble
  | PlaceAdded
  | PersonJoined
  | StakeholderUpdatePosted
  | AudienceUpdateSent
  | AlertStateRecorded
  | MessageRecorded
  | RecordedMessageEdited
  | RecordedMessageDeleted
  | MailFailed
  | DocRowAdded
  | DocRowEdited
  | DocLost
  | DocNotShared
  | PostmortemEvent
  | PagingEvent
  | FollowUpEvent
  | BreakStarted
  | UpdateOverdueEscalated;

export type EventType = IncidentEvent['type'];
