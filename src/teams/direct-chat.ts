import type { Activity, CloudAdapter } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { referenceTo } from './activity';
import { classify } from './outbox';

/** The bot's 1:1 chats with people, opened proactively (paging, src/paging/). */
export interface DirectChats {
  /**
   * The 1:1 conversation with a person, created if need be: `POST /v3/conversations` with `isGroup: false`, one
   * member and the tenant. Teams takes the member's Microsoft Entra object id in the personal scope ("sending
   * proactive messages using the AAD ID is supported only in the personal scope", Microsoft Q&A 1513375) and answers
   * the same conversation id for the same member; it refuses (403) a user who has not installed the app.
   */
  open(to: { serviceUrl: string; tenantId: string; memberId: string }, signal?: AbortSignal): Promise<string>;
  /** Sends an activity into it; its id. */
  send(to: { serviceUrl: string; tenantId: string; conversationId: string }, activity: Partial<Activity>, signal?: AbortSignal): Promise<string>;
}

export function createDirectChats(adapter: CloudAdapter, botAppId: string): DirectChats {
  async function within<T>(serviceUrl: string, tenantId: string, conversationId: string, signal: AbortSignal | undefined, fn: (connector: ConnectorClient) => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      signal?.throwIfAborted();
      await adapter.continueConversationAsync(botAppId, { ...referenceTo({ id: conversationId, serviceUrl, tenantId }, botAppId), conversation: { id: conversationId, isGroup: false, conversationType: 'personal', tenantId, name: '' } }, async (context) => {
        result = await fn(context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey));
      });
    } catch (err) {
      throw classify(signal?.aborted ? signal.reason : err);
    }
    return result as T;
  }
  return {
    open(to, signal) {
      // A conversation reference needs an id; the connector client it yields is all that is used here.
      return within(to.serviceUrl, to.tenantId, 'firebreak:new-1:1', signal, async (connector) => {
        const created = await connector.conversations.createConversation(
          { isGroup: false, bot: { id: `28:${botAppId}`, name: 'Firebreak' }, members: [{ id: to.memberId, name: '' }], tenantId: to.tenantId, channelData: { tenant: { id: to.tenantId } } } as never,
          { abortSignal: signal },
        );
        return created.id;
      });
    },
    send(to, activity, signal) {
      return within(to.serviceUrl, to.tenantId, to.conversationId, signal, async (connector) => {
        const outgoing = { ...activity, conversation: { id: to.conversationId, isGroup: false, conversationType: 'personal', tenantId: to.tenantId, name: '' }, from: { id: `28:${botAppId}`, name: 'Firebreak' }, channelId: 'msteams', serviceUrl: to.serviceUrl } as Activity;
        const response = await connector.conversations.sendToConversation(to.conversationId, outgoing, { abortSignal: signal });
        return response?.id ?? '';
      });
    },
  };
}

/** Where the bot can open 1:1 chats from, for whoever tells people things directly (paging, reminders, digests). */
export interface DirectReach {
  chats: DirectChats;
  /**
   * The Bot Connector service URL and tenant to open a 1:1 through: the given conversation's (an incident's origin),
   * else the configured ones; undefined when neither tells (local mode without a tenant).
   */
  target(from?: { serviceUrl?: string; tenantId?: string }): { serviceUrl: string; tenantId: string } | undefined;
}

export function directReach(chats: DirectChats, defaults: { serviceUrl?: string; tenantId?: string }): DirectReach {
  return {
    chats,
    target(from) {
      const serviceUrl = from?.serviceUrl || defaults.serviceUrl;
      const tenantId = from?.tenantId || defaults.tenantId;
      // Teams refuses a 1:1 without the tenant (400): without one there is nothing to open it in.
      return serviceUrl && tenantId ? { serviceUrl, tenantId } : undefined;
    },
  };
}

/**
 * Who a 1:1 is opened with: the person's Microsoft Entra object id (or an id that is one, as the organisation file's
 * people are named to Teams), else their Teams user id (`29:…`), which the Bot Connector also takes as the member of a
 * new conversation (the proactive-messaging samples pass the roster's `TeamsChannelAccount.id`). A person known only
 * to Google (`google:…`) or by a typed id has neither.
 */
export function directMemberId(person: { id: string; aadObjectId?: string }): string | undefined {
  if (person.aadObjectId) return person.aadObjectId;
  return /^(?:29:[\w-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(person.id) ? person.id : undefined;
}
