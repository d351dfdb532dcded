import { applyRequests } from './batch-update';
import { emptyDoc } from './document';
import { documentJson } from './document-json';
import type { Answer, DriveCall } from './drive-call';
import { canWrite, DOC_MIME, newId, roleOf, rootOf, type DriveFile } from './drive-state';
import { EditError, NotEmulated } from './edits';
import { fail, SandboxError } from './errors';

/** Docs v1 `documents.get`, `documents.create` and `documents.batchUpdate` over the sandbox's Drive. */
export const docsHandlers: Record<string, (call: DriveCall) => Answer> = {
  'docs.documents.get'(call) {
    const { file, doc } = open(call);
    const json = documentJson(doc, file.id, file.name, { includeTabsContent: call.query.get('includeTabsContent') === 'true' });
    // "revisionId ... is only populated for users with edit access" (Document reference).
    if (!canWrite(roleOf(call.data, call.caller, file))) delete json.revisionId;
    return { status: 200, body: json };
  },

  'docs.documents.create'(call) {
    if (call.caller.serviceAccount) {
      throw new SandboxError(403, "The user's Drive storage quota has been exceeded.", { status: 'PERMISSION_DENIED' });
    }
    const at = new Date(call.now()).toISOString();
    const file: DriveFile = {
      id: newId(),
      name: call.body.title ?? 'Untitled document',
      mimeType: DOC_MIME,
      parents: [rootOf(call.caller.email)],
      owner: call.caller.email,
      appProperties: {},
      properties: {},
      trashed: false,
      createdTime: at,
      modifiedTime: at,
      permissions: [],
    };
    call.data.files[file.id] = file;
    call.data.docs[file.id] = emptyDoc(call.newRevision());
    return { status: 200, body: documentJson(call.data.docs[file.id], file.id, file.name) };
  },

  'docs.documents.batchUpdate'(call) {
    const { file, doc } = open(call);
    if (!canWrite(roleOf(call.data, call.caller, file))) throw fail.forbidden('The caller does not have permission');
    const requests = call.body.requests ?? [];
    if (!requests.length) throw fail.badRequest('Must specify at least one request.');
    const control = call.body.writeControl ?? {};
    if (control.requiredRevisionId && control.requiredRevisionId !== doc.revision) {
      // Documented as a 400; the wording is not documented, so clients must not parse it.
      throw new SandboxError(400, `The document was modified after revision ${control.requiredRevisionId}; the current revision is ${doc.revision}.`, {
        status: 'FAILED_PRECONDITION',
      });
    }
    if (control.targetRevisionId && control.targetRevisionId !== doc.revision) throw fail.notEmulated('writeControl.targetRevisionId on an older revision (merging with collaborator changes)');
    const working = structuredClone(doc);
    let result;
    try {
      result = applyRequests(working, requests);
    } catch (err) {
      if (err instanceof EditError) throw fail.badRequest(err.message);
      if (err instanceof NotEmulated) throw fail.notEmulated(err.message);
      throw err;
    }
    if (result.changed) {
      working.revision = call.newRevision();
      call.data.docs[file.id] = working;
      file.modifiedTime = new Date(call.now()).toISOString();
      file.lastModifiedBy = call.caller.email;
      call.push.changed(call.data, file.id);
    }
    const revision = call.data.docs[file.id].revision;
    return { status: 200, body: { documentId: file.id, replies: result.replies, writeControl: { requiredRevisionId: revision } } };
  },
};

function open(call: DriveCall) {
  const id = call.params.documentId;
  const file = call.data.files[id];
  const doc = call.data.docs[id];
  if (!file || !doc) throw fail.notFound('Requested entity was not found.');
  if (!roleOf(call.data, call.caller, file)) throw fail.forbidden('The caller does not have permission');
  return { file, doc };
}
