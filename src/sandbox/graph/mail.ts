import { randomUUID } from 'node:crypto';
import type { Reply } from '../http';
import { accessDenied, badRequest, graphError, unknownProperty } from './errors';
import { hasRole, isObject, type RouteContext } from './route';
import { findUser, type SentMail } from './state';

const MAIL_ROLES = ['Mail.Send'];
const SEND_FIELDS = ['message', 'saveToSentItems'];
const MESSAGE_FIELDS = ['subject', 'body', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'internetMessageHeaders', 'importance', 'from', 'singleValueExtendedProperties', 'attachments'];

/**
 * POST /users/{id | userPrincipalName}/sendMail (JSON form): 202 Accepted with no body (user-sendmail, v1.0).
 * The message lands in the emulator's mailbox, which tests and the sandbox page read, and (unless saveToSentItems
 * is false) in the sender's Sent Items, with its extended properties (sent-items.ts finds it by them).
 */
export function sendMailRoute(ctx: RouteContext): Reply | undefined {
  const [users, userId, action, ...rest] = ctx.segments;
  if (users !== 'users' || action !== 'sendMail' || rest.length) return undefined;
  if (ctx.method !== 'POST') return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on sendMail.`);
  if (!hasRole(ctx.caller, MAIL_ROLES)) return accessDenied();
  const sender = findUser(ctx.tenant, userId);
  if (!sender) return graphError(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body.', 'ErrorInvalidRequest');
  const unknown = Object.keys(body).find((k) => !SEND_FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, 'microsoft.graph.sendMail');
  const message = body.message;
  if (!isObject(message)) return badRequest('message is required.', 'ErrorInvalidRequest');
  const unknownInMessage = Object.keys(message).find((k) => !MESSAGE_FIELDS.includes(k));
  if (unknownInMessage) return unknownProperty(unknownInMessage, 'microsoft.graph.message');

  const to = addresses(message.toRecipients);
  const cc = addresses(message.ccRecipients);
  const bcc = addresses(message.bccRecipients);
  if (to === null || cc === null || bcc === null) {
    return badRequest("At least one recipient isn't valid., Recipients must be emailAddress objects with an address.", 'ErrorInvalidRecipients');
  }
  if (to.length + cc.length + bcc.length === 0) {
    return badRequest("At least one recipient isn't valid., A message can't be sent because it contains no recipients.", 'ErrorInvalidRecipients');
  }
  const content = isObject(message.body) ? message.body : { contentType: 'text', content: '' };
  const contentType = String(content.contentType ?? 'text').toLowerCase();
  if (contentType !== 'text' && contentType !== 'html') return badRequest(`Invalid contentType '${content.contentType}'.`, 'ErrorInvalidRequest');
  const headers = customHeaders(message.internetMessageHeaders);
  if ('status' in headers) return headers;
  const extended = extendedProperties(message.singleValueExtendedProperties);
  if ('status' in extended) return extended;
  const files = fileAttachments(message.attachments);
  if ('status' in files) return files;

  const mail: SentMail = {
    id: `AAMkAG${randomUUID().replace(/-/g, '')}=`,
    from: sender.mail ?? sender.userPrincipalName,
    to,
    cc,
    subject: typeof message.subject === 'string' ? message.subject : '',
    contentType,
    body: String(content.content ?? ''),
    headers: headers.map,
    extendedProperties: extended.list,
    ...(files.list.length && { attachments: files.list }),
    savedToSentItems: body.saveToSentItems !== false && body.saveToSentItems !== 'false',
    sentAt: new Date().toISOString(),
  };
  ctx.state.mailbox.push(mail);
  return { status: 202 };
}

function addresses(list: unknown): string[] | null {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return null;
  const out: string[] = [];
  for (const r of list) {
    const address = isObject(r) && isObject(r.emailAddress) ? r.emailAddress.address : undefined;
    if (typeof address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(address)) return null;
    out.push(address);
  }
  return out;
}

/** Only custom headers may be set, and their names must start with x- (message resource, internetMessageHeaders). */
function customHeaders(list: unknown): { map: Record<string, string> } | Reply {
  const map: Record<string, string> = {};
  if (list === undefined) return { map };
  if (!Array.isArray(list)) return badRequest('internetMessageHeaders must be a list.', 'ErrorInvalidRequest');
  for (const h of list) {
    const name = isObject(h) ? String(h.name ?? '') : '';
    if (!/^x-/i.test(name)) {
      return badRequest(`The internet message header name '${name}' should start with 'x-' or 'X-'.`, 'InvalidInternetMessageHeader');
    }
    map[name.toLowerCase()] = String((h as Record<string, unknown>).value ?? '');
  }
  return { map };
}

/**
 * `singleValueExtendedProperties`: each id in one of Exchange's three formats, else its 400 (as reported in
 * msgraph-sdk-powershell#2784): "MapiPropertyType {guid} Name name", "MapiPropertyType {guid} Id 0x...",
 * "MapiPropertyType 0x...". Values are kept as strings.
 */
const PROPERTY_ID = /^(\w+) (\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\} (Name \S.*|Id 0x[0-9a-f]{1,4})|0x[0-9a-f]{1,4})$/i;

function extendedProperties(list: unknown): { list: { id: string; value: string }[] } | Reply {
  if (list === undefined) return { list: [] };
  if (!Array.isArray(list)) return badRequest('singleValueExtendedProperties must be a list.', 'ErrorInvalidRequest');
  const out: { id: string; value: string }[] = [];
  for (const p of list) {
    const id = isObject(p) && typeof p.id === 'string' ? p.id : '';
    if (!PROPERTY_ID.test(id)) {
      return badRequest(
        "PropertyId values may only be in one of the following formats: 'MapiPropertyType namespaceGuid Name propertyName', 'MapiPropertyType namespaceGuid Id propertyId' or 'MapiPropertyType propertyTag'.",
        'ErrorInvalidProperty',
      );
    }
    out.push({ id, value: String((p as Record<string, unknown>).value ?? '') });
  }
  return { list: out };
}

/**
 * `attachments` on a message sent on the fly: "When creating a file attachment, include the following in the request
 * body: "@odata.type": "#microsoft.graph.fileAttachment" - The required properties name and contentBytes" (fileAttachment
 * resource, v1.0), contentBytes base64. Item and reference attachments are not emulated (501, see DEVIATIONS.md).
 */
function fileAttachments(list: unknown): { list: { name: string; contentType?: string; contentBytes: string }[] } | Reply {
  if (list === undefined) return { list: [] };
  if (!Array.isArray(list)) return badRequest('attachments must be a list.', 'ErrorInvalidRequest');
  const out: { name: string; contentType?: string; contentBytes: string }[] = [];
  for (const a of list) {
    if (!isObject(a)) return badRequest('Each attachment must be an object.', 'ErrorInvalidRequest');
    const type = a['@odata.type'];
    if (type === undefined) return badRequest('The attachment needs its @odata.type (#microsoft.graph.fileAttachment).', 'ErrorInvalidRequest');
    if (type !== '#microsoft.graph.fileAttachment') return graphError(501, 'NotImplemented', `The emulator sends only #microsoft.graph.fileAttachment, not ${String(type)}.`);
    const unknown = Object.keys(a).find((k) => !['@odata.type', 'name', 'contentType', 'contentBytes', 'isInline', 'contentId'].includes(k));
    if (unknown) return unknownProperty(unknown, 'microsoft.graph.fileAttachment');
    if (typeof a.name !== 'string' || !a.name) return badRequest('The attachment name is required.', 'ErrorInvalidRequest');
    if (typeof a.contentBytes !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBytes) || a.contentBytes.length % 4 !== 0) {
      return badRequest('contentBytes must be the base64-encoded content of the file.', 'ErrorInvalidRequest');
    }
    out.push({ name: a.name, ...(typeof a.contentType === 'string' && { contentType: a.contentType }), contentBytes: a.contentBytes });
  }
  return { list: out };
}
