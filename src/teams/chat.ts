import type { Activity, Mention, TurnContext } from 'botbuilder';
import type { Outcome } from '../app/incidents';
import type { ChangeRequest, Command, DeclareIncident } from '../domain/decide';
import { isAnnouncement, type Incident, type IncidentEvent, type Person } from '../domain/incident';
import { recordedReply } from './replies';
import { coordinationLine, coordinationLinks, headline, missingRoles, nextUpdateLine, rolesLine, type MessageLink } from '../domain/messages';
import { conversationOf, inboundKey, mentioned, personOf } from './activity';
import { helpText, parseCommand, USAGE, type Intent } from './commands';
import type { BotDeps } from './deps';
import { FindIncidents } from './find-incidents';
import { takeWithMember } from './mention-command';
import { askIfSimilar } from './similar-declaration';
import { commandText, markdownWithLinks } from './text';
import { askToResolve } from './resolving';
import { incidentAt, namedIncident } from './where';
import { publishFromChat } from '../status/chat-publish';
import { expertsFromChat } from '../oncall/chat';
import { pageFromChat } from '../paging/chat';
import { audienceUpdateFromChat } from '../audiences/chat';
import { followUpsFromChat } from '../followups/chat';
import { isFollowUpCommand } from '../followups/parse';
import { resolutionOffer } from '../status/card-publish';
import { ADAPTIVE_CARD_CONTENT_TYPE } from './cards';
import { postmortemTerms } from '../postmortem/terms';
import { postmortemFromChat } from '../postmortem/chat';

type Change = Exclude<Command, DeclareIncident>;

/** Commands typed to the bot in a channel or chat: `declare`, `sev 1`, `ic @person`, `note ...`. */
export class ChatCommands {
  constructor(private readonly deps: BotDeps) {}

