import type { Reply } from '../http';
import { badRequest, graphError, missingRoles, unknownProperty } from './errors';
import { hasRole, isObject, type RouteContext } from './route';
import { findUser, type ChannelRecord, type EmulatedUser } from './state';

// Application permissions of channel-post-members / channel-list-members (v1.0); the RSC grant
// ChannelMember.ReadWrite.Group is named in 403s but not modelled (DEVIATIONS.md).
const ADD_ROLES = ['ChannelMember.ReadWrite.All'];
const LIST_ROLES = ['ChannelMember.Read.All', 'ChannelMember.ReadWrite.All'];
const MEMBER_TYPE = '#microsoft.graph.aadUserConversationMember';
const MEMBER_FIELDS = ['@odata.type', 'roles', 'user@odata.bind', 'visibleHistoryStartDateTime'];

/**
 * GET and POST /teams/{team-id}/channels/{channel-id}/members: "Add a conversationMember to a channel. This
 * operation is allowed only for channels with a membershipType value of private or shared." (channel-post-members;
 * body `{"@odata.type": "#microsoft.graph.aadUserConversationMember", "roles": [], "user@odata.bind":
 * "https://graph.microsoft.com/v1.0/users('<id>')"}`, roles "must be owner or empty"; 201 with the conversationMember).
 */
export function channelMembersRoute(ctx: RouteContext): Reply | undefined {
  const [teams, teamId, channels, channelId, members, ...rest] = ctx.segments;
  if (teams !== 'teams' || channels !== 'channels' || members !== 'members' || rest.length) return undefined;
  const channel = ctx.state.channels.find((c) => c.teamId === teamId && c.id === channelId);
  if (!channel) return graphError(404, 'NotFound', `No channel ${channelId} found in team ${teamId}.`);
  if (ctx.method === 'GET') {
    if (!hasRole(ctx.caller, LIST_ROLES)) return missingRoles(['ChannelMember.Read.Group', ...LIST_ROLES], ctx.caller.roles);
    const value = channel.members.map((m) => view(ctx, channel, m.userId, m.roles));
    return { status: 200, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#teams('${teamId}')/channels('${channelId}')/members`, '@odata.count': value.length, value } };
  }
  if (ctx.method !== 'POST') return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on /teams/{id}/channels/{id}/members.`);
  if (!hasRole(ctx.caller, ADD_ROLES)) return missingRoles(['ChannelMember.ReadWrite.Group', ...ADD_ROLES], ctx.caller.roles);
  if (channel.membershipType === 'standard') {
    return badRequest('Adding members is allowed only for channels with a membershipType value of private or shared.');
  }
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body: a conversationMember is required.');
  const unknown = Object.keys(body).find((k) => !MEMBER_FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, 'microsoft.graph.aadUserConversationMember');
  if (body['@odata.type'] !== MEMBER_TYPE) return badRequest(`The member must be a ${MEMBER_TYPE}.`);
  const roles = Array.isArray(body.roles) ? body.roles.map(String) : [];
  if (roles.some((r) => r !== 'owner')) return badRequest('roles must be owner or empty.');
  const user = boundUser(ctx, body['user@odata.bind']);
  if (!user) return graphError(404, 'NotFound', `User ${String(body['user@odata.bind'] ?? '(missing user@odata.bind)')} was not found.`);
  // Adding someone already there keeps one membership (their roles as now asked); not checked against Graph.
  channel.members = [...channel.members.filter((m) => m.userId !== user.id), { userId: user.id, roles }];
  return { status: 201, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#teams('${teamId}')/channels('${channelId}')/members/$entity`, ...view(ctx, channel, user.id, roles) } };
}

/** `https://graph.microsoft.com/v1.0/users('<id>')` or `.../users/<id>`, by id or user principal name. */
function boundUser(ctx: RouteContext, bind: unknown): EmulatedUser | undefined {
  const match = /\/users(?:\('([^']+)'\)|\/([^/?#]+))$/.exec(String(bind ?? ''));
  const key = match?.[1] ?? match?.[2];
  return key ? findUser(ctx.tenant, decodeURIComponent(key)) : undefined;
}

function view(ctx: RouteContext, channel: ChannelRecord, userId: string, roles: string[]): Record<string, unknown> {
  const user = ctx.tenant.users.find((u) => u.id === userId);
  return {
    '@odata.type': MEMBER_TYPE,
    id: Buffer.from(`${channel.id}##${userId}`).toString('base64'),
    roles,
    displayName: user?.displayName ?? null,
    userId,
    email: user?.mail ?? user?.userPrincipalName ?? null,
    tenantId: ctx.tenant.tenantId,
  };
}
