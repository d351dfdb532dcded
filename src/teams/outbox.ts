import { CardFactory, MessageFactory, TurnContext, type Activity, type CloudAdapter } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { isAnnouncement, type CardCopy, type Conversation, type Incident, type Person } from '../domain/incident';
import { headline, type Message } from '../domain/messages';
import { OutsideError } from '../outside-error';
import { referenceTo } from './activity';
import { incidentCard, type AdaptiveCard } from './cards';
import { markdownLine, markdownWithLinks } from './text';

/**
 * What the effect workers need from Teams: post the card, update it in place, post a message. Each call stops
 * waiting when `signal` aborts (the Bot Connector request is cancelled); it may still have reached Teams.
 */
export interface TeamsOutbox {
  /** Posts the card into a place; a channel root gets a new thread. */
  postCard(incident: Incident, place: Conversation, signal?: AbortSignal): Promise<Omit<CardCopy, 'conversationId'>>;
  updateCard(incident: Incident, place: Conversation, copy: CardCopy, signal?: AbortSignal): Promise<void>;
  postMessage(conversation: Conversation, message: Message, signal?: AbortSignal): Promise<string>;
  /**
   * Answers a message where it was said: a reply to `replyToId` in its conversation (as `context.sendActivity` in
   * the message's turn would send it), or a new message in the conversation without one.
   */
  reply(conversation: Conversation, replyToId: string | undefined, activity: Partial<Activity>, signal?: AbortSignal): Promise<void>;
  /** Any other card (an alert group's, src/alerts/; the hand-off card): posted like the incident card, updated in place. */
  postAdaptiveCard(place: Conversation, card: AdaptiveCard, summary: string, signal?: AbortSignal): Promise<{ postedIn: string; activityId: string }>;
  updateAdaptiveCard(place: Conversation, copy: { postedIn: string; activityId: string }, card: AdaptiveCard, summary: string, signal?: AbortSignal): Promise<void>;
}

/** A channel itself rather than a thread in it: posting there starts a new thread. */
export function isChannelRoot(conversation: Conversation): boolean {
  return Boolean(conversation.isChannel) && !conversation.id.includes(';messageid=');
}

