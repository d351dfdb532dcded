import type { Reply } from '../http';
import { badRequest, graphError, missingRoles, unknownProperty } from './errors';
import { hasRole, isObject, type RouteContext } from './route';
import { findUser } from './state';

/** Application permissions of userteamwork-sendactivitynotification (v1.0); the RSC grant TeamsActivity.Send.User is named, not modelled. */
const ROLES = ['TeamsActivity.Send'];
const FIELDS = ['topic', 'activityType', 'chainId', 'previewText', 'templateParameters', 'teamsAppId', 'iconId'];

/**
 * POST /users/{userId | userPrincipalName}/teamwork/sendActivityNotification: answered 204 No Content. The body's
 * `topic` is a teamworkActivityTopic (`source` entityUrl or text; `webUrl` "required when source is text"),
 * `activityType` a type the app's manifest declares (or `systemDefault`), `previewText` an itemBody, and
 * `templateParameters` keyValuePairs. Each accepted notification is kept, for tests and the sandbox page.
 */
export function activityFeedRoute(ctx: RouteContext): Reply | undefined {
  const [users, userId, teamwork, action, ...rest] = ctx.segments;
  if (users !== 'users' || teamwork !== 'teamwork' || action !== 'sendActivityNotification' || rest.length) return undefined;
  if (ctx.method !== 'POST') return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on /users/{id}/teamwork/sendActivityNotification.`);
  if (!hasRole(ctx.caller, ROLES)) return missingRoles(['TeamsActivity.Send.User', ...ROLES], ctx.caller.roles);
  const user = findUser(ctx.tenant, userId);
  if (!user) return graphError(404, 'NotFound', `User ${userId} was not found.`);
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body.');
  const unknown = Object.keys(body).find((k) => !FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, 'microsoft.graph.sendActivityNotification');
  const topic = body.topic;
  if (!isObject(topic) || (topic.source !== 'text' && topic.source !== 'entityUrl') || typeof topic.value !== 'string' || !topic.value) {
    return badRequest('topic is required: a teamworkActivityTopic with source (entityUrl or text) and value.');
  }
  if (topic.source === 'text' && (typeof topic.webUrl !== 'string' || !/^https?:\/\//.test(topic.webUrl))) return badRequest('topic.webUrl is required when topic.source is text.');
  if (typeof body.activityType !== 'string' || !body.activityType) return badRequest('activityType is required.');
  const preview = body.previewText;
  if (preview !== undefined && (!isObject(preview) || typeof preview.content !== 'string')) return badRequest('previewText must be an itemBody with content.');
  const params = body.templateParameters ?? [];
  if (!Array.isArray(params) || params.some((p) => !isObject(p) || typeof p.name !== 'string' || typeof p.value !== 'string')) {
    return badRequest('templateParameters must be a collection of keyValuePair (name, value).');
  }
  (ctx.state.activityNotifications ??= []).push({
    userId: user.id,
    appId: ctx.caller.appId,
    topic: { source: topic.source, value: topic.value, ...(typeof topic.webUrl === 'string' && { webUrl: topic.webUrl }) },
    activityType: body.activityType,
    previewText: isObject(preview) ? String(preview.content) : '',
    templateParameters: Object.fromEntries((params as { name: string; value: string }[]).map((p) => [p.name, p.value])),
    sentAt: new Date().toISOString(),
  });
  return { status: 204 };
}
