import { emptyDoc } from './document';
import type { Answer, DriveCall } from './drive-call';
import { insufficient, readable, supportsAll } from './drive-access';
import { permissionHandlers } from './drive-permissions';
import { canWrite, DOC_MIME, newId, roleOf, rootOf, type DriveFile } from './drive-state';
import { parseQuery } from './drive-query';
import { fail, SandboxError } from './errors';

export type { Answer, DriveCall } from './drive-call';

/**
 * Drive v3 `files` and `permissions` methods Firebreak calls (https://developers.google.com/workspace/drive/api/reference/rest/v3).
 * Items in shared drives are invisible unless the request says `supportsAllDrives=true`: Drive answers
 * "File not found" for them, which is the classic way a shared-drive integration fails in production.
 */
type Json = Record<string, any>;

const FILE_DEFAULT = 'kind,id,name,mimeType';

export const driveHandlers: Record<string, (call: DriveCall) => Answer> = {
  'drive.files.get': (call) => ({ status: 200, body: fileJson(call, readable(call, call.params.fileId)), defaultFields: FILE_DEFAULT }),

  'drive.files.copy'(call) {
    const source = readable(call, call.params.fileId);
    const file = place(call, call.body.name ?? `Copy of ${source.name}`, source.mimeType);
    const doc = call.data.docs[source.id];
    if (doc) call.data.docs[file.id] = { ...structuredClone(doc), revision: call.newRevision() };
    return { status: 200, body: fileJson(call, file), defaultFields: FILE_DEFAULT };
  },

  'drive.files.create'(call) {
    const mimeType = call.body.mimeType ?? 'application/octet-stream';
    const file = place(call, call.body.name ?? 'Untitled', mimeType);
    if (mimeType === DOC_MIME) call.data.docs[file.id] = emptyDoc(call.newRevision());
    return { status: 200, body: fileJson(call, file), defaultFields: FILE_DEFAULT };
  },

  'drive.files.update'(call) {
    if (call.query.has('addParents') || call.query.has('removeParents')) throw fail.notEmulated('moving files (addParents/removeParents)');
    const file = readable(call, call.params.fileId);
    if (!canWrite(roleOf(call.data, call.caller, file))) throw insufficient();
    const { name, description, trashed, appProperties, properties } = call.body;
    if (name !== undefined) file.name = name;
    if (description !== undefined) file.description = description;
    if (trashed !== undefined) file.trashed = Boolean(trashed);
    // appProperties and properties are merged key by key; a null value removes the key.
    for (const [changes, into] of [[appProperties, file.appProperties], [properties, file.properties]] as const) {
      for (const [k, v] of Object.entries(changes ?? {})) {
        if (v === null) delete into[k];
        else into[k] = String(v);
      }
    }
    file.modifiedTime = new Date(call.now()).toISOString();
    file.lastModifiedBy = call.caller.email;
    call.push.changed(call.data, file.id);
    return { status: 200, body: fileJson(call, file), defaultFields: FILE_DEFAULT };
  },

  'drive.files.delete'(call) {
    const file = readable(call, call.params.fileId);
    const role = roleOf(call.data, call.caller, file);
    if (role !== 'owner' && role !== 'organizer') throw insufficient();
    delete call.data.files[file.id];
    delete call.data.docs[file.id];
    return { status: 204, body: undefined };
  },

  'drive.files.watch'(call) {
    const file = readable(call, call.params.fileId);
    const channel = call.push.watch(call.data, file.id, call.caller.email, call.body);
    const { id, resourceId, token, expiration } = channel;
    const body = { kind: 'api#channel', id, resourceId, resourceUri: `https://www.googleapis.com/drive/v3/files/${file.id}?alt=json&supportsAllDrives=true`, ...(token ? { token } : {}), expiration: String(expiration) };
    return { status: 200, body };
  },

  'drive.channels.stop'(call) {
    call.push.stop(call.data, call.caller.email, call.body);
    return { status: 204, body: undefined };
  },

  'drive.files.list'(call) {
    const q = call.query;
    const allDrives = q.get('includeItemsFromAllDrives') === 'true';
    const corpora = q.get('corpora') ?? 'user';
    if ((corpora === 'drive' || corpora === 'allDrives') && !(allDrives && supportsAll(call))) {
      throw fail.badRequest(`The includeItemsFromAllDrives and supportsAllDrives parameters must be set to true when corpora is ${corpora}.`, {
        reason: 'invalid',
        location: 'corpora',
      });
    }
    if (corpora === 'drive' && !q.get('driveId')) throw fail.badRequest('The driveId parameter is required when corpora is drive.', { reason: 'required', location: 'driveId' });
    if (corpora === 'domain') throw fail.notEmulated('files.list with corpora=domain');
    const matches = q.get('q') ? parseQuery(q.get('q')!, { root: rootOf(call.caller.email) }) : () => true;
    const files = Object.values(call.data.files).filter((f) => {
      if (!roleOf(call.data, call.caller, f)) return false;
      if (corpora === 'user' && f.driveId) return false;
      if (corpora === 'drive' && f.driveId !== q.get('driveId')) return false;
      return matches(f);
    });
    sortFiles(files, q.get('orderBy'));
    const size = Math.min(Number(q.get('pageSize') ?? 100), 1000);
    const offset = Number(q.get('pageToken') ? Buffer.from(q.get('pageToken')!, 'base64url').toString() : 0);
    const page = files.slice(offset, offset + size);
    const nextPageToken = offset + size < files.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
    return {
      status: 200,
      body: { kind: 'drive#fileList', incompleteSearch: false, ...(nextPageToken ? { nextPageToken } : {}), files: page.map((f) => fileJson(call, f)) },
      defaultFields: `kind,incompleteSearch,nextPageToken,files(${FILE_DEFAULT})`,
    };
  },

  ...permissionHandlers,
};

