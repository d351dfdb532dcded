import type { Client } from '@microsoft/microsoft-graph-client';
import { call, type Operation } from './errors';

export interface ChannelMemberRequest {
  /** The incident team's Entra group id. */
  teamId: string;
  /** The channel's thread id, `19:...@thread.tacv2`. */
  channelId: string;
  /** The person's Microsoft Entra object id. */
  userId: string;
}

const ADD: Operation = {
  what: 'add someone to the private incident channel',
  needs: 'the application permission ChannelMember.ReadWrite.All (or the resource-specific ChannelMember.ReadWrite.Group) with admin consent',
};

/**
 * Adds a person to a private channel as a member (not an owner): "POST /teams/{team-id}/channels/{channel-id}/members
 * … allowed only for channels with a membershipType value of private or shared", body an aadUserConversationMember
 * bound to the user, roles "owner or empty" (Graph v1.0, channel-post-members). Adding again keeps one membership.
 */
export async function addChannelMember(client: Client, req: ChannelMemberRequest, signal?: AbortSignal): Promise<void> {
  await call(ADD, () =>
    client
      .api(`/teams/${req.teamId}/channels/${req.channelId}/members`)
      .option('signal', signal)
      .post({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: [],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${req.userId}')`,
      }),
  );
}
