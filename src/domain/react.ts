import { assertNever, isAnnouncement, type Conversation, type Incident, type IncidentEvent, type Person, type ResourceKind } from './incident';
import { alertResolvedMessage } from './alert-state';
import { nextUpdateDue } from './cadence';
import { changeLine, docLostMessage, docNotSharedMessage, docRowAdded, docRowEdited, followUp, incidentLabel, noteFromOutside, personJoined, roleAssignedLine, stakeholderUpdate, troubleMessage, type Message } from './messages';
import { afterResolution } from './resolution';
import { isPagingEvent } from './paging';
import { audienceReminders, audienceUpdateEffects, type AudienceMail } from './audience-effects';
import { postmortemEffects } from './postmortem-effects';
import { followUpReminders, type FollowUpEffect } from './followups';
import { followUpDocEffects, type SyncActionTable } from './followup-doc';
import { plannerEffects, type PlannerEffect } from './followup-planner';
import { policyEffects, type EscalateOverdue, type NotifyPerson, type PostHandoffCard, type RemindHandoff } from './policy-effects';
import type { RunWithMember } from './mention-effect';

/**
 * Side effects as data: what should happen in the outside world because of events.
 * Workers carry them out; `key` makes each one happen at most once per cause.
 */
export type Effect = PostCard | RefreshCards | PostMessage | ReplyInChat | CreateResource | JoinChannel | SendMail | FillDoc | SyncTimeline | RemindUpdate | ReviewMeeting | FollowUpEffect | PlannerEffect | RemindHandoff | PostHandoffCard | EscalateOverdue | NotifyPerson | SyncActionTable | RunWithMember;

interface EffectBase {
  key: string;
  incidentId: string;
  /** ISO time before which the effect must not run (reminders). */
  notBefore?: string;
  /** Not added while one of its kind waits to run for the incident (it will see everything when it runs). */
  coalesce?: boolean;
}
/** Post the live incident card into a place; the copy comes back as `CardPosted`. */
export interface PostCard extends EffectBase {
  kind: 'card.post';
  payload: { conversation: Conversation };
}
/** Re-render every posted copy of the card from the incident's current state. */
export interface RefreshCards extends EffectBase {
  kind: 'card.refresh';
  payload: Record<string, never>;
}
/** Post a follow-up text into a place. */
export interface PostMessage extends EffectBase {
  kind: 'message.post';
  payload: { conversation: Conversation; message: Message };
}
/**
 * Answer a chat command where it was typed (a reply to that message), recorded with the change the command made so a
 * crash after the HTTP answer does not lose it; sent right after the answer by the process that took the command
 * (src/teams/replies.ts), by any worker once `notBefore` has passed if that process could not. Text is Markdown, as
 * rendered when the command ran.
 */
export interface ReplyInChat extends EffectBase {
  kind: 'chat.reply';
  payload: { conversation: Conversation; replyToId?: string; text: string };
}
/**
 * Create the incident's channel (Graph), meeting bridge (Graph) or doc (Google); the result comes back as
 * `ResourceReady` (and, for the channel, `PlaceAdded`), trouble as `ResourceTrouble`.
 */
export interface CreateResource extends EffectBase {
  kind: 'channel.create' | 'bridge.create' | 'doc.create' | 'postmortem.create';
  payload: Record<string, never>;
}
/** Add someone who joined to the incident's private channel (Graph); a person with no Entra id can't be added. */
export interface JoinChannel extends EffectBase {
  kind: 'channel.join';
  payload: { person: Person };
}
/** Mail the incidents list: the declaration, or a follow-up with what changed. Rendered when sent. */
export interface SendMail extends EffectBase {
  kind: 'mail.send';
  payload: { what: 'declaration' } | { what: 'follow-up'; changes: string[] } | { what: 'update'; text: string } | AudienceMail;
}
/** Fill doc placeholders whose values changed after the doc was made and filled (a later link, a new commander). */
export interface FillDoc extends EffectBase {
  kind: 'doc.fill';
  payload: Record<string, never>;
}
/**
 * Bring the doc's timeline table in step with the log: append missing rows, rewrite edited ones, strike deleted
 * ones, in one write. Coalesced: while one waits to run, later events need no other.
 */
