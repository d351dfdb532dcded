import type { Client } from '@microsoft/microsoft-graph-client';
import { OutsideError } from '../outside-error';
import { call, type Operation } from './errors';

export interface BridgeRequest {
  /** The service user who organizes the meeting (Entra object id); an access policy must cover it. */
  organizerId: string;
  /** The incident id: createOrGet returns the same meeting for the same organizer and externalId. */
  externalId: string;
  subject: string;
  start: Date;
  end: Date;
  /** Make a calendar event with a Teams meeting when createOrGet is refused (no access policy). */
  fallback: 'none' | 'calendar';
}

export interface Bridge {
  joinWebUrl: string;
  via: 'onlineMeeting' | 'calendarEvent';
}

const MEETING: Operation = {
  what: 'create the meeting bridge',
  needs:
    'the application permission OnlineMeetings.ReadWrite.All with admin consent and an application access policy granted to the organizer (New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy)',
};
const CALENDAR: Operation = {
  what: 'create the meeting bridge as a calendar event',
  needs: 'the application permission Calendars.ReadWrite with admin consent',
};

/**
 * `POST /users/{organizer}/onlineMeetings/createOrGet` with externalId = the incident id: idempotent by
 * design (onlinemeeting-createorget: tenant + organizer + externalId identify the meeting), so a retry or
 * a second worker gets the same joinWebUrl.
 */
export async function ensureBridge(client: Client, req: BridgeRequest, signal?: AbortSignal): Promise<Bridge> {
  try {
    const meeting = (await call(MEETING, () =>
      client.api(`/users/${req.organizerId}/onlineMeetings/createOrGet`).option('signal', signal).post({
        externalId: req.externalId,
        subject: req.subject,
        startDateTime: req.start.toISOString(),
        endDateTime: req.end.toISOString(),
      }),
    )) as { joinWebUrl?: string };
    if (!meeting.joinWebUrl) throw new OutsideError('retryable', 'Microsoft Graph returned a meeting without a join link');
    return { joinWebUrl: meeting.joinWebUrl, via: 'onlineMeeting' };
  } catch (err) {
    if (req.fallback !== 'calendar' || !(err instanceof OutsideError) || err.kind !== 'permanent') throw err;
    try {
      return await calendarBridge(client, req, signal);
    } catch (fallbackErr) {
      const second = fallbackErr as OutsideError;
      throw new OutsideError(second.kind ?? 'retryable', `${err.message} The calendar fallback failed too: ${second.message}`, second.retryAfterSeconds);
    }
  }
}

/**
 * The fallback: an event on the organizer's calendar with a Teams meeting. `transactionId` is Graph's
 * guard against a retried create making a second event ("to avoid redundant POST operations in case of
 * client retries", event resource).
 */
async function calendarBridge(client: Client, req: BridgeRequest, signal?: AbortSignal): Promise<Bridge> {
  const at = (d: Date) => ({ dateTime: d.toISOString().replace('Z', ''), timeZone: 'UTC' });
  const event = (await call(CALENDAR, () =>
    client.api(`/users/${req.organizerId}/events`).option('signal', signal).post({
      subject: req.subject,
      start: at(req.start),
      end: at(req.end),
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      transactionId: req.externalId,
    }),
  )) as { onlineMeeting?: { joinUrl?: string } | null };
  const joinUrl = event.onlineMeeting?.joinUrl;
  if (!joinUrl) throw new OutsideError('retryable', 'the calendar event has no Teams meeting link yet');
  return { joinWebUrl: joinUrl, via: 'calendarEvent' };
}
