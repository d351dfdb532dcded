import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  type TurnContext,
} from 'botbuilder';
import { inboundKey, personOf } from './activity';
import { CardActions } from './card-actions';
import { ChatCommands } from './chat';
import type { BotDeps } from './deps';
import { MessageExtension } from './extension';
import { FindIncidents } from './find-incidents';
import { commandText } from './text';
import { answerPage, PAGE_ANSWER_VERBS } from '../paging/answer';
import { AlertCardActions } from '../alerts/card-actions';
import { conversationOf } from './activity';

export type { BotDeps } from './deps';

/** The Teams face of Firebreak: routes each kind of activity to the part that handles it. */
export class FirebreakBot extends TeamsActivityHandler {
  private readonly chat: ChatCommands;
  private readonly cards: CardActions;
  private readonly extension: MessageExtension;
  private readonly find: FindIncidents;
  private readonly alerts: AlertCardActions;

  constructor(private readonly deps: BotDeps) {
    super();
    this.chat = new ChatCommands(deps);
    this.cards = new CardActions(deps);
    this.extension = new MessageExtension(deps);
    this.find = new FindIncidents(deps);
    this.alerts = new AlertCardActions(deps);
    this.onMessage(async (context, next) => {
      await deps.alerts?.addressed(conversationOf(context.activity)); // local mode posts alert cards where last addressed
      await this.chat.handle(context);
      await next();
    });
    this.onTeamsMessageEditEvent(async (context, next) => {
      await this.recordedMessageChanged(context, 'edit');
      await next();
    });
    this.onTeamsMessageSoftDeleteEvent(async (context, next) => {
      await this.recordedMessageChanged(context, 'delete');
      await next();
    });
  }

  protected override onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    // The incident list's buttons belong to the list, not to an incident card.
    if (FindIncidents.handles(value.action?.verb)) return this.find.action(context, value);
    // A page's Acknowledge / Can't, pressed in a 1:1 chat: they belong to the page, which may have no incident.
    if (PAGE_ANSWER_VERBS.includes(value.action?.verb)) return answerPage(this.deps, context, value.action.verb, (value.action.data ?? {}) as Record<string, unknown>);
    if (AlertCardActions.handles(value.action?.verb)) return this.alerts.handle(context, value);
    return this.cards.handle(context, value);
  }

  protected override handleTeamsMessagingExtensionQuery(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    return this.find.query(context, query);
  }

  protected override handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.extension.fetchTask(context, action);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.extension.submit(context, action);
  }

  /** An edited message updates its timeline entry; a deleted one is marked deleted, never dropped. */
  private async recordedMessageChanged(context: TurnContext, change: 'edit' | 'delete'): Promise<void> {
    const activity = context.activity;
    if (!activity.id) return;
    // Resolved incidents too: a message corrected after the incident closed must still be corrected on its timeline.
    const incident = await this.deps.store.recordedIn(activity.conversation.id, activity.id);
    if (!incident) return;
    const at = this.deps.now().toISOString();
    const by = personOf(activity.from);
    const command =
      change === 'edit'
        ? ({ type: 'EditRecordedMessage', messageId: activity.id, text: commandText(activity.text), at, by } as const)
        : ({ type: 'DeleteRecordedMessage', messageId: activity.id, at, by } as const);
    await this.deps.incidents.run(incident.id, command, { inboundKey: inboundKey(activity, `:${change}:${activity.timestamp ?? ''}`) });
  }
}
