import type { IncidentEvent } from './incident';
import { alertTimelineText } from './alert-state';
import { audienceTimelineText } from './audience-messages';
import { changeLine } from './messages';
import { ROLE_LABEL } from './vocabulary';
import { isPagingEvent, pagingLine } from './paging';
import { policyTimelineText } from './policy-effects';

/**
 * The incident's timeline: the view of its event log that people read (the doc's table, the add-on, the postmortem).
 * One entry per timeline-worthy event, keyed by the event's id so every copy of it can be found again.
 */
export interface TimelineEntry {
  /** `<incidentId>:<version>` of the event that made the entry. */
  id: string;
  /** When it happened (for a recorded message, when it was said). */
  at: string;
  who: string;
  text: string;
  /** Back to the Teams message, where there is one. */
  link?: string;
  /** The message was deleted in chat: the entry stays, struck through. */
  deleted?: boolean;
  edited?: boolean;
  /** A person wrote it in the doc: it is already there, so it is tagged, never written again. */
  fromDoc?: boolean;
}

export interface VersionedEvent {
  version: number;
  event: IncidentEvent;
}

export function entryId(incidentId: string, version: number): string {
  return `${incidentId}:${version}`;
}

/**
 * Builds the timeline from the log, in time order: each entry by when it happened (a recorded message by when it was
 * said, not when someone put it on the timeline), events of the same moment in log order. Edits and deletions change
 * the entry they refer to.
 */
export function timeline(incidentId: string, events: readonly VersionedEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const byMessage = new Map<string, TimelineEntry>();
  const byId = new Map<string, TimelineEntry>();
  let alerted = false; // the first alert state is the one declared from; later ones "fired again"
  for (const { version, event } of events) {
    const id = entryId(incidentId, version);
    const entry = (text: string, extra: Partial<TimelineEntry> = {}) => {
      const e: TimelineEntry = { id, at: event.at, who: event.by.name, text, ...extra };
      entries.push(e);
      byId.set(id, e);
    };
    if (isPagingEvent(event)) {
      entry(pagingLine(event));
      continue;
    }
    switch (event.type) {
      case 'IncidentDeclared':
        entry(`Declared: ${event.title} (severity ${event.severity}). ${event.commander.name} is incident commander.`);
        break;
      case 'SeverityChanged':
      case 'CustomerImpactChanged':
      case 'PhaseChanged':
      case 'CommanderChanged':
        entry(changeLine(event)!);
        break;
      case 'IncidentResolved':
        entry(`Resolved.${event.summary ? ` ${event.summary}` : ''}`);
        break;
      case 'IncidentReopened':
        entry(`Reopened: back to phase 2 (full resolution).${event.reason ? ` ${event.reason}` : ''}`);
        break;
      case 'RoleAssigned':
        entry(`${event.person.name} is ${event.role === 'sme' ? 'a subject-matter expert' : ROLE_LABEL[event.role].toLowerCase()}.`);
        break;
      case 'NoteAdded':
        entry(event.kind === 'action' ? `ACTION${event.procedure ? ' (a long procedure)' : ''} (announced before doing it): ${event.text}` : event.text);
        break;
      case 'StakeholderUpdatePosted':
        entry(`Stakeholder update: ${event.text}`);
        break;
      case 'AudienceUpdateSent':
        entry(audienceTimelineText(event));
        break;
      case 'AlertStateRecorded':
        entry(alertTimelineText(event, !alerted));
        alerted = true;
        break;
      case 'MessageRecorded': {
        const e: TimelineEntry = { id, at: event.sentAt, who: event.author.name, text: event.text, ...(event.link ? { link: event.link } : {}) };
        entries.push(e);
        byId.set(id, e);
        byMessage.set(event.messageId, e);
        break;
      }
      case 'RecordedMessageEdited': {
        const e = byMessage.get(event.messageId);
        if (e) Object.assign(e, { text: event.text, edited: true });
        break;
      }
      case 'RecordedMessageDeleted': {
        const e = byMessage.get(event.messageId);
        if (e) e.deleted = true;
        break;
      }
      case 'ResourceReady':
        if (event.resource === 'channel') entry(`Channel ${event.label} created.`, { link: event.url });
        if (event.resource === 'bridge') entry('Meeting bridge opened.', { link: event.url });
        break;
      case 'DocRowAdded':
        entry(event.text, { who: event.who || event.by.name, fromDoc: true });
        break;
      case 'DocRowEdited': {
        const e = byId.get(event.entryId);
        if (e) Object.assign(e, { text: event.text, edited: true });
        break;
      }
      case 'BreakStarted':
      case 'UpdateOverdueEscalated':
        entry(policyTimelineText(event));
        break;
      case 'DocLost':
      case 'DocNotShared':
      case 'CardPosted':
      case 'MailFailed':
      case 'ResourceTrouble':
      case 'PlaceAdded':
      case 'PersonJoined':
      case 'PostmortemStarted':
      case 'PostmortemOwnerChanged':
      case 'PostmortemReviewScheduled':
      case 'FollowUpAdded': // follow-ups are what comes after, listed apart (the postmortem, `followups`)
      case 'FollowUpOwnerSet':
      case 'FollowUpClosed':
      case 'FollowUpEdited':
      case 'FollowUpExported':
        break;
      default: {
        const never: never = event;
        throw new Error(`unhandled ${JSON.stringify(never)}`);
      }
    }
  }
  return inTimeOrder(entries);
}

/** A stable sort by time: entries of the same instant keep their log order. */
function inTimeOrder(entries: TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((entry, i) => ({ entry, i, t: Date.parse(entry.at) }))
    .sort((a, b) => (a.t === b.t || Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t))
    .map((x) => x.entry);
}