export interface SyncTimeline extends EffectBase {
  kind: 'timeline.sync';
  payload: Record<string, never>;
}

/** At the time the next stakeholder update is due: remind the incident's conversation if none went out. */
export interface RemindUpdate extends EffectBase {
  kind: 'reminder.update';
  /** With `audience`: that audience's update (src/domain/audiences.ts), else the incident's stakeholder update. */
  payload: { due: string; audience?: string };
}

/** Create the postmortem review meeting (Graph) and mail its invitations with an .ics (src/domain/postmortem.ts). */
export interface ReviewMeeting extends EffectBase {
  kind: 'postmortem.review';
  payload: { start: string; end: string };
}

export type EffectKind = Effect['kind'];

/** Events that add or change a timeline entry (see timeline.ts); `DocRowAdded` so its row gets tagged. */
const TIMELINE_EVENTS = new Set<IncidentEvent['type']>([
  'SeverityChanged',
  'CustomerImpactChanged',
  'PhaseChanged',
  'CommanderChanged',
  'RoleAssigned',
  'NoteAdded',
  'IncidentResolved',
  'IncidentReopened',
  'StakeholderUpdatePosted',
  'AudienceUpdateSent',
  'AlertStateRecorded',
  'MessageRecorded',
  'RecordedMessageEdited',
  'RecordedMessageDeleted',
  'ResourceReady',
  'DocRowAdded',
  'PagePaged',
  'PageAcknowledged',
  'PageDeclined',
  'PageExhausted',
  'BreakStarted',
  'UpdateOverdueEscalated',
]);

const CREATE: Record<ResourceKind, CreateResource['kind']> = {
  channel: 'channel.create',
  bridge: 'bridge.create',
  doc: 'doc.create',
  postmortem: 'postmortem.create',
};

const channelJoin = (incidentId: string, person: Person): Effect => ({ kind: 'channel.join', key: `channel.join:${incidentId}:${person.id}`, incidentId, payload: { person } });

