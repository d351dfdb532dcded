import type { Reply } from '../http';
import { accessDenied, badRequest, graphError } from './errors';
import { applySelect } from './odata';
import { hasRole, type RouteContext } from './route';
import { findUser } from './state';

const READ_ROLES = ['Mail.Read', 'Mail.ReadWrite'];

/**
 * GET /users/{id}/mailFolders/sentitems/messages (user-list-messages in a well-known folder, named without regard to
 * case), with the one filter Firebreak uses to find a mail it may have sent:
 * `singleValueExtendedProperties/Any(ep: ep/id eq '<id>' and ep/value eq '<value>')` (singlevaluelegacyextendedproperty-get:
 * the name in the id compares with case, the value without; the property is not in the answer). `$select` and `$top`
 * are honoured; other folders, other filters and other query options are refused by name.
 */
export function sentItemsRoute(ctx: RouteContext): Reply | undefined {
  const [users, userId, folders, folder, messages, ...rest] = ctx.segments;
  if (users !== 'users' || folders !== 'mailFolders' || messages !== 'messages' || rest.length) return undefined;
  if (folder.toLowerCase() !== 'sentitems') return graphError(501, 'NotImplemented', `The Graph emulator has no mail folder '${folder}'; only SentItems is emulated.`);
  if (ctx.method !== 'GET') return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on messages.`);
  if (!hasRole(ctx.caller, READ_ROLES)) return accessDenied();
  const user = findUser(ctx.tenant, userId);
  if (!user) return graphError(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
  const unknown = [...ctx.query.keys()].find((k) => !['$filter', '$select', '$top'].includes(k));
  if (unknown) return graphError(501, 'NotImplemented', `The Graph emulator does not implement ${unknown} on messages.`);

  const filter = ctx.query.get('$filter');
  let match: (props: { id: string; value: string }[]) => boolean = () => true;
  if (filter !== null) {
    const parsed = parsePropertyFilter(filter);
    if ('problem' in parsed) return graphError(501, 'NotImplemented', `The Graph emulator does not implement this $filter: ${parsed.problem}`);
    match = (props) => props.some((p) => p.id === parsed.id && p.value.toLowerCase() === parsed.value.toLowerCase());
  }
  const top = ctx.query.get('$top');
  if (top !== null && !/^\d+$/.test(top)) return badRequest(`Invalid $top value '${top}'.`, 'ErrorInvalidUrlQuery');
  const from = (user.mail ?? user.userPrincipalName).toLowerCase();
  const found = ctx.state.mailbox
    .filter((m) => m.savedToSentItems && m.from.toLowerCase() === from && match(m.extendedProperties))
    .slice(0, top === null ? undefined : Number(top))
    .map((m) => applySelect({ id: m.id, subject: m.subject, toRecipients: m.to.map((address) => ({ emailAddress: { address } })), sentDateTime: m.sentAt }, ctx.query.get('$select')));
  return { status: 200, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#users('${user.id}')/mailFolders('sentitems')/messages`, value: found } };
}

/** `singleValueExtendedProperties/Any(x: x/id eq '…' and x/value eq '…')`, quotes doubled inside literals, as OData writes them. */
function parsePropertyFilter(filter: string): { id: string; value: string } | { problem: string } {
  const literal = "'((?:[^']|'')*)'";
  const re = new RegExp(`^\\s*singleValueExtendedProperties/any\\(\\s*(\\w+)\\s*:\\s*\\1/id eq ${literal} and \\1/value eq ${literal}\\s*\\)\\s*$`, 'i');
  const m = re.exec(filter);
  if (!m) return { problem: `only "singleValueExtendedProperties/Any(ep: ep/id eq '<id>' and ep/value eq '<value>')" is emulated (got "${filter}").` };
  return { id: m[2].replace(/''/g, "'"), value: m[3].replace(/''/g, "'") };
}
