import type { SendAudienceUpdate } from './audiences';
import type { PostmortemCommand, PostmortemTerms } from './postmortem';
import type { FollowUpCommand } from './followups';
import type { EscalateOverdueUpdate } from './policy-events';
import type { Policy } from './policy';
import type { RecordAlertState } from './alert-state';
import type { Conversation, Detection, IncidentEvent, NotShared, Person, ResourceKind, RoleName } from './incident';

/** What people and Firebreak's workers ask of an incident; `decide` turns each into events or a refusal. */
export interface Base {
  at: string;
  by: Person;
}

export interface DeclareIncident extends Base {
  type: 'DeclareIncident';
  incidentId: string;
  number: number;
  title: string;
  description?: string;
  /** Defaults to 3 when not given. */
  severity?: number;
  customerImpact?: boolean;
  private?: boolean;
  /** Defaults to the person declaring. */
  commander?: Person;
  origin: Conversation;
  /** Further conversations to show the card in (e.g. the announcements channel). */
  announceIn?: Conversation[];
  sourceMessageUrl?: string;
  provisioning?: ResourceKind[];
  mail?: boolean;
  /** How it was found (the declare form asks; declared from an alert: monitoring). */
  detection?: Detection;
  /** The first sign, when earlier than now (an alert's start). */
  detectedAt?: string;
  /** The service it is about, as the organisation file names it: the alert group's, or chosen on the declare form. */
  service?: string;
  /** The organisation's policy (the application service adds it from the organisation file). */
  policy?: Policy;
}
export interface ChangeSeverity extends Base {
  type: 'ChangeSeverity';
  severity: number;
}
export interface ChangePhase extends Base {
  type: 'ChangePhase';
  phase: number;
}
/** Customers turn out to be affected (or not): the update cadence and the expected roles follow. */
export interface ChangeCustomerImpact extends Base {
  type: 'ChangeCustomerImpact';
  customerImpact: boolean;
}
/** `handoff`: the current commander names the next one. `take`: someone takes command themselves. */
export interface ChangeCommander extends Base {
  type: 'ChangeCommander';
  to: Person;
  mode: 'handoff' | 'take';
}
export interface AssignRole extends Base {
  type: 'AssignRole';
  role: RoleName;
  person: Person;
}
export interface AddNote extends Base {
  type: 'AddNote';
  kind: 'note' | 'action';
  text: string;
  /** Where it was written when not in the incident's conversation (so the chat is told). */
  via?: 'sidebar' | 'card';
  /** `action procedure …`: a long procedure is about to start (the team takes a break first). */
  procedure?: boolean;
}
export interface ResolveIncident extends Base {
  type: 'ResolveIncident';
  summary?: string;
  /** The organisation's postmortem due date rule (src/org/postmortem.ts); absent: 5 working days, UTC. */
  postmortem?: PostmortemTerms;
}
/** Takes a resolved incident back to phase 2 (full resolution), within `REOPEN_WINDOW_DAYS` of resolving it. */
export interface ReopenIncident extends Base {
  type: 'ReopenIncident';
  reason?: string;
}
export interface RecordCardPosted extends Base {
  type: 'RecordCardPosted';
  conversationId: string;
  postedIn: string;
  activityId: string;
  /** The incident version the posted card showed. */
  renderedVersion?: number;
}
/** Someone who was about to declare the same thing joins this incident instead ("Looks like INC-7 — Join it"). */
export interface JoinIncident extends Base {
  type: 'JoinIncident';
}
export interface AddPlace extends Base {
  type: 'AddPlace';
  conversation: Conversation;
  /** A conversation outside the incident (someone's "Show card here"): it reads like an announcements channel. */
  outside?: boolean;
}

export interface RecordResourceReady extends Base {
  type: 'RecordResourceReady';
  resource: ResourceKind;
  url: string;
  label: string;
}
export interface RecordResourceTrouble extends Base {
  type: 'RecordResourceTrouble';
  resource: ResourceKind;
  detail: string;
  final: boolean;
}

export interface PostStakeholderUpdate extends Base {
  type: 'PostStakeholderUpdate';
  text: string;
}
export type { SendAudienceUpdate } from './audiences';
export type { PostmortemCommand, ChangePostmortemOwner, SchedulePostmortemReview } from './postmortem';
export type { EscalateOverdueUpdate } from './policy-events';
export type { RecordAlertState } from './alert-state';

export interface RecordMessage extends Base {
  type: 'RecordMessage';
  messageId: string;
  text: string;
  author: Person;
  sentAt: string;
  link?: string;
}
export interface EditRecordedMessage extends Base {
  type: 'EditRecordedMessage';
  messageId: string;
  text: string;
}
export interface DeleteRecordedMessage extends Base {
  type: 'DeleteRecordedMessage';
  messageId: string;
}

export interface RecordMailFailed extends Base {
  type: 'RecordMailFailed';
  detail: string;
}

/** A row a person added in the doc's timeline table, as the watcher read it. */
export interface RecordDocRow extends Base {
  type: 'RecordDocRow';
  text: string;
  who: string;
  time: string;
}
export interface RecordDocRowEdit extends Base {
  type: 'RecordDocRowEdit';
  entryId: string;
  text: string;
  /** The entry's text on the timeline now, as the caller read it from the log: the same text again is no edit. */
  current?: string;
}
export interface RecordDocLost extends Base {
  type: 'RecordDocLost';
  detail: string;
}
/** People of a private incident the doc could not be shared with, as the doc effect found them (told once each). */
export interface RecordDocNotShared extends Base {
  type: 'RecordDocNotShared';
  people: NotShared[];
  /** The doc they cannot open, for the people who can share it with them. */
  url: string;
}

export type Command =
  | DeclareIncident
  | ChangeSeverity
  | ChangeCustomerImpact
  | ChangePhase
  | ChangeCommander
  | AssignRole
  | AddNote
  | ResolveIncident
  | ReopenIncident
  | RecordCardPosted
  | RecordResourceReady
  | RecordResourceTrouble
  | AddPlace
  | JoinIncident
  | PostStakeholderUpdate
  | SendAudienceUpdate
  | RecordAlertState
  | RecordMessage
  | EditRecordedMessage
  | DeleteRecordedMessage
  | RecordMailFailed
  | RecordDocRow
  | RecordDocRowEdit
  | RecordDocLost
  | RecordDocNotShared
  | PostmortemCommand
  | FollowUpCommand
  | EscalateOverdueUpdate;

/** A change to an existing incident, before its author and time are stamped on it. */
export type ChangeRequest = Exclude<Command, DeclareIncident> extends infer C
  ? C extends Command
    ? Omit<C, 'at' | 'by'>
    : never
  : never;

/** A command the rules do not allow, with the reason in plain words for the person who asked. */
export interface Refusal {
  refused: string;
}

export type Decision = IncidentEvent[] | Refusal;