export function createTeamsOutbox(adapter: CloudAdapter, botAppId: string, now: () => Date = () => new Date()): TeamsOutbox {
  async function within<T>(conversation: Conversation, signal: AbortSignal | undefined, fn: (context: TurnContext, connector: ConnectorClient) => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      signal?.throwIfAborted();
      await adapter.continueConversationAsync(botAppId, referenceTo(conversation, botAppId), async (context) => {
        result = await fn(context, context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey));
      });
    } catch (err) {
      throw classify(signal?.aborted ? signal.reason : err);
    }
    return result as T;
  }

  /**
   * What `context.sendActivity` does for a proactive message (CloudAdapterBase.sendActivities: the conversation
   * reference applied, then sendToConversation), with the request's abort signal, which botbuilder does not pass.
   */
  async function send(context: TurnContext, connector: ConnectorClient, activity: Partial<Activity>, signal: AbortSignal | undefined) {
    const outgoing = TurnContext.applyConversationReference({ ...activity }, TurnContext.getConversationReference(context.activity));
    return connector.conversations.sendToConversation(outgoing.conversation!.id, outgoing, { abortSignal: signal });
  }

  /**
   * The card, with its headline as `summary` (what notifications and screen readers show). No `text` beside the card:
   * a message with both is split in two by the Agents Playground, which then can't update it in place.
   */
  function cardActivity(incident: Incident, conversation: Conversation) {
    const redact = isAnnouncement(incident, conversation.id);
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(incidentCard(incident, { now: now(), redact })));
    activity.summary = headline(incident, { redact });
    return activity;
  }

  return {
    postCard(incident, place, signal) {
      return post(place, cardActivity(incident, place), signal);
    },
    updateCard(incident, place, copy, signal) {
      return update(place, copy, cardActivity(incident, place), signal);
    },
    postAdaptiveCard(place, card, summary, signal) {
      return post(place, adaptiveActivity(card, summary), signal);
    },
    updateAdaptiveCard(place, copy, card, summary, signal) {
      return update(place, copy, adaptiveActivity(card, summary), signal);
    },
    reply(conversation, replyToId, activity, signal) {
      return within(conversation, signal, async (context, connector) => {
        // CloudAdapterBase.sendActivities: a reply to the inbound activity when there is one, else a new message.
        const outgoing = TurnContext.applyConversationReference({ ...activity }, TurnContext.getConversationReference(context.activity));
        const id = outgoing.conversation!.id;
        if (replyToId) await connector.conversations.replyToActivity(id, replyToId, { ...outgoing, replyToId }, { abortSignal: signal });
        else await connector.conversations.sendToConversation(id, outgoing, { abortSignal: signal });
      });
    },
    postMessage(conversation, message, signal) {
      return within(conversation, signal, async (context, connector) => {
        const response = await send(context, connector, { type: 'message', text: messageMarkdown(message), textFormat: 'markdown', ...mentionEntities(message) }, signal);
        return response?.id ?? '';
      });
    },
  };

  function post(place: Conversation, activity: Partial<Activity>, signal: AbortSignal | undefined) {
    return within(place, signal, async (context, connector) => {
      if (isChannelRoot(place)) {
        // A new thread in a channel: POST v3/conversations with channelData.channel.id; the root message id
        // is the `;messageid=` suffix of the returned conversation id.
        // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
        const created: { id: string; activityId?: string } = await connector.conversations.createConversation(
          {
            isGroup: true,
            bot: { id: botAppId, name: 'Firebreak' },
            members: [],
            channelData: { channel: { id: place.channelId ?? place.id }, ...(place.tenantId ? { tenant: { id: place.tenantId } } : {}) },
            activity: activity as Activity,
            tenantId: place.tenantId,
          },
          { abortSignal: signal },
        );
        const activityId = created.activityId || created.id.split(';messageid=')[1];
        if (!activityId) throw new OutsideError('retryable', 'the connector returned no message id for the new thread');
        return { postedIn: created.id, activityId };
      }
      const response = await send(context, connector, activity, signal);
      // Posting again would make a second card nobody can update: stop and say so instead.
      if (!response?.id) throw new OutsideError('permanent', 'the connector accepted the card but returned no activity id');
      return { postedIn: place.id, activityId: response.id };
    });
  }

  function update(place: Conversation, copy: { postedIn: string; activityId: string }, card: Partial<Activity>, signal: AbortSignal | undefined) {
    return within({ ...place, id: copy.postedIn }, signal, async (context, connector) => {
      const activity = TurnContext.applyConversationReference({ ...card }, TurnContext.getConversationReference(context.activity));
      await connector.conversations.updateActivity(activity.conversation!.id, copy.activityId, { ...activity, id: copy.activityId }, { abortSignal: signal });
    });
  }
}

function adaptiveActivity(card: AdaptiveCard, summary: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = summary;
  return activity;
}

/** Connector failures as the worker's vocabulary (STYLE.md 5). */
export function classify(err: unknown): OutsideError {
  if (err instanceof OutsideError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string; response?: { headers?: { get?(n: string): string | undefined } } };
  const status = e.statusCode;
  const message = `Teams connector: ${status ? `HTTP ${status}` : e.code ?? 'network error'} ${e.message ?? ''}`.trim();
  if (status === 429 || (status !== undefined && status >= 500) || status === undefined) {
    const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
    return new OutsideError('retryable', message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined, status);
  }
  if (status === 404) return new OutsideError('not-found', message, undefined, status);
  if (status === 412) return new OutsideError('conflict', message, undefined, status);
  return new OutsideError('permanent', message, undefined, status);
}

/** Subject in bold, one paragraph per line; user text escaped so it can't format, link or mention. */
export function messageMarkdown(message: Message): string {
  const mentions = message.mentions?.length ? [message.mentions.map((m) => `<at>${markdownLine(m.name)}</at>`).join(' ')] : [];
  return [`**${markdownLine(message.subject)}**`, ...message.lines.map((line) => markdownWithLinks(line, message.links)), ...mentions].join('\n\n');
}

/**
 * Teams @mentions: each `<at>name</at>` in the text with an entity naming the person; the id may be their Teams user
 * id or their Entra object id ("Add mentions to your messages",
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations).
 */
function mentionEntities(message: Message): { entities?: { type: 'mention'; text: string; mentioned: { id: string; name: string } }[] } {
  if (!message.mentions?.length) return {};
  return { entities: message.mentions.map((m) => ({ type: 'mention', text: `<at>${markdownLine(m.name)}</at>`, mentioned: { id: m.id, name: m.name } })) };
}
