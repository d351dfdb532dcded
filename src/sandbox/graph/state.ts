import type { EmulatedApp } from './entra';

/** The tenant the emulator pretends to be: its directory, teams and policies. */
export interface GraphTenant {
  tenantId: string;
  apps: EmulatedApp[];
  users: EmulatedUser[];
  teams: { id: string; displayName: string }[];
  /**
   * Teams application access policies (New-CsApplicationAccessPolicy + Grant-CsApplicationAccessPolicy):
   * which apps may act for which users on online meetings. `users: 'global'` is a tenant-wide grant.
   */
  accessPolicies?: { appIds: string[]; users: string[] | 'global' }[];
  /** Planner plans tasks can be made in (planner-post-tasks needs an existing plan). */
  plans?: { id: string; title: string }[];
}

export interface EmulatedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string;
}

export interface ChannelRecord {
  teamId: string;
  id: string;
  displayName: string;
  description?: string;
  membershipType: 'standard' | 'private';
  webUrl: string;
  createdDateTime: string;
  members: { userId: string; roles: string[] }[];
  createdBy: string;
}

export interface MeetingRecord {
  organizerId: string;
  id: string;
  externalId: string;
  subject: string;
  joinWebUrl: string;
  /** The meeting chat's thread id (`chatInfo.threadId`): also what the sandbox's meeting page is known by. */
  threadId: string;
  startDateTime: string;
  endDateTime: string;
  creationDateTime: string;
}

export interface EventRecord {
  organizerId: string;
  id: string;
  subject: string;
  transactionId?: string;
  joinUrl: string;
  /** The Teams meeting's thread id, when the event has one. */
  threadId?: string;
  webLink: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
}

export interface SentMail {
  /** The message id of its Sent Items copy. */
  id: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  contentType: 'text' | 'html';
  body: string;
  /** Custom `x-` headers the sender added (Firebreak sends its effect key as one). */
  headers: Record<string, string>;
  /** singleValueExtendedProperties as sent (Firebreak stamps its effect key as one, to find the mail again). */
  extendedProperties: { id: string; value: string }[];
  /** fileAttachments as sent: contentBytes kept base64 (an .ics invitation, for instance). */
  attachments?: { name: string; contentType?: string; contentBytes: string }[];
  savedToSentItems: boolean;
  sentAt: string;
}

/** A Teams activity-feed notification as it was accepted (paging). */
export interface ActivityNotificationRecord {
  userId: string;
  appId: string;
  topic: { source: string; value: string; webUrl?: string };
  activityType: string;
  previewText: string;
  templateParameters: Record<string, string>;
  sentAt: string;
}

/** A Planner task (plannerTask): `version` makes its etag; assignments are keyed by the user's object id. */
export interface PlannerTaskRecord {
  id: string;
  planId: string;
  title: string;
  dueDateTime?: string;
  startDateTime?: string;
  percentComplete: number;
  priority?: number;
  orderHint: string;
  assignments: Record<string, { orderHint: string; assignedDateTime: string; assignedBy: PlannerIdentity }>;
  createdDateTime: string;
  createdBy: PlannerIdentity;
  completedDateTime?: string;
  completedBy?: PlannerIdentity;
  version: number;
}

/** An identitySet: the app (Firebreak) or a person (someone ticking the task off in Planner). */
export type PlannerIdentity = { application: { id: string } } | { user: { id: string } };

/** Everything the emulator holds, readable by tests and the sandbox page. */
export interface GraphState {
  channels: ChannelRecord[];
  /** Names of deleted channels: Teams keeps them reserved, so creating one again is a conflict. */
  deletedChannelNames: { teamId: string; name: string }[];
  meetings: MeetingRecord[];
  events: EventRecord[];
  mailbox: SentMail[];
  /** Optional so a state file written before it existed still reads back. */
  activityNotifications?: ActivityNotificationRecord[];
  /** Planner tasks of every plan (optional, as activityNotifications). */
  plannerTasks?: PlannerTaskRecord[];
}

export function emptyState(): GraphState {
  return { channels: [], deletedChannelNames: [], meetings: [], events: [], mailbox: [] };
}

/** Whether a state file read back holds the emulator's state (each list present). */
export function isGraphState(value: unknown): value is GraphState {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && (Object.keys(emptyState()) as (keyof GraphState)[]).every((k) => Array.isArray(v[k]));
}

/** `/users/{id | userPrincipalName}`: Graph accepts either. */
export function findUser(tenant: GraphTenant, idOrUpn: string): EmulatedUser | undefined {
  const key = idOrUpn.toLowerCase();
  return tenant.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
}
