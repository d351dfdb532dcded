import type { MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from 'botbuilder';
import type { Person } from '../domain/incident';
import { conversationOf, inboundKey, personOf } from './activity';
import type { BotDeps } from './deps';
import { declareForm } from './forms';
import { member, roster } from './people';
import { commandText } from './text';
import { incidentHere } from './where';

/** A form's roster, kept between its fetch and its submit so the submit needs no call to Teams (5 s limit). */
interface OpenForm {
  people: Person[];
  expiresAt: number;
}

const FORM_TTL_MS = 60 * 60_000;

/**
 * The message extension: `declareIncident` (compose box, command box, or on a message) and the message action
 * `addToTimeline`. Teams waits at most 5 s for these invokes, so nothing slow happens before the answer.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit
 */
export class MessageExtension {
  private forms = new Map<string, OpenForm>();

  constructor(private readonly deps: BotDeps) {}

  async fetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (action.commandId === 'addToTimeline') return this.addToTimeline(context, action);
    if (action.commandId !== 'declareIncident') return message(`Firebreak has no command "${action.commandId}".`);
    const declarer = personOf(context.activity.from);
    const people = await roster(context).catch(() => [declarer]);
    const formId = this.deps.newId();
    this.remember(formId, people);
    const payload = action.messagePayload;
    return taskCard(
      declareForm({
        formId,
        declarer,
        people,
        description: payload?.body?.content ? commandText(payload.body.content) : undefined,
        sourceUrl: payload?.linkToMessage,
      }),
    );
  }

  async submit(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (action.commandId !== 'declareIncident') return message(`Firebreak has no command "${action.commandId}".`);
    const data = (action.data ?? {}) as Record<string, string>;
    const from = personOf(context.activity.from);
    const formId = typeof data.formId === 'string' ? data.formId : undefined;
    const people = (formId && this.forms.get(formId)?.people) || [from];
    // The roster knows the declarer's email (the activity doesn't): a private incident's doc is shared by email.
    const by = people.find((p) => p.id === from.id) ?? from;
    const commander = data.commander && data.commander !== by.id ? await this.person(context, people, data.commander) : by;
    const again = (problem: string) => taskCard(declareForm({ formId: formId ?? this.deps.newId(), declarer: by, people, values: data, problem, sourceUrl: data.sourceUrl }));
    if (!commander) return again('The commander you chose is not in this team; choose someone from the list.');

    const origin = conversationOf(context.activity);
    const outcome = await this.deps.incidents.declare(
      {
        type: 'DeclareIncident',
        incidentId: this.deps.newId(),
        title: String(data.title ?? ''),
        description: String(data.description ?? ''),
        severity: data.severity === undefined ? undefined : Number(data.severity),
        customerImpact: data.customerImpact === 'true',
        private: data.private === 'true',
        commander,
        origin,
        announceIn: this.deps.announceIn?.(origin),
        sourceMessageUrl: typeof data.sourceUrl === 'string' && /^https:\/\//.test(data.sourceUrl) ? data.sourceUrl : undefined,
        provisioning: this.deps.provisioning,
        mail: this.deps.mail,
        at: this.deps.now().toISOString(),
        by,
      },
      // The same form submitted twice (a double click, a re-delivery) declares once.
      { inboundKey: formId ? `declare-form:${formId}` : inboundKey(context.activity) },
    );
    if (outcome.kind === 'refused') return again(outcome.reason);
    if (formId) this.forms.delete(formId);
    // The answer confirms at once; the card appears in the conversation as soon as the outbox posts it.
    const declared = outcome.kind === 'changed' ? outcome.incident : undefined;
    return message(declared ? `Declared INC-${declared.number}: ${declared.title}. Its card is being posted here; the channel, bridge and doc are being assembled.` : 'This form was already submitted; the incident is declared.');
  }

  private async addToTimeline(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const here = incidentHere(await this.deps.store.activeIn(context.activity.conversation.id), context.activity.conversation.id);
    if (!here) return message('There is no active incident in this conversation, so there is no timeline to add to.');
    if ('none' in here) return message(here.none);
    const incident = here.incident;
    const payload = action.messagePayload;
    const text = commandText(payload?.body?.content ?? '');
    if (!payload?.id || !text) return message('That message has no text to put on the timeline.');
    const user = payload.from?.user;
    const author: Person = user?.id ? { id: user.id, name: user.displayName || 'Someone' } : personOf(context.activity.from);
    const outcome = await this.deps.incidents.run(
      incident.id,
      {
        type: 'RecordMessage',
        messageId: payload.id,
        text,
        author,
        sentAt: payload.createdDateTime ? new Date(payload.createdDateTime).toISOString() : this.deps.now().toISOString(),
        link: payload.linkToMessage,
        at: this.deps.now().toISOString(),
        by: personOf(context.activity.from),
      },
      { inboundKey: inboundKey(context.activity) },
    );
    if (outcome.kind === 'refused') return message(outcome.reason);
    if (outcome.kind === 'unchanged') return message(`That message is already on the timeline of INC-${incident.number}.`);
    return message(`Added to the timeline of INC-${incident.number}.`);
  }

  private async person(context: TurnContext, people: Person[], id: string): Promise<Person | undefined> {
    return people.find((p) => p.id === id) ?? (await member(context, id));
  }

  private remember(formId: string, people: Person[]): void {
    const now = Date.now();
    for (const [id, form] of this.forms) if (form.expiresAt < now) this.forms.delete(id);
    this.forms.set(formId, { people, expiresAt: now + FORM_TTL_MS });
  }
}

function taskCard(card: object): MessagingExtensionActionResponse {
  return { task: { type: 'continue', value: { title: 'Declare an incident', width: 'medium', height: 'large', card: { contentType: 'application/vnd.microsoft.card.adaptive', content: card } } } };
}

function message(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: text } };
}
