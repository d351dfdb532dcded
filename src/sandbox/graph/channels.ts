import { randomUUID } from 'node:crypto';
import type { Reply } from '../http';
import { channelNameProblem } from './channel-names';
import { badRequest, graphError, missingRoles, unknownProperty } from './errors';
import { applySelect, parseEqFilter } from './odata';
import { hasRole, isObject, type RouteContext } from './route';
import { findUser, type ChannelRecord } from './state';

// Application permissions, as listed in channel-post / channel-list (v1.0). RSC grants
// (Channel.Create.Group, ChannelSettings.Read.Group) are named in 403s but not modelled (DEVIATIONS.md).
const CREATE_ROLES = ['Channel.Create', 'Teamwork.Migrate.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const LIST_ROLES = ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const CHANNEL_FIELDS = ['@odata.type', 'displayName', 'description', 'membershipType', 'members', 'isFavoriteByDefault'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MEMBER_TYPE = '#microsoft.graph.aadUserConversationMember';

/** GET and POST /teams/{team-id}/channels. */
export function channelsRoute(ctx: RouteContext): Reply | undefined {
  const [teams, teamId, channels, ...rest] = ctx.segments;
  if (teams !== 'teams' || channels !== 'channels' || rest.length) return undefined;
  if (!GUID.test(teamId)) return badRequest('teamId needs to be a valid GUID.');
  if (!ctx.tenant.teams.some((t) => t.id === teamId)) return graphError(404, 'NotFound', `No team found with Group Id ${teamId}`);
  if (ctx.method === 'GET') return list(ctx, teamId);
  if (ctx.method === 'POST') return create(ctx, teamId);
  return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on /teams/{id}/channels.`);
}

function list(ctx: RouteContext, teamId: string): Reply {
  if (!hasRole(ctx.caller, LIST_ROLES)) return missingRoles(['ChannelSettings.Read.Group', ...LIST_ROLES], ctx.caller.roles);
  for (const option of ctx.query.keys()) {
    if (option !== '$filter' && option !== '$select') {
      return badRequest(`Query option '${option}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`);
    }
  }
  let found = ctx.state.channels.filter((c) => c.teamId === teamId);
  const filter = ctx.query.get('$filter');
  if (filter !== null) {
    const clause = parseEqFilter(filter, ['displayName', 'membershipType']);
    if ('problem' in clause) return badRequest(`Invalid filter clause: ${clause.problem}`);
    found = found.filter((c) => c[clause.property as 'displayName' | 'membershipType'] === clause.value);
  }
  const value = found.map((c) => applySelect(view(ctx, c), ctx.query.get('$select')));
  return { status: 200, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#teams('${teamId}')/channels`, '@odata.count': value.length, value } };
}

function create(ctx: RouteContext, teamId: string): Reply {
  if (!hasRole(ctx.caller, CREATE_ROLES)) return missingRoles(['Channel.Create.Group', ...CREATE_ROLES], ctx.caller.roles);
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body: a channel object is required.');
  const unknown = Object.keys(body).find((k) => !CHANNEL_FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, 'microsoft.graph.channel');
  const displayName = typeof body.displayName === 'string' ? body.displayName : '';
  const nameProblem = channelNameProblem(displayName);
  if (nameProblem) return badRequest(nameProblem);
  const membershipType = body.membershipType ?? 'standard';
  if (membershipType !== 'standard' && membershipType !== 'private') {
    return badRequest(`membershipType '${String(membershipType)}' is not supported by the emulator (standard, private).`);
  }
  const members = parseMembers(ctx, body.members, membershipType);
  if ('status' in members) return members;
  const taken = (name: string) => name.toLowerCase() === displayName.toLowerCase();
  const inTeam = ctx.state.channels.filter((c) => c.teamId === teamId);
  if (inTeam.some((c) => taken(c.displayName)) || ctx.state.deletedChannelNames.some((d) => d.teamId === teamId && taken(d.name))) {
    // Graph's answer: 400 BadRequest, not a 409 (microsoftgraph/microsoft-graph-docs#6649, camunda/connectors#99).
    return badRequest('Channel name already existed, please use other name');
  }
  const id = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
  const channel: ChannelRecord = {
    teamId,
    id,
    displayName,
    description: typeof body.description === 'string' ? body.description : undefined,
    membershipType,
    webUrl: ctx.links.channel({ teamId, id, displayName, tenantId: ctx.tenant.tenantId }),
    createdDateTime: new Date().toISOString(),
    members: members.list,
    createdBy: ctx.caller.appId,
  };
  ctx.state.channels.push(channel);
  return {
    status: 201,
    headers: { location: `${ctx.base}/v1.0/teams('${teamId}')/channels('${id}')` },
    body: { '@odata.context': `${ctx.base}/v1.0/$metadata#teams('${teamId}')/channels/$entity`, ...view(ctx, channel) },
  };
}

/** Private channels made with an app token need their members, at least one an owner (channel-post, example 2). */
function parseMembers(ctx: RouteContext, raw: unknown, membershipType: string): { list: ChannelRecord['members'] } | Reply {
  if (raw === undefined) {
    return membershipType === 'private' ? badRequest('A private channel created with application permissions needs at least one owner in members.') : { list: [] };
  }
  if (membershipType !== 'private') return badRequest('members can only be given when creating a private or shared channel.');
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 200) return badRequest('members must be a list of 1 to 200 conversation members.');
  const list: ChannelRecord['members'] = [];
  for (const m of raw) {
    if (!isObject(m) || m['@odata.type'] !== MEMBER_TYPE) return badRequest(`Each member must be a ${MEMBER_TYPE}.`);
    const bind = /users\('([^']+)'\)$/.exec(String(m['user@odata.bind'] ?? ''));
    const user = bind ? findUser(ctx.tenant, bind[1]) : undefined;
    if (!user) return graphError(404, 'NotFound', `User ${bind?.[1] ?? '(missing user@odata.bind)'} was not found.`);
    const roles = Array.isArray(m.roles) ? m.roles.map(String) : [];
    list.push({ userId: user.id, roles });
  }
  if (!list.some((m) => m.roles.includes('owner'))) return badRequest('A private channel created with application permissions needs at least one owner in members.');
  return { list };
}

function view(ctx: RouteContext, c: ChannelRecord): Record<string, unknown> {
  return {
    id: c.id,
    createdDateTime: c.createdDateTime,
    displayName: c.displayName,
    description: c.description ?? null,
    isFavoriteByDefault: null,
    email: '',
    tenantId: ctx.tenant.tenantId,
    webUrl: c.webUrl,
    membershipType: c.membershipType,
  };
}
