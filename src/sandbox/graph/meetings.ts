import { randomBytes } from 'node:crypto';
import type { Reply } from '../http';
import { accessDenied, badRequest, graphError, missingRoles, unknownProperty } from './errors';
import { hasRole, isObject, type RouteContext } from './route';
import { findUser, type EmulatedUser, type EventRecord, type MeetingRecord } from './state';

const MEETING_ROLES = ['OnlineMeetings.ReadWrite.All'];
const CALENDAR_ROLES = ['Calendars.ReadWrite'];
const CREATE_OR_GET_FIELDS = ['externalId', 'subject', 'startDateTime', 'endDateTime', 'participants'];
const EVENT_FIELDS = ['subject', 'body', 'start', 'end', 'isOnlineMeeting', 'onlineMeetingProvider', 'transactionId', 'attendees', 'showAs', 'allowNewTimeProposals', 'isReminderOn'];
const HOUR = 3600 * 1000;

/**
 * POST /users/{id}/onlineMeetings/createOrGet — idempotent by (organizer, externalId): 201 with a new
 * meeting, 200 with the existing one, unchanged (onlinemeeting-createorget, v1.0). With an app token the
 * organizer must be covered by an application access policy, otherwise 403 "No application access policy".
 */
export function createOrGetRoute(ctx: RouteContext): Reply | undefined {
  const [users, userId, meetings, action, ...rest] = ctx.segments;
  if (users !== 'users' || meetings !== 'onlineMeetings' || action !== 'createOrGet' || rest.length) return undefined;
  if (ctx.method !== 'POST') return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on createOrGet.`);
  if (!hasRole(ctx.caller, MEETING_ROLES)) return missingRoles(MEETING_ROLES, ctx.caller.roles);
  const organizer = findUser(ctx.tenant, userId);
  if (!organizer) return graphError(404, 'NotFound', `User ${userId} was not found.`);
  if (!policyAllows(ctx, organizer)) return graphError(403, 'Forbidden', 'No application access policy found for this app.');
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body.');
  const unknown = Object.keys(body).find((k) => !CREATE_OR_GET_FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, 'microsoft.graph.onlineMeeting');
  if (typeof body.externalId !== 'string' || !body.externalId) return badRequest('externalId is required.');
  const existing = ctx.state.meetings.find((m) => m.organizerId === organizer.id && m.externalId === body.externalId);
  if (existing) return { status: 200, body: meetingView(ctx, existing, organizer) };

  const times = meetingTimes(body.startDateTime, body.endDateTime);
  if ('status' in times) return times;
  const threadId = `19:meeting_${randomBytes(24).toString('base64url')}@thread.v2`;
  const meeting: MeetingRecord = {
    organizerId: organizer.id,
    id: Buffer.from(`1*${organizer.id}*0**${threadId}`).toString('base64'),
    externalId: body.externalId,
    subject: typeof body.subject === 'string' ? body.subject : '',
    joinWebUrl: ctx.links.meeting({ threadId, organizerId: organizer.id, tenantId: ctx.tenant.tenantId }),
    threadId,
    ...times,
    creationDateTime: new Date().toISOString(),
  };
  ctx.state.meetings.push(meeting);
  return { status: 201, body: meetingView(ctx, meeting, organizer) };
}

/**
 * POST /users/{id}/events — the calendar fallback: an event with `isOnlineMeeting` gets a Teams join URL.
 * `transactionId` is Graph's documented guard against duplicate creates on client retries; the emulator
 * answers a repeat with the event it already made (the real window is undocumented, DEVIATIONS.md).
 */
export function eventsRoute(ctx: RouteContext): Reply | undefined {
  const [users, userId, events, ...rest] = ctx.segments;
  if (users !== 'users' || events !== 'events' || rest.length) return undefined;
  if (ctx.method !== 'POST') return graphError(405, 'MethodNotAllowed', `${ctx.method} on /users/{id}/events is not emulated.`);
  if (!hasRole(ctx.caller, CALENDAR_ROLES)) return accessDenied();
  const organizer = findUser(ctx.tenant, userId);
  if (!organizer) return graphError(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body.', 'ErrorInvalidRequest');
  const unknown = Object.keys(body).find((k) => !EVENT_FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, 'microsoft.graph.event');
  const start = body.start as EventRecord['start'] | undefined;
  const end = body.end as EventRecord['end'] | undefined;
  if (!start?.dateTime || !start.timeZone || !end?.dateTime || !end.timeZone) {
    return badRequest('start and end with dateTime and timeZone are required.', 'ErrorInvalidRequest');
  }
  const transactionId = typeof body.transactionId === 'string' ? body.transactionId : undefined;
  const repeat = transactionId && ctx.state.events.find((e) => e.organizerId === organizer.id && e.transactionId === transactionId);
  if (repeat) return { status: 201, body: eventView(repeat) };
  const id = randomBytes(32).toString('base64url');
  const threadId = `19:meeting_${randomBytes(24).toString('base64url')}@thread.v2`;
  const event: EventRecord = {
    organizerId: organizer.id,
    id,
    subject: typeof body.subject === 'string' ? body.subject : '',
    transactionId,
    joinUrl: body.isOnlineMeeting === true ? ctx.links.meeting({ threadId, organizerId: organizer.id, tenantId: ctx.tenant.tenantId }) : '',
    ...(body.isOnlineMeeting === true ? { threadId } : {}),
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    start,
    end,
  };
  ctx.state.events.push(event);
  return { status: 201, body: eventView(event) };
}

function policyAllows(ctx: RouteContext, organizer: EmulatedUser): boolean {
  return (ctx.tenant.accessPolicies ?? []).some(
    (p) => p.appIds.includes(ctx.caller.appId) && (p.users === 'global' || p.users.includes(organizer.id)),
  );
}

/** Defaults from the createOrGet notes: start now, end start + 1 h; end without start, or before it, is an error. */
function meetingTimes(start: unknown, end: unknown): { startDateTime: string; endDateTime: string } | Reply {
  if (end !== undefined && start === undefined) return badRequest('endDateTime requires startDateTime.');
  const s = start === undefined ? new Date() : new Date(String(start));
  const e = end === undefined ? new Date(s.getTime() + HOUR) : new Date(String(end));
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) return badRequest('startDateTime and endDateTime must be ISO 8601 date-times.');
  if (e < s) return badRequest('endDateTime must not be earlier than startDateTime.');
  return { startDateTime: s.toISOString(), endDateTime: e.toISOString() };
}

function meetingView(ctx: RouteContext, m: MeetingRecord, organizer: EmulatedUser) {
  return {
    '@odata.context': `${ctx.base}/v1.0/$metadata#users('${organizer.id}')/onlineMeetings/$entity`,
    id: m.id,
    creationDateTime: m.creationDateTime,
    startDateTime: m.startDateTime,
    endDateTime: m.endDateTime,
    joinWebUrl: m.joinWebUrl,
    subject: m.subject,
    externalId: m.externalId,
    isBroadcast: false,
    autoAdmittedUsers: 'EveryoneInCompany',
    allowedPresenters: 'everyone',
    participants: {
      organizer: { upn: organizer.userPrincipalName, role: 'presenter', identity: { user: { id: organizer.id } } },
      attendees: [],
    },
    chatInfo: { threadId: m.threadId, messageId: '0', replyChainMessageId: null },
    videoTeleconferenceId: null,
  };
}

function eventView(e: EventRecord) {
  return {
    id: e.id,
    subject: e.subject,
    start: e.start,
    end: e.end,
    transactionId: e.transactionId ?? null,
    isOnlineMeeting: Boolean(e.joinUrl),
    onlineMeetingProvider: e.joinUrl ? 'teamsForBusiness' : 'unknown',
    onlineMeeting: e.joinUrl ? { joinUrl: e.joinUrl } : null,
    webLink: e.webLink,
  };
}
