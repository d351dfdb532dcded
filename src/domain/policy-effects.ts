import { breakPrompt, type BreakStarted } from './breaks';
import { nextUpdateDue } from './cadence';
import { escalationMessage, escalationTime, lateMinutes, type UpdateOverdueEscalated } from './escalation';
import { handoffDue, handoffSummary, type HandoffSummary } from './handoff';
import { isAnnouncement, type Conversation, type Incident, type IncidentEvent, type Person } from './incident';
import type { Message } from './messages';
import { utcTime } from './messages';
import type { AudienceMail } from './audience-effects';

/**
 * The effects of the organisation's policy (issue 17 items 7-8, issue 18 items 1-3), as react.ts's `Effect` has them
 * (not imported: react.ts imports this file): the break prompt and the card's refresh when the break ends, the
 * hand-off reminder and card, the escalation of a missed update to the incident managers.
 */
export type PolicyEffect =
  | { kind: 'message.post'; key: string; incidentId: string; payload: { conversation: Conversation; message: Message } }
  | { kind: 'card.refresh'; key: string; incidentId: string; notBefore?: string; payload: Record<string, never> }
  | { kind: 'mail.send'; key: string; incidentId: string; payload: AudienceMail }
  | RemindHandoff
  | PostHandoffCard
  | EscalateOverdue
  | NotifyPerson;

interface Base {
  key: string;
  incidentId: string;
  notBefore?: string;
  coalesce?: boolean;
}

/** At the policy's hand-off limit (then hourly): remind the IC in command since `since`; a new IC retires it. */
export interface RemindHandoff extends Base {
  kind: 'reminder.handoff';
  notBefore: string;
  payload: { commanderId: string; since: string };
}
/** Post the hand-off card (what the next IC needs, as it stood at the hand-off) into one of the incident's conversations. */
export interface PostHandoffCard extends Base {
  kind: 'handoff.post';
  payload: { conversation: Conversation; summary: HandoffSummary };
}
/** When an update missed at `due` is late by the policy's threshold: notify the incident managers (if still missed). */
export interface EscalateOverdue extends Base {
  kind: 'escalate.overdue';
  notBefore: string;
  payload: { due: string };
}

/**
 * Tell one person something for themselves: in a 1:1 chat from the bot, else @mentioned in the incident's conversation
 * (src/workers/effects/notify-person.ts). The message is read by them, or by that conversation: nothing it may not see.
 */
export interface NotifyPerson extends Base {
  kind: 'person.notify';
  payload: { person: Person; message: Message };
}

/** Events that may move the update's due time (react.ts sets the update reminder on the same ones). */
const MOVES_DUE = new Set<IncidentEvent['type']>(['IncidentDeclared', 'StakeholderUpdatePosted', 'AudienceUpdateSent', 'SeverityChanged', 'CustomerImpactChanged', 'IncidentReopened']);

export function policyEffects(events: readonly IncidentEvent[], state: Incident): PolicyEffect[] {
  const id = state.id;
  const effects: PolicyEffect[] = [];
  const own = state.places.filter((p) => !isAnnouncement(state, p.id));
  for (const event of events) {
    switch (event.type) {
      case 'BreakStarted':
        for (const conversation of own) {
          effects.push({ kind: 'message.post', key: `message.post:${id}:break:${event.at}:${conversation.id}`, incidentId: id, payload: { conversation, message: breakPrompt(state, event) } });
        }
        // The card shows the break now, and stops showing it when it ends: rendered against the clock at that time.
        effects.push({ kind: 'card.refresh', key: `card.refresh:${id}:break:${event.at}`, incidentId: id, payload: {} });
        effects.push({ kind: 'card.refresh', key: `card.refresh:${id}:break-end:${event.until}`, incidentId: id, notBefore: event.until, payload: {} });
        break;
      case 'CommanderChanged':
        for (const conversation of own) {
          effects.push({ kind: 'handoff.post', key: `handoff.post:${id}:${event.at}:${conversation.id}`, incidentId: id, payload: { conversation, summary: handoffSummary(state, event) } });
        }
        break;
      case 'UpdateOverdueEscalated':
        effects.push(...escalationEffects(state, event, own));
        break;
      default:
        break;
    }
  }
  if (events.some((e) => e.type === 'IncidentDeclared' || e.type === 'CommanderChanged' || e.type === 'IncidentReopened') && state.status === 'active') {
    const since = state.commanderSince ?? state.declaredAt;
    effects.push({ kind: 'reminder.handoff', key: `reminder.handoff:${id}:${state.commander.id}:${since}`, incidentId: id, notBefore: handoffDue(state), payload: { commanderId: state.commander.id, since } });
  }
  if (events.some((e) => MOVES_DUE.has(e.type))) {
    const due = nextUpdateDue(state);
    if (due) effects.push({ kind: 'escalate.overdue', key: `escalate.overdue:${id}:${due}`, incidentId: id, notBefore: escalationTime(state, due), payload: { due } });
  }
  return effects;
}

/**
 * A mail to each manager with an address, a 1:1 chat to each Teams knows (else an @mention in the incident's
 * conversation), and one message in each of the incident's conversations saying who was told.
 */
function escalationEffects(state: Incident, event: UpdateOverdueEscalated, own: Conversation[]): PolicyEffect[] {
  const id = state.id;
  const message = escalationMessage(state, event);
  const effects: PolicyEffect[] = [];
  for (const manager of event.managers) {
    if (manager.email) {
      effects.push({ kind: 'mail.send', key: `mail.send:${id}:escalation:${event.due}:${manager.email}`, incidentId: id, payload: { what: 'audience', audience: 'incident-managers', to: manager.email, subject: message.subject, text: message.lines.join('\n\n') } });
    }
    if (manager.teamsId) {
      effects.push({ kind: 'person.notify', key: `person.notify:${id}:escalation:${event.due}:${manager.teamsId}`, incidentId: id, payload: { person: { id: manager.teamsId, name: manager.name }, message } });
    }
  }
  // The managers are told on their own (above): here the team reads who was, without a second notification for them.
  const post: Message = { ...message, lines: [`Incident managers told: ${event.managers.map((m) => m.name).join(', ')}.`, ...message.lines] };
  for (const conversation of own) {
    effects.push({ kind: 'message.post', key: `message.post:${id}:escalation:${event.due}:${conversation.id}`, incidentId: id, payload: { conversation, message: post } });
  }
  return effects;
}

/** The timeline's words for the policy's events. */
export function policyTimelineText(event: BreakStarted | UpdateOverdueEscalated): string {
  switch (event.type) {
    case 'BreakStarted':
      return event.reason === 'impact-ended' ? `Impact ended: team break until ${utcTime(event.until)}.` : `Team break before a long procedure, until ${utcTime(event.until)}.`;
    case 'UpdateOverdueEscalated':
      return `The stakeholder update due ${utcTime(event.due)} was ${lateMinutes(event)} min overdue: incident managers notified (${event.managers.map((m) => m.name).join(', ')}).`;
    default: {
      const never: never = event;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}
