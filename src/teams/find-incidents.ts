import { CardFactory, MessageFactory, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type MessagingExtensionQuery, type MessagingExtensionResponse, type TurnContext } from 'botbuilder';
import type { Incident } from '../domain/incident';
import { conversationOf, inboundKey, personOf } from './activity';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from './cards';
import type { BotDeps } from './deps';
import { coordinationLinks, headline } from '../domain/messages';
import { incidentItemCard, incidentListCard, incidentSummary, isOwnConversation, SHOW_CARD_HERE } from './incident-list';
import { answerCard, DECLARE_ANYWAY, JOIN, joinedText, joinOffered } from './similar-declaration';

/** How many active incidents a list shows; more than this is a bad day the list would not help with anyway. */
const LIST_LIMIT = 25;

/**
 * Finding active incidents from anywhere: the `incidents` command, the message extension's search command
 * (`findIncidents`), and the list's "Show card here" button, which makes this conversation one more place of the
 * incident, outside it: the card is posted here and updated in place like every copy, read-only, and a private
 * incident shows only what its card shows outside its own conversation.
 */
export class FindIncidents {
  constructor(private readonly deps: BotDeps) {}

  static handles(verb: string | undefined): boolean {
    return verb === SHOW_CARD_HERE || verb === JOIN || verb === DECLARE_ANYWAY;
  }

  /** `incidents`: the list as a card, answered once per inbound activity. */
  async list(context: TurnContext): Promise<void> {
    const key = inboundKey(context.activity, ':incidents');
    if (key && !(await this.deps.store.markInbound(key, this.deps.now().toISOString()))) return;
    const card = incidentListCard(await this.active(), { here: context.activity.conversation.id, now: this.deps.now() });
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  }

  /** The list's buttons. The answer replaces the list card for the person who pressed (Universal Actions). */
  async action(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    if (value.action.verb === DECLARE_ANYWAY) return this.declareAnyway(context, data);
    const incidentId = data.incidentId;
    const incident = typeof incidentId === 'string' ? await this.deps.store.load(incidentId) : null;
    if (value.action.verb === JOIN) return respond(await this.join(context, incident));
    if (!incident) return this.listAnswer(context, 'That incident is not one Firebreak knows.');
    if (incident.status !== 'active') return this.listAnswer(context, `INC-${incident.number} is resolved; its card is in its own conversation.`);
    const here = conversationOf(context.activity);
    if (isOwnConversation(incident, here.id)) return this.listAnswer(context, `INC-${incident.number}'s card is already in this conversation.`);
    const outcome = await this.deps.incidents.run(
      incident.id,
      { type: 'AddPlace', conversation: here, outside: true, at: this.deps.now().toISOString(), by: personOf(context.activity.from) },
      { inboundKey: inboundKey(context.activity) },
    );
    if (outcome.kind === 'refused') return this.listAnswer(context, outcome.reason);
    if (outcome.kind === 'unchanged') return this.listAnswer(context, `INC-${incident.number}'s card is already in this conversation.`);
    return this.listAnswer(context, `INC-${incident.number}'s card is being posted here; it stays current like every copy.`);
  }

  /**
   * The message extension's search: active incidents whose number or title match what was typed (all of them when
   * nothing was). Each result is the incident's list card, inserted into the message being written when chosen.
   * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/search-commands/respond-to-search
   */
  async query(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    const typed = String(query.parameters?.find((p) => p.name === 'query')?.value ?? '').trim().toLowerCase();
    const here = context.activity.conversation.id;
    const now = this.deps.now();
    const found = (await this.active()).filter((i) => !typed || `inc-${i.number} ${i.number} ${incidentSummary(i, { here, now }).title}`.toLowerCase().includes(typed));
    const attachments = found.map((incident) => {
      const summary = incidentSummary(incident, { here, now });
      return {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        content: incidentItemCard(incident, { here, now }),
        // What the result list shows before one is chosen.
        preview: CardFactory.thumbnailCard(summary.title, summary.lines.join(' · ')),
      };
    });
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
  }

  /**
   * "Join it": the person is added to the incident (its conversation hears so; a private channel gets them as a
   * member through Graph) and reads where it is run. Also the answer of the declare form's "Join" button.
   */
  async join(context: TurnContext, incident: Incident | null): Promise<{ text: string; links: { label: string; url: string }[] }> {
    if (!incident) return { text: 'That incident is not one Firebreak knows.', links: [] };
    const by = personOf(context.activity.from);
    if (!(await joinOffered(this.deps, incident.id, by.id))) {
      return { text: `Joining is offered to people declaring the same thing. Ask ${incident.commander.name}, who leads INC-${incident.number}, to add you.`, links: [] };
    }
    const outcome = await this.deps.incidents.run(incident.id, { type: 'JoinIncident', at: this.deps.now().toISOString(), by }, { inboundKey: inboundKey(context.activity) });
    if (outcome.kind === 'refused') return { text: outcome.reason, links: [] };
    const here = context.activity.conversation.id;
    const member = incident.private && incident.resources.channel?.status === 'ready' && Boolean(by.aadObjectId);
    const links = incident.private && !isOwnConversation(incident, here) && !member ? [] : coordinationLinks(incident);
    return { text: joinedText(incident, here, member), links: links.map(({ label, url }) => ({ label, url })) };
  }

  /** "Declare anyway" under a chat `declare` that looked like an active incident: declared as typed. */
  private async declareAnyway(context: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
    const origin = conversationOf(context.activity);
    const outcome = await this.deps.incidents.declare(
      {
        type: 'DeclareIncident',
        incidentId: this.deps.newId(),
        title: typeof data.title === 'string' ? data.title : '',
        severity: typeof data.severity === 'string' ? Number(data.severity) : undefined,
        origin,
        announceIn: this.deps.announceIn?.(origin),
        provisioning: this.deps.provisioning,
        mail: this.deps.mail,
        at: this.deps.now().toISOString(),
        by: personOf(context.activity.from),
      },
      { inboundKey: typeof data.ask === 'string' && data.ask ? `declare-anyway:${data.ask}` : inboundKey(context.activity) },
    );
    if (outcome.kind === 'refused') return respond({ text: outcome.reason, links: [] });
    if (outcome.kind !== 'changed') return respond({ text: 'Already declared: its card is in this conversation.', links: [] });
    return respond({ text: `Declared ${headline(outcome.incident)} Its card is being posted here.`, links: [] });
  }

  private async active(): Promise<Incident[]> {
    return this.deps.store.list({ status: 'active', limit: LIST_LIMIT });
  }

  private async listAnswer(context: TurnContext, notice: string): Promise<AdaptiveCardInvokeResponse> {
    const card: AdaptiveCard = incidentListCard(await this.active(), { here: context.activity.conversation.id, now: this.deps.now(), notice });
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
  }
}

function respond(answer: { text: string; links: { label: string; url: string }[] }): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: answerCard(answer.text, answer.links) };
}