  async handle(context: TurnContext): Promise<void> {
    const activity = context.activity;
    // In channels and group chats people talk to each other; with resource-specific consent Teams delivers every
    // message, so only those that mention the bot are commands. In a 1:1 chat everything is meant for the bot.
    if (activity.conversation.conversationType !== 'personal' && activity.conversation.conversationType && !mentionsBot(activity)) return;
    const text = commandText(activity.text);
    if (!text) return; // an attachment-only message, or a bare mention: nothing was asked
    const { number, text: asked } = namedIncident(text); // `INC-7 note …` names the incident where several could be meant
    const intent = parseCommand(asked);
    const by = personOf(activity.from);
    const at = this.deps.now().toISOString();
    const key = inboundKey(activity);

    if (intent.kind === 'declare') return this.declare(context, intent, by, at, key);
    if (intent.kind === 'incidents') return new FindIncidents(this.deps).list(context);
    if (intent.kind === 'experts') return expertsFromChat(this.deps, context, intent.service, key);
    if (intent.kind === 'page') return pageFromChat(this.deps, context, intent.text, number, by, key);
    if (intent.kind === 'publish') return publishFromChat(this.deps, context, intent.text, by, at, key);
    if (isFollowUpCommand(asked)) return followUpsFromChat(this.deps, context, asked, by, at, key, number);
    if (/^\/?update\b/i.test(asked) && (await audienceUpdateFromChat(this.deps, context, asked, by, at, key))) return;
    if (/^\/?postmortem\b/i.test(asked)) return postmortemFromChat(this.deps, context, asked, by, at, key, number);

    if (intent.kind === 'commander' || intent.kind === 'role') return this.withMember(context, intent, number, by, at, key);
    const change = this.changeFor(intent);
    if (change) {
      const here = await incidentAt(this.deps.store, activity.conversation.id, number);
      if (!here || 'none' in here) return this.replyOnce(context, key, here ? here.none : noIncidentHere());
      const incident = here.incident;
      if (intent.kind === 'resolve' && !intent.confirm) return this.replyOnce(context, key, askToResolve(incident, at, intent.summary));
      const reply = this.recordedReply(context, key, at, noteAcknowledgement);
      const outcome = await this.deps.incidents.run(incident.id, { ...change, at, by } as Change, { inboundKey: key, alsoEffects: reply.effects });
      if (outcome.kind === 'changed') reply.said();
      else await this.acknowledge(context, key, outcome);
      // Resolved, and it was on the status page: the public resolution is offered here (issue 16, item 7).
      const offer = outcome.kind === 'changed' && intent.kind === 'resolve' ? await resolutionOffer(this.deps, outcome.incident, by) : undefined;
      if (offer) await context.sendActivity({ type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: offer }] });
      return;
    }
    return this.replyOnce(context, key, await this.answer(intent, activity, number));
  }

  private async declare(
    context: TurnContext,
    intent: Extract<Intent, { kind: 'declare' }>,
    by: Person,
    at: string,
    key: string | undefined,
  ): Promise<void> {
    if (await askIfSimilar(this.deps, context, key, intent)) return;
    const hints: string[] = [];
    if (intent.severity === undefined) hints.push(`severity 3 is the default: change it with "${USAGE.sev}"`);
    hints.push('you are incident commander: hand off with "ic @person"');
    const reply = this.recordedReply(context, key, at, (incident) => `Declared ${headline(incident)}\nNote: ${hints.join('; ')}.`);
    const outcome = await this.deps.incidents.declare(
      {
        type: 'DeclareIncident',
        incidentId: this.deps.newId(),
        title: intent.title,
        severity: intent.severity,
        origin: conversationOf(context.activity),
        announceIn: this.deps.announceIn?.(conversationOf(context.activity)),
        provisioning: this.deps.provisioning,
        mail: this.deps.mail,
        at,
        by,
      },
      { inboundKey: key, alsoEffects: reply.effects },
    );
    if (outcome.kind === 'refused') return this.replyOnce(context, key, outcome.reason);
    if (outcome.kind === 'changed') reply.said();
  }

  /**
   * `ic @person`, `role <role> @person`: taken now, run once Teams has said who the person is, after the HTTP answer
   * (mention-command.ts says why the mention alone is not enough).
   */
  private async withMember(context: TurnContext, intent: Extract<Intent, { kind: 'commander' | 'role' }>, number: number | undefined, by: Person, at: string, key: string | undefined): Promise<void> {
    const activity = context.activity;
    const [named] = mentioned(activity);
    if (!named) return this.replyOnce(context, key, intent.kind === 'commander' ? `Mention the new commander: ${USAGE.ic}` : `Mention who takes the role: ${USAGE.role}`);
    const here = await incidentAt(this.deps.store, activity.conversation.id, number);
    if (!here || 'none' in here) return this.replyOnce(context, key, here ? here.none : noIncidentHere());
    const asked =
      intent.kind === 'commander'
        ? { command: { type: 'ChangeCommander', mode: named.id === activity.from.id ? 'take' : 'handoff' }, personAt: 'to' as const, notMember: "{name} is not in this team, so can't be incident commander here." }
        : { command: { type: 'AssignRole', role: intent.role }, personAt: 'person' as const, notMember: "{name} is not in this team, so can't take a role here." };
    await takeWithMember(this.deps, context, { incidentId: here.incident.id, key, mention: named, command: asked.command, personAt: asked.personAt, at, by, say: { notMember: asked.notMember, unchanged: NOTHING_TO_CHANGE } });
  }

  /** The command an intent asks for, or undefined when it changes nothing. */
  private changeFor(intent: Intent): ChangeRequest | undefined {
    switch (intent.kind) {
      case 'severity':
        return { type: 'ChangeSeverity', severity: intent.value };
      case 'phase':
        return { type: 'ChangePhase', phase: intent.value };
      case 'impact':
        return { type: 'ChangeCustomerImpact', customerImpact: intent.value };
      case 'note':
        return { type: 'AddNote', kind: intent.kind, text: intent.text };
      case 'action':
        return { type: 'AddNote', kind: intent.kind, text: intent.text, ...(intent.procedure && { procedure: true }) };
      case 'resolve':
        return { type: 'ResolveIncident', summary: intent.summary, postmortem: postmortemTerms(this.deps) };
      case 'reopen':
        return { type: 'ReopenIncident', reason: intent.reason };
      case 'update':
        return { type: 'PostStakeholderUpdate', text: intent.text };
      default:
        return undefined;
    }
  }

  private async answer(intent: Intent, activity: Activity, number?: number): Promise<string | Reply> {
    switch (intent.kind) {
      case 'help':
        return helpText(this.deps.org?.policy.policy.severityMeaning);
      case 'usage':
        return `Usage: ${intent.usage}`;
      case 'status': {
        const here = await incidentAt(this.deps.store, activity.conversation.id, number);
        if (!here) return noIncidentHere();
        if ('none' in here) return here.none;
        const redact = isAnnouncement(here.incident, activity.conversation.id) && here.incident.private;
        return { text: statusText(here.incident, { redact }), links: redact ? [] : coordinationLinks(here.incident) };
      }
      case 'unknown':
        return `I didn't understand "${intent.text.slice(0, 80)}".\n${helpText(this.deps.org?.policy.policy.severityMeaning)}`;
      default:
        return helpText(this.deps.org?.policy.policy.severityMeaning);
    }
  }

  /** A command that changed nothing: why, in words. */
  private async acknowledge(context: TurnContext, key: string | undefined, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'refused') return this.replyOnce(context, key, outcome.reason);
    if (outcome.kind === 'unchanged') return this.replyOnce(context, key, NOTHING_TO_CHANGE);
  }

  /** The reply to a command that changes an incident, written with the change (replies.ts), in Markdown. */
  private recordedReply(context: TurnContext, key: string | undefined, at: string, say: (incident: Incident, events: readonly IncidentEvent[]) => string | undefined) {
    return recordedReply(context, { key, at, graceMs: this.deps.replyGraceMs }, (incident, events) => {
      const text = say(incident, events);
      return text === undefined ? undefined : markdown(text).text!;
    });
  }

  /** Replies unless this activity was answered before (a re-delivery). */
  private async replyOnce(context: TurnContext, key: string | undefined, reply: string | Reply): Promise<void> {
    if (key && !(await this.deps.store.markInbound(key, this.deps.now().toISOString()))) return;
    const { text, links } = typeof reply === 'string' ? { text: reply, links: [] } : reply;
    await context.sendActivity(markdown(text, links));
  }
}