/** A new file under the requested parent (My Drive root when none), with the caller's rights checked. */
function place(call: DriveCall, name: string, mimeType: string): DriveFile {
  const parents: string[] = call.body.parents ?? ['root'];
  if (parents.length !== 1) throw new SandboxError(403, 'A file must have exactly one parent.', { reason: 'cannotAddParent' });
  let parent = parents[0];
  let driveId: string | undefined;
  const drive = call.data.drives[parent];
  if (parent === 'root') {
    parent = rootOf(call.caller.email);
  } else if (drive) {
    if (!supportsAll(call) || !drive.members[call.caller.email]) throw fail.fileNotFound(parent);
    if (!canWrite(drive.members[call.caller.email])) throw insufficient();
    driveId = drive.id;
  } else {
    const folder = readable(call, parent);
    if (!canWrite(roleOf(call.data, call.caller, folder))) throw insufficient();
    driveId = folder.driveId;
  }
  if (!driveId && call.caller.serviceAccount) {
    // Service accounts own no storage: a file in "their" My Drive fails; impersonate a user or use a shared drive.
    throw new SandboxError(403, "The user's Drive storage quota has been exceeded.", { reason: 'storageQuotaExceeded', domain: 'usageLimits' });
  }
  const at = new Date(call.now()).toISOString();
  const file: DriveFile = {
    id: newId(),
    name,
    mimeType,
    parents: [parent],
    ...(driveId ? { driveId } : { owner: call.caller.email }),
    appProperties: stringValues(call.body.appProperties),
    properties: stringValues(call.body.properties),
    ...(call.body.description ? { description: call.body.description } : {}),
    trashed: false,
    createdTime: at,
    modifiedTime: at,
    permissions: [],
  };
  call.data.files[file.id] = file;
  return file;
}

function fileJson(call: DriveCall, f: DriveFile): Json {
  const role = roleOf(call.data, call.caller, f);
  return {
    kind: 'drive#file',
    id: f.id,
    name: f.name,
    mimeType: f.mimeType,
    parents: f.parents,
    ...(f.driveId ? { driveId: f.driveId } : {}),
    appProperties: f.appProperties,
    properties: f.properties,
    ...(f.description ? { description: f.description } : {}),
    trashed: f.trashed,
    createdTime: f.createdTime,
    modifiedTime: f.modifiedTime,
    webViewLink: f.mimeType === DOC_MIME ? `${call.base}/sandbox/docs/${f.id}` : `${call.base}/sandbox/files/${f.id}`,
    ...(f.owner ? { owners: [{ kind: 'drive#user', emailAddress: f.owner, displayName: f.owner, me: f.owner === call.caller.email }] } : {}),
    ownedByMe: f.owner === call.caller.email,
    // Drive names the person: the sandbox knows the names it was given (local mode's people), else shows the address.
    ...(f.lastModifiedBy ? { lastModifyingUser: { kind: 'drive#user', displayName: call.directory.displayName(f.lastModifiedBy), emailAddress: f.lastModifiedBy, me: f.lastModifiedBy === call.caller.email } } : {}),
    permissionIds: f.permissions.map((p) => p.id),
    capabilities: { canEdit: canWrite(role), canShare: canWrite(role) },
  };
}

function sortFiles(files: DriveFile[], orderBy: string | null): void {
  const keys = (orderBy ?? 'createdTime').split(',').map((k) => k.trim().split(/\s+/));
  for (const [key] of keys) {
    if (!['createdTime', 'modifiedTime', 'name'].includes(key)) throw fail.notEmulated(`files.list orderBy=${key}`);
  }
  files.sort((a, b) => {
    for (const [key, dir] of keys) {
      const x = String(a[key as 'name']);
      const y = String(b[key as 'name']);
      if (x !== y) return (x < y ? -1 : 1) * (dir === 'desc' ? -1 : 1);
    }
    return a.id < b.id ? -1 : 1;
  });
}

function stringValues(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((v ?? {}) as Json).filter(([, x]) => x !== null).map(([k, x]) => [k, String(x)]));
}
