import { randomInt } from 'node:crypto';
import { insufficient, readable } from './drive-access';
import type { Answer, DriveCall } from './drive-call';
import { canWrite, roleOf, type Permission, type Role } from './drive-state';
import { fail, SandboxError } from './errors';

/**
 * Drive v3 `permissions.create` and `permissions.list`
 * (https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/create), refusing what Drive
 * refuses. The wordings marked "Drive's" were seen in Drive's answers; the others are the sandbox's own (Drive
 * documents the status and reason, not the message) and are listed in DEVIATIONS.md.
 */
const PERMISSION_DEFAULT = 'kind,id,type,role';
const TYPES = ['user', 'group', 'domain', 'anyone'];
const ROLES = ['owner', 'organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'];

export const permissionHandlers: Record<string, (call: DriveCall) => Answer> = {
  'drive.permissions.create'(call) {
    const file = readable(call, call.params.fileId);
    if (!canWrite(roleOf(call.data, call.caller, file))) throw insufficient();
    const { type, role, emailAddress, domain, allowFileDiscovery } = call.body as Partial<Permission>;
    checkGrantee(call, String(type), String(role), emailAddress, domain);
    // The same grantee twice gets the one permission, updated: sharing is idempotent.
    const same = file.permissions.find((p) => p.type === type && p.emailAddress === emailAddress && p.domain === domain);
    const permission: Permission = same ?? { id: String(randomInt(1e9, 1e10 - 1)) + String(randomInt(1e9, 1e10 - 1)), type: type!, role: role as Role };
    Object.assign(permission, { role, ...(emailAddress ? { emailAddress } : {}), ...(domain ? { domain, allowFileDiscovery: allowFileDiscovery ?? false } : {}) });
    if (!same) file.permissions.push(permission);
    return { status: 200, body: { kind: 'drive#permission', ...permission }, defaultFields: PERMISSION_DEFAULT };
  },

  'drive.permissions.list'(call) {
    const file = readable(call, call.params.fileId);
    const owner = file.owner ? [{ kind: 'drive#permission', id: `owner-${file.owner}`, type: 'user', role: 'owner', emailAddress: file.owner }] : [];
    const permissions = [...owner, ...file.permissions.map((p) => ({ kind: 'drive#permission', ...p }))];
    return { status: 200, body: { kind: 'drive#permissionList', permissions }, defaultFields: `kind,nextPageToken,permissions(${PERMISSION_DEFAULT})` };
  },
};

/** The grant Drive would refuse, in the order the sandbox checks it: the fields, then who the grantee is. */
function checkGrantee(call: DriveCall, type: string, role: string, emailAddress: string | undefined, domain: string | undefined): void {
  // `type` and `role` missing are refused by the discovery check ("The permission type field is required.", Drive's).
  if (!TYPES.includes(type)) throw invalid('type', `The permission type "${type}" is not one of ${TYPES.join(', ')}.`);
  if (!ROLES.includes(role)) throw invalid('role', `The permission role "${role}" is not one of ${ROLES.join(', ')}.`);
  if (role === 'owner' || role === 'organizer' || role === 'fileOrganizer') throw fail.notEmulated(`granting the ${role} role`);
  const person = type === 'user' || type === 'group';
  if (person && !emailAddress) throw required('emailAddress', `The emailAddress field is required for permissions of type '${type}'.`);
  // Drive's: "The domain field is required for permissions of type 'domain'." (required).
  if (type === 'domain' && !domain) throw required('domain', "The domain field is required for permissions of type 'domain'.");
  // Drive's: an address or a domain where the type takes none is "invalid or not applicable for the given permission type".
  if (!person && emailAddress) throw invalid('emailAddress', 'The specified emailAddress is invalid or not applicable for the given permission type.');
  if (type !== 'domain' && domain) throw invalid('domain', 'The specified domain is invalid or not applicable for the given permission type.');
  const notify = call.query.get('sendNotificationEmail');
  if (!person && notify !== null) {
    // Drive's, 403 forbidden: the parameter "is not allowed for other requests" (permissions.create reference).
    throw new SandboxError(403, "The sendNotificationEmail parameter is only applicable for permissions of type 'user' or 'group', and must not be disabled for ownership transfers.", {
      reason: 'forbidden',
      location: 'sendNotificationEmail',
    });
  }
  // Drive's: a domain that is not a Google Workspace (or Cloud Identity) domain.
  if (type === 'domain' && !call.directory.knowsDomain(domain!)) throw invalid('domain', 'The specified domain is invalid or not applicable for the given permission type.');
  if (person && notify === 'false' && !call.directory.hasAccount(emailAddress!)) {
    // Drive's: sharing silently needs a Google account; anyone else can only be invited by email.
    throw new SandboxError(
      400,
      `Bad Request. User message: "You are trying to invite ${emailAddress}. Since there is no Google account associated with this email address, you must check the "Notify people" box to invite this recipient."`,
      { reason: 'invalidSharingRequest' },
    );
  }
}

const invalid = (field: string, message: string) => fail.badRequest(message, { reason: 'invalid', location: `permission.${field}`, locationType: 'other' });
const required = (field: string, message: string) => fail.badRequest(message, { reason: 'required', location: `permission.${field}`, locationType: 'other' });
