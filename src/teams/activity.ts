import type { Activity, ChannelAccount, ConversationReference, Mention } from 'botbuilder';
import type { Conversation, Person } from '../domain/incident';

export function personOf(account: ChannelAccount): Person {
  return {
    id: account.id,
    name: account.name?.trim() || 'Someone',
    ...(account.aadObjectId ? { aadObjectId: account.aadObjectId } : {}),
  };
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; aadGroupId?: string };
  channel?: { id?: string };
}

export function conversationOf(activity: Partial<Activity>): Conversation {
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  const conversation = activity.conversation!;
  return {
    id: conversation.id,
    serviceUrl: activity.serviceUrl!,
    ...(conversation.tenantId || data.tenant?.id ? { tenantId: conversation.tenantId ?? data.tenant?.id } : {}),
    ...(conversation.conversationType === 'channel' ? { isChannel: true } : {}),
    ...(data.team?.id ? { teamId: data.team.id } : {}),
    ...(data.channel?.id ? { channelId: data.channel.id } : {}),
  };
}

/** What botbuilder needs to post into a stored conversation later (proactively). */
export function referenceTo(conversation: Conversation, botId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: conversation.serviceUrl,
    conversation: {
      id: conversation.id,
      isGroup: true,
      conversationType: conversation.isChannel ? 'channel' : 'groupChat',
      tenantId: conversation.tenantId,
      name: '',
    },
    bot: { id: botId, name: 'Firebreak' },
  };
}

/** The key an inbound activity is de-duplicated by: Teams re-delivers with the same id. */
export function inboundKey(activity: Partial<Activity>, suffix = ''): string | undefined {
  if (!activity.id) return undefined;
  return `teams:${activity.conversation?.id ?? ''}:${activity.id}${suffix}`;
}

/** People @mentioned in a message, except the bot itself. */
export function mentioned(activity: Pick<Activity, 'entities' | 'recipient'>): Person[] {
  return (activity.entities ?? [])
    .filter((e): e is Mention & { type: 'mention' } => e.type === 'mention')
    .map((m) => m.mentioned)
    .filter((account) => account && account.id !== activity.recipient?.id)
    .map(personOf);
}