const NOTHING_TO_CHANGE = 'Nothing to change: it is already so.';

/** Changes answer through the card and the follow-up; a note is confirmed quietly. */
function noteAcknowledgement(incident: Incident, events: readonly IncidentEvent[]): string | undefined {
  if (!events.some((e) => e.type === 'NoteAdded')) return undefined;
  const kind = events.some((e) => e.type === 'NoteAdded' && e.kind === 'action') ? 'Announced and added' : 'Added';
  return `${kind} to the timeline of INC-${incident.number}.`;
}

function mentionsBot(activity: Activity): boolean {
  return (activity.entities ?? []).some((e) => e.type === 'mention' && (e as Mention).mentioned?.id === activity.recipient?.id);
}


function noIncidentHere(): string {
  return `There is no active incident in this conversation. Declare one with: ${USAGE.declare}`;
}

/** Where the incident stands; in an announcements channel a private incident says only that it exists and who leads. */
function statusText(incident: Incident, opts: { redact: boolean }): string {
  if (opts.redact && incident.private) return [headline(incident, opts), nextUpdateLine(incident)].filter(Boolean).join('\n');
  return [headline(incident), coordinationLine(incident), rolesLine(incident), nextUpdateLine(incident), ...missingRoles(incident)]
    .filter(Boolean)
    .join('\n');
}

/** A reply as Markdown: one paragraph per line (Teams collapses single newlines), user text escaped, known links shown. */
function markdown(text: string, links: readonly MessageLink[] = []): Partial<Activity> {
  return { type: 'message', text: text.split('\n').map((line) => markdownWithLinks(line, links)).join('\n\n'), textFormat: 'markdown' };
}

/** A reply whose text writes out links that Teams can show by their labels. */
interface Reply {
  text: string;
  links: MessageLink[];
}