/** What the outside world must learn from the events one command produced (in order), given the state after them. */
export function react(events: readonly IncidentEvent[], state: Incident): Effect[] {
  const effects: Effect[] = [];
  const changes: string[] = [];
  /** The same changes, fit for announcement places when the incident is private (no resolution summary). */
  const privateChanges: string[] = [];
  const id = state.id;
  let refresh = false;
  const postCard = (conversation: Conversation) =>
    effects.push({ kind: 'card.post', key: `card.post:${id}:${conversation.id}`, incidentId: id, payload: { conversation } });
  /** Into the incident's own conversations (not announcement places), once per event version. */
  const tell = (suffix: string, message: Message) => {
    for (const conversation of state.places.filter((p) => !isAnnouncement(state, p.id))) {
      effects.push({ kind: 'message.post', key: `message.post:${id}:${state.version}:${conversation.id}:${suffix}`, incidentId: id, payload: { conversation, message } });
    }
  };

  for (const event of events) {
    if (isPagingEvent(event)) continue; // a page's effects come from its own events (paging-effects.ts)
    switch (event.type) {
      case 'IncidentDeclared':
        state.places.forEach(postCard);
        for (const resource of event.provisioning) {
          effects.push({ kind: CREATE[resource], key: `${CREATE[resource]}:${id}`, incidentId: id, payload: {} });
        }
        if (state.mail) effects.push({ kind: 'mail.send', key: `mail.send:${id}:declaration`, incidentId: id, payload: { what: 'declaration' } });
        break;
      case 'SeverityChanged':
      case 'CustomerImpactChanged':
      case 'PhaseChanged':
      case 'CommanderChanged':
      case 'IncidentResolved':
      case 'IncidentReopened':
        changes.push(changeLine(event)!);
        privateChanges.push(changeLine(event, { redact: true })!);
        refresh = true;
        break;
      case 'ResourceReady':
        refresh = true;
        effects.push(...postmortemEffects(event, state));
        // The doc may have been made before this link existed; fill what is known now. The doc itself sets off no
        // fill: it was filled as it was made, and its create effect fills what changed in between (doc-create.ts).
        if (event.resource !== 'doc' && event.resource !== 'postmortem' && state.resources.doc?.status === 'ready') {
          effects.push({ kind: 'doc.fill', key: `doc.fill:${id}:${event.resource}`, incidentId: id, payload: {} });
        }
        // Who joined while the private channel was still being made is added now (same key: added once either way).
        if (event.resource === 'channel' && state.private) {
          for (const person of state.joined ?? []) effects.push(channelJoin(id, person));
        }
        break;
      case 'PlaceAdded':
        postCard(event.conversation);
        break;
      case 'PersonJoined':
        tell(`joined:${event.by.id}`, personJoined(state, event.by));
        // A private channel has members of its own (Graph adds them); a standard one is open to the whole team.
        if (state.private && state.resources.channel?.status === 'ready') effects.push(channelJoin(id, event.by));
        break;
      case 'ResourceTrouble':
        refresh = true;
        if (event.final) {
          effects.push({
            kind: 'message.post',
            key: `message.post:${id}:${state.version}:${state.origin.id}:trouble`,
            incidentId: id,
            payload: { conversation: state.origin, message: troubleMessage(state, event.resource, event.detail) },
          });
        }
        break;
      case 'RoleAssigned':
        refresh = true;
        // Announced to the people running it (a private incident's roles stay out of announcement channels).
        tell(`role:${event.role}:${event.person.id}`, followUp(state, [roleAssignedLine(event)]));
        break;
      case 'StakeholderUpdatePosted':
        refresh = true;
        for (const conversation of state.places) {
          const redact = isAnnouncement(state, conversation.id);
          effects.push({
            kind: 'message.post',
            key: `message.post:${id}:${state.version}:${conversation.id}:update`,
            incidentId: id,
            payload: { conversation, message: stakeholderUpdate(state, event.text, { redact }) },
          });
        }
        if (state.mail) {
          effects.push({ kind: 'mail.send', key: `mail.send:${id}:${state.version}:update`, incidentId: id, payload: { what: 'update', text: event.text } });
        }
        break;
      case 'AudienceUpdateSent':
        refresh = true;
        effects.push(...audienceUpdateEffects(event, state));
        break;
      case 'AlertStateRecorded':
        refresh = true;
        // Resolved: suggested to the commander where the responders are; the incident stays open.
        if (event.status === 'resolved') {
          for (const conversation of state.places.filter((p) => !isAnnouncement(state, p.id))) {
            effects.push({ kind: 'message.post', key: `message.post:${id}:${state.version}:${conversation.id}:alert`, incidentId: id, payload: { conversation, message: alertResolvedMessage(state, event) } });
          }
        }
        break;
      case 'NoteAdded':
        // Written in the doc's sidebar or through a card button: the people in the incident's conversation hear of
        // it there (a destructive step above all: it is announced before it is done).
        if (event.via) {
          for (const conversation of state.places.filter((p) => !isAnnouncement(state, p.id))) {
            effects.push({
              kind: 'message.post',
              key: `message.post:${id}:${state.version}:${conversation.id}:note`,
              incidentId: id,
              payload: { conversation, message: noteFromOutside(state, event) },
            });
          }
        }
        break;
      case 'MailFailed':
        effects.push({
          kind: 'message.post',
          key: `message.post:${id}:${state.version}:${state.origin.id}:mail`,
          incidentId: id,
          payload: {
            conversation: state.origin,
            message: { subject: `${incidentLabel(state)}: an email to the incidents list could not be sent`, lines: [event.detail, 'The people on the list have not heard of this change from Firebreak; tell them another way if they must know.'] },
          },
        });
        break;
      case 'DocRowAdded':
        tell('doc-row', docRowAdded(state, event));
        break;
      case 'DocRowEdited':
        tell('doc-edit', docRowEdited(state, event));
        break;
      case 'DocLost':
        refresh = true;
        tell('doc-lost', docLostMessage(state, event.detail));
        break;
      case 'DocNotShared':
        tell(`doc-not-shared:${event.person.id}`, docNotSharedMessage(state, event));
        break;
      case 'CardPosted':
        // A change committed while this copy was on its way was refreshed without it: bring every copy up to date.
        if (event.renderedVersion !== undefined && event.renderedVersion < state.version - 1) refresh = true;
        break;
      case 'MessageRecorded':
      case 'RecordedMessageEdited':
      case 'RecordedMessageDeleted':
      case 'BreakStarted':
      case 'UpdateOverdueEscalated':
        break;
      case 'PostmortemStarted':
      case 'PostmortemOwnerChanged':
      case 'PostmortemReviewScheduled':
        refresh = true;
        effects.push(...postmortemEffects(event, state));
        break;
      case 'FollowUpAdded':
      case 'FollowUpOwnerSet':
      case 'FollowUpClosed':
      case 'FollowUpEdited':
        refresh = true; // the card lists the open items
        break;
      case 'FollowUpExported':
        break;
      default:
        assertNever(event);
    }
  }
  // The update cadence: whenever the due time may have moved, a reminder is set for it (an unchanged time keeps its key).
  if (events.some((e) => ['IncidentDeclared', 'StakeholderUpdatePosted', 'AudienceUpdateSent', 'SeverityChanged', 'CustomerImpactChanged', 'IncidentReopened'].includes(e.type))) {
    const due = nextUpdateDue(state);
    if (due) effects.push({ kind: 'reminder.update', key: `reminder.update:${id}:${due}`, incidentId: id, notBefore: due, payload: { due } });
  }
  effects.push(...audienceReminders(events, state));
  effects.push(...followUpReminders(events, id));
  effects.push(...followUpDocEffects(events, state)); // the postmortem doc's action table, both ways
  effects.push(...plannerEffects(events, state)); // Planner: export, read-back, an exported item's owner and done
  effects.push(...policyEffects(events, state)); // breaks, hand-offs, escalation (src/domain/policy-effects.ts)
  // The doc's live fields (severity, phase, commander, roles, status) follow every change once the doc exists.
  const docFields = ['SeverityChanged', 'CustomerImpactChanged', 'PhaseChanged', 'CommanderChanged', 'RoleAssigned', 'IncidentResolved', 'IncidentReopened'];
  if (state.resources.doc?.status === 'ready' && events.some((e) => docFields.includes(e.type))) {
    effects.push({ kind: 'doc.fill', key: `doc.fill:${id}:v${state.version}`, incidentId: id, payload: {} });
  }
  // The doc's timeline follows every timeline-worthy event once the doc exists (and catches up when it appears).
  if (state.resources.doc?.status === 'ready' && events.some((e) => TIMELINE_EVENTS.has(e.type))) {
    effects.push({ kind: 'timeline.sync', key: `timeline.sync:${id}:v${state.version}`, incidentId: id, payload: {}, coalesce: true });
  }
  if (refresh) {
    effects.push({ kind: 'card.refresh', key: `card.refresh:${id}:${state.version}`, incidentId: id, payload: {} });
  }
  if (changes.length) {
    // The people running it also hear what happens after a resolution; the announcement places hear only that it was.
    const next = events.some((e) => e.type === 'IncidentResolved') ? afterResolution(state) : [];
    for (const conversation of state.places) {
      // A conversation that asked to see the card ("Show card here") sees it change in place; it did not sign up for
      // every follow-up message too.
      if (state.shownIn?.includes(conversation.id)) continue;
      const redact = isAnnouncement(state, conversation.id);
      const message = followUp(state, redact && state.private ? privateChanges : changes, { redact });
      effects.push({
        kind: 'message.post',
        key: `message.post:${id}:${state.version}:${conversation.id}`,
        incidentId: id,
        payload: { conversation, message: redact ? message : { ...message, lines: [...message.lines, ...next] } },
      });
    }
    if (state.mail) {
      effects.push({ kind: 'mail.send', key: `mail.send:${id}:${state.version}`, incidentId: id, payload: { what: 'follow-up', changes: state.private ? privateChanges : changes } });
    }
  }
  return effects;
}
