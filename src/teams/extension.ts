import type { MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from 'botbuilder';
import { createHash } from 'node:crypto';
import type { Conversation, Incident, Person, Severity } from '../domain/incident';
import { conversationOf, inboundKey, personOf } from './activity';
import { AddToTimeline } from './add-to-timeline';
import type { BotDeps } from './deps';
import { declareForm } from './forms';
import { detectionFrom } from '../postmortem/detection';
import { findService } from '../org/services';
import { teamsMessageLink } from './message-link';
import { FindIncidents } from './find-incidents';
import { member, roster } from './people';
import { looksLike, offerJoin, similarTo } from './similar-declaration';
import { commandText } from './text';

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
    if (action.commandId === 'addToTimeline') return new AddToTimeline(this.deps).fetch(context, action);
    if (action.commandId !== 'declareIncident') return noSuchCommand(action.commandId);
    const declarer = personOf(context.activity.from);
    const people = await roster(context).catch(() => [declarer]);
    const formId = this.deps.newId();
    this.remember(formId, people);
    const payload = action.messagePayload;
    // Teams puts the message the action was invoked on into this invoke; the store vouches for its link at submit.
    const sourceUrl = teamsMessageLink(payload?.linkToMessage);
    if (sourceUrl) await this.deps.store.markInbound(sourceKey(formId, sourceUrl), this.deps.now().toISOString());
    return taskCard(
      declareForm({
        ...this.words(),
        formId,
        declarer,
        people,
        description: payload?.body?.content ? commandText(payload.body.content) : undefined,
        sourceUrl,
      }),
    );
  }

  /** The organisation's severity words for the form (its policy) and its services, when it has an organisation file. */
  private words(): { severityMeaning?: Record<Severity, string>; services?: string[] } {
    return this.deps.org ? { severityMeaning: this.deps.org.policy.policy.severityMeaning, services: this.deps.org.services.map((s) => s.name) } : {};
  }

  async submit(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (action.commandId === 'addToTimeline') return new AddToTimeline(this.deps).submit(context, action);
    if (action.commandId !== 'declareIncident') return noSuchCommand(action.commandId);
    const data = (action.data ?? {}) as Record<string, string>;
    const from = personOf(context.activity.from);
    const formId = typeof data.formId === 'string' ? data.formId : undefined;
    const people = (formId && this.forms.get(formId)?.people) || [from];
    // The roster knows the declarer's email (the activity doesn't): a private incident's doc is shared by email.
    const by = people.find((p) => p.id === from.id) ?? from;
    const commander = data.commander && data.commander !== by.id ? await this.person(context, people, data.commander) : by;
    const sourceUrl = await this.declaredFrom(action, formId);
    const again = (problem: string) => taskCard(declareForm({ ...this.words(), formId: formId ?? this.deps.newId(), declarer: by, people, values: data, problem, sourceUrl }));
    if (!commander) return again('The commander you chose is not in this team; choose someone from the list.');

    const origin = conversationOf(context.activity);
    const key = formId ? `declare-form:${formId}` : inboundKey(context.activity);
    if (typeof data.join === 'string' && data.join) return this.join(context, data.join, formId);
    if (data.declareAnyway !== 'true') {
      // The same perception declared twice (two people, one alarm): asked first, with the form kept.
      const similar = await similarTo(this.deps, { title: String(data.title ?? ''), origin, at: this.deps.now().toISOString(), sourceMessageUrl: sourceUrl }, key);
      if (similar) {
        const problem = looksLike(similar, origin.id, this.deps.now());
        await offerJoin(this.deps, similar.id, by.id);
        return taskCard(declareForm({ ...this.words(), formId: formId ?? this.deps.newId(), declarer: by, people, values: data, problem, sourceUrl, similar: { incidentId: similar.id, label: `INC-${similar.number}` } }));
      }
    }
    const outcome = await this.deps.incidents.declare(
      {
        type: 'DeclareIncident',
        incidentId: this.deps.newId(),
        title: String(data.title ?? ''),
        description: String(data.description ?? ''),
        severity: data.severity === undefined ? undefined : Number(data.severity),
        customerImpact: data.customerImpact === 'true',
        private: data.private === 'true',
        detection: detectionFrom(data.detection),
        // Only a service of the organisation file (a forged or stale value is not recorded).
        service: typeof data.service === 'string' && data.service && this.deps.org ? findService(this.deps.org.services, data.service)?.name : undefined,
        commander,
        origin,
        announceIn: this.deps.announceIn?.(origin),
        sourceMessageUrl: sourceUrl,
        provisioning: this.deps.provisioning,
        mail: this.deps.mail,
        at: this.deps.now().toISOString(),
        by,
      },
      // The same form submitted twice (a double click, a re-delivery) declares once.
      { inboundKey: key },
    );
    if (outcome.kind === 'refused') return again(outcome.reason);
    if (formId) this.forms.delete(formId);
    // The answer confirms at once; the card appears in the conversation as soon as the outbox posts it.
    const declared = outcome.kind === 'changed' ? outcome.incident : undefined;
    return message(declared ? declaredAnswer(declared, origin) : 'This form was already submitted; the incident is declared.');
  }

  /** The form's "Join INC-7": joined instead of declaring; the dialog closes with where the incident is run. */
  private async join(context: TurnContext, incidentId: string, formId: string | undefined): Promise<MessagingExtensionActionResponse> {
    const joined = await new FindIncidents(this.deps).join(context, await this.deps.store.load(incidentId));
    if (formId) this.forms.delete(formId);
    return message(joined.links.length ? `${joined.text} ${joined.links.map((l) => `${l.label}: ${l.url}`).join(' · ')}` : joined.text);
  }

  /**
   * The Teams message this declaration was made from, taken only from what Teams sent: the submit invoke's own
   * `messagePayload` when it carries one, else the link the form's fetch invoke carried, which the store recorded
   * for this form id. The form's own `sourceUrl` field is anyone's to edit, so it counts only when it is that link.
   * Microsoft documents `messagePayload` for the fetch ("When your bot is invoked from a message … the value object
   * in the initial request must contain the details of the message", create-task-module.md), not for the submit.
   */
  private async declaredFrom(action: MessagingExtensionAction, formId: string | undefined): Promise<string | undefined> {
    const own = teamsMessageLink(action.messagePayload?.linkToMessage);
    if (own) return own;
    const claimed = teamsMessageLink((action.data as Record<string, unknown> | undefined)?.sourceUrl);
    if (!formId || !claimed) return undefined;
    return (await this.deps.store.seenInbound(sourceKey(formId, claimed))) ? claimed : undefined;
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

/** What the store records when a form is opened on a message: the form and that message's link, together. */
function sourceKey(formId: string, link: string): string {
  return `declare-from:${formId}:${createHash('sha256').update(link).digest('base64url')}`;
}

/**
 * Teams shows this answer as the text of a small dialog. A command id is a name from the app manifest; anything else
 * sent as one is not repeated back (it could carry markup), only said to be unknown.
 */
function noSuchCommand(commandId: unknown): MessagingExtensionActionResponse {
  const named = typeof commandId === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(commandId);
  return message(named ? `Firebreak has no command "${commandId}".` : 'Firebreak has no such command.');
}

/**
 * What the declarer reads once the form closes: the number, and where its card went. The answer is a task "message":
 * "Teams displays the value in a popup message box" in place of the form (TaskModuleMessageResponse, Bot Framework
 * .NET reference), one of the submitAction responses Microsoft lists ("No response … Another dialog … Card response
 * … Adaptive Card from bot", respond-to-task-module-submit.md); a refusal answers with "another dialog": the form
 * again, values kept.
 */
function declaredAnswer(incident: Incident, origin: Conversation): string {
  // A form opened in a thread posts the card in that thread, which people read as "in this channel".
  const where = [origin.isChannel ? 'this channel' : 'this chat', ...(incident.announcedIn.length ? ['the announcements channel'] : [])];
  return `Declared INC-${incident.number} — card posted in ${where.join(' and in ')}. The channel, bridge and doc are being assembled.`;
}

function message(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: text } };
}
