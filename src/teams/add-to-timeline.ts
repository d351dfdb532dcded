import type { Activity, MessageActionsPayload, MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from 'botbuilder';
import { createHash } from 'node:crypto';
import type { Incident, Person } from '../domain/incident';
import { utcTime } from '../domain/messages';
import { baseConversationId } from '../store/store';
import { inboundKey, personOf } from './activity';
import type { AdaptiveCard } from './cards';
import type { BotDeps } from './deps';
import { teamsMessageLink } from './message-link';
import { clip, commandText, plain } from './text';
import { isOwnConversation } from './incident-list';
import { timelineCandidates } from './where';

/** The message to record, exactly as Teams described it in the action's invoke. */
interface SaidMessage {
  id: string;
  text: string;
  author: Person;
  sentAt: string;
  link?: string;
}

/** What a choice card carries between the action and the choice: the message and the incidents it may go to. */
interface Pending {
  message: SaidMessage;
  incidentIds: string[];
}

/**
 * "Add to timeline", the message action: records a Teams message on the timeline of the incident whose conversation
 * or thread it was said in, at the time it was said. When it could belong to several incidents (a chat where more
 * than one was declared, a channel thread of none of them), a small card asks which; Firebreak never guesses.
 * The choice comes back as the card's submit; what is recorded is still what Teams sent with the action: the card
 * carries it, and the store vouches that it is unchanged (a digest recorded when the card was made).
 */
export class AddToTimeline {
  constructor(private readonly deps: BotDeps) {}

  /** The action's invoke (`composeExtension/fetchTask`, commandId `addToTimeline`). */
  async fetch(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const said = this.said(context.activity, action.messagePayload);
    if ('refused' in said) return message(said.refused);
    const found = await timelineCandidates(this.deps.store, threadOf(context.activity, action.messagePayload), said.sentAt);
    if (!found) return message('There is no active incident in this conversation, so there is no timeline to add to.');
    if ('none' in found) return message(found.none);
    const [only, ...others] = found.incidents;
    if (!others.length) return this.record(context, only, said);
    const already = found.incidents.find((i) => i.recorded[said.id]);
    if (already) return message(`That message is already on the timeline of INC-${already.number}.`);
    const formId = this.deps.newId();
    const pending = JSON.stringify({ message: said, incidentIds: found.incidents.map((i) => i.id) } satisfies Pending);
    await this.deps.store.markInbound(vouchKey(formId, pending), this.deps.now().toISOString());
    return choice(choiceCard(formId, pending, said, found.incidents, context.activity.conversation.id));
  }

  /**
   * The choice card's submit: "After a user submits the dialog, your web service receives a
   * composeExtensions/submitAction invoke message with the command ID and parameter values" (respond-to-task-module-submit,
   * learn.microsoft.com): commandId `addToTimeline`, `data` the Action.Submit's data with the chosen `incidentId`.
   */
  async submit(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const data = (action.data ?? {}) as Record<string, unknown>;
    const [formId, pending, incidentId] = [data.formId, data.pending, data.incidentId];
    if (typeof formId !== 'string' || typeof pending !== 'string' || !(await this.deps.store.seenInbound(vouchKey(formId, pending)))) {
      return message('This choice is no longer valid. Use "Add to timeline" on the message again.');
    }
    const { message: said, incidentIds } = JSON.parse(pending) as Pending;
    const incident = typeof incidentId === 'string' && incidentIds.includes(incidentId) ? await this.deps.store.load(incidentId) : null;
    if (!incident) return message('Choose one of the incidents on the card.');
    return this.record(context, incident, said);
  }

  private async record(context: TurnContext, incident: Incident, said: SaidMessage): Promise<MessagingExtensionActionResponse> {
    const now = this.deps.now().toISOString();
    const outcome = await this.deps.incidents.run(
      incident.id,
      { type: 'RecordMessage', messageId: said.id, text: said.text, author: said.author, sentAt: said.sentAt, ...(said.link ? { link: said.link } : {}), at: now, by: personOf(context.activity.from) },
      { inboundKey: inboundKey(context.activity) },
    );
    if (outcome.kind === 'refused') return message(outcome.reason);
    if (outcome.kind === 'unchanged') return message(`That message is already on the timeline of INC-${incident.number}.`);
    return message(`Added to the timeline of INC-${incident.number}.`);
  }

  /** The message the action was invoked on, from the invoke's `messagePayload`, or why it can't go on a timeline. */
  private said(activity: Activity, payload: MessageActionsPayload | undefined): SaidMessage | { refused: string } {
    const text = commandText(payload?.body?.content ?? '');
    if (!payload?.id || !text) return { refused: 'That message has no text to put on the timeline.' };
    const user = payload.from?.user;
    const author: Person = user?.id ? { id: user.id, name: user.displayName || 'Someone' } : personOf(activity.from);
    // Placed by when it was said: the timeline is in time order (domain/timeline.ts).
    const sentAt = payload.createdDateTime ? new Date(payload.createdDateTime).toISOString() : this.deps.now().toISOString();
    const link = teamsMessageLink(payload.linkToMessage);
    return { id: payload.id, text, author, sentAt, ...(link ? { link } : {}) };
  }
}

/**
 * The conversation (chat, or channel thread) the message was said in, from what Teams sent. A message action on a
 * channel message carries its thread in the invoke's conversation id: Microsoft's example is
 * `"conversation": { "id": "19:6decf…@thread.skype;messageid=1611060744833" }` with
 * `"messagePayload": { "id": "1611060744833", "replyToId": null, … }` for the thread's first message
 * (learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/create-task-module,
 * "channel (reply to thread)"), and the payload's `replyToId` is the "Id of the parent/root message of the thread"
 * (botframework-schema, MessageActionsPayload). The payload speaks for the message itself, so its `replyToId` wins;
 * without it, the thread the invoke names; a root message in a channel is its own thread.
 */
export function threadOf(activity: Activity, payload: MessageActionsPayload | undefined): string {
  const id = activity.conversation.id;
  if (activity.conversation.conversationType !== 'channel') return id;
  if (payload?.replyToId) return `${baseConversationId(id)};messageid=${payload.replyToId}`;
  if (id.includes(';messageid=') || !payload?.id) return id;
  return `${id};messageid=${payload.id}`;
}

/**
 * Which incident's timeline: one choice per incident the message may belong to. A private incident is named only
 * where it is at home (its own conversation): in a shared channel thread its title stays out.
 */
function choiceCard(formId: string, pending: string, said: SaidMessage, incidents: Incident[], conversationId: string): AdaptiveCard {
  const label = (i: Incident) => `INC-${i.number}: ${i.private && !isOwnConversation(i, conversationId) ? 'private incident' : clip(i.title, 80)}${i.status === 'resolved' ? ' (resolved)' : ''}`;
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Which incident is this message about?', weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: `${plain(said.author.name)}, ${utcTime(said.sentAt, '')}: ${plain(clip(said.text, 200))}`, wrap: true, isSubtle: true },
      { type: 'TextBlock', text: 'It could go on the timeline of more than one incident, so Firebreak asks rather than guess.', wrap: true, size: 'Small' },
      {
        type: 'Input.ChoiceSet',
        id: 'incidentId',
        label: 'Incident',
        style: 'expanded',
        isRequired: true,
        errorMessage: 'Choose an incident',
        choices: incidents.map((i) => ({ title: label(i), value: i.id })),
      },
    ],
    actions: [{ type: 'Action.Submit', title: 'Add to its timeline', data: { formId, pending } }],
  };
}

/** What the store records when a choice card is made: the card and the message it carries, together. */
function vouchKey(formId: string, pending: string): string {
  return `timeline-choice:${formId}:${createHash('sha256').update(pending).digest('base64url')}`;
}

function choice(card: AdaptiveCard): MessagingExtensionActionResponse {
  return { task: { type: 'continue', value: { title: 'Add to timeline', width: 'medium', height: 'medium', card: { contentType: 'application/vnd.microsoft.card.adaptive', content: card } } } };
}

function message(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: text } };
}
