import { randomBytes } from 'node:crypto';
import { listen, type Reply } from '../http';
import { readState, writeState } from '../state-file';
import { applyRequests } from './batch-update';
import { documentJson } from './document-json';
import { loadApi } from './discovery';
import { FOLDER_MIME, newId, type DriveData, type DriveFile, type Role } from './drive-state';
import { createDirectory } from './directory';
import { createFaults, type GoogleFault } from './faults';
import { createTokenIssuer, type ServiceAccountRegistration } from './oauth';
import { createPush, type PushDelivery } from './push';
import { sandboxPage } from './pages';
import { createWriteQuota } from './quota';
import { route } from './router';

/**
 * A local Google Docs v1 + Drive v3 + OAuth token endpoint over real HTTP on 127.0.0.1, for the real
 * @googleapis clients (point `rootUrl` at `url`, the token URL at `tokenUrl`). Routes, parameters and bodies
 * are checked against Google's discovery documents; what differs from Google is in DEVIATIONS.md.
 */
export interface GoogleSandboxOptions {
  /** The Workspace domain whose users service accounts may impersonate. */
  domain?: string;
  /** Other domains whose addresses are Google accounts Drive may share with (a partner's Workspace; local mode's Playground people). */
  accountDomains?: string[];
  serviceAccounts?: ServiceAccountRegistration[];
  writesPerMinute?: number;
  now?: () => number;
  /** How long Drive push notifications wait to coalesce changes (default 100 ms; real Drive can take minutes). */
  pushDelayMs?: number;
  /**
   * Keep the sandbox's Drive in this JSON file across restarts (local mode). Each change is written before the
   * sandbox answers, so a doc Firebreak was told of is still there after a crash (kill -9).
   */
  stateFile?: string;
  /** People with names, for `lastModifyingUser` and as who may edit on the doc page (local mode: the Playground's). */
  people?: readonly { email: string; name: string }[];
  port?: number;
}

export interface GoogleCall {
  method: string;
  status: number;
  at: number;
  /** The document or file the call names (`documentId` / `fileId`), if any. */
  documentId?: string;
  /**
   * A batchUpdate's requests, one word each: the request kind, and for `createNamedRange` the name too
   * (`createNamedRange firebreak.field.title`), so a test can tell a fill from a timeline write.
   */
  requests?: string[];
}

export interface GoogleSandbox {
  url: string;
  tokenUrl: string;
  domain: string;
  registerServiceAccount(account: ServiceAccountRegistration): void;
  /** A shared drive with these members; returns its id (usable as a parent). */
  createSharedDrive(name: string, members: Record<string, Role>): string;
  /** A folder owned by `owner` (or inside a shared drive); returns its id. */
  createFolder(owner: string, name: string, opts?: { parent?: string }): string;
  fault(fault: GoogleFault | undefined): void;
  /** Every API call by discovery method id, with the status answered (0: connection dropped). */
  calls: GoogleCall[];
  /** A document as documents.get returns it to its owner, for assertions. */
  document(id: string): Record<string, any>;
  /** Edits a document the way a person in the Docs editor would: no API call, no quota, a new revision. */
  edit(id: string, requests: Record<string, unknown>[], by?: string): void;
  /** Push notifications sent to watch channels, with the receiver's answers. */
  pushes: PushDelivery[];
  /** The open watch channels (not stopped, maybe expired), with the resource id and token Drive sends with each message. */
  channels(): { id: string; fileId: string; resourceId: string; token?: string; expiration: number }[];
  files(): DriveFile[];
  writesUsed(user: string): number;
  close(): Promise<void>;
}

export async function startGoogleSandbox(opts: GoogleSandboxOptions = {}): Promise<GoogleSandbox> {
  const domain = opts.domain ?? 'example.com';
  const now = opts.now ?? Date.now;
  const data: DriveData = readState(opts.stateFile, () => ({ files: {}, drives: {}, docs: {} }), isDriveData);
  const issuer = createTokenIssuer({ serviceAccounts: opts.serviceAccounts ?? [], domain, now });
  const faults = createFaults();
  const quota = createWriteQuota(opts.writesPerMinute ?? 60, now);
  const apis = { docs: loadApi('docs'), drive: loadApi('drive') };
  const calls: GoogleCall[] = [];
  const push = createPush({ now, delayMs: opts.pushDelayMs ?? 100 });
  let base = '';

  // Written at once, not batched: an answer Firebreak received must not be lost to a crash right after it.
  const save = () => {
    if (opts.stateFile) writeState(opts.stateFile, data);
  };
  const newRevision = () => `ALm37B${randomBytes(18).toString('base64url')}`;
  const directory = createDirectory(domain, opts.accountDomains, opts.people);
  const deps = { apis, data: () => data, issuer, faults, quota, base: () => base, now, newRevision, onWrite: save, record: (c: GoogleCall) => calls.push(c), push, directory };
  const pages = {
    data: () => data,
    people: opts.people ?? [],
    hasAccount: (email: string) => directory.hasAccount(email),
    edit: { call: { base: '', now, newRevision, push, directory }, scopes: ['https://www.googleapis.com/auth/documents'] },
    onWrite: save,
  };

  const server = await listen(async (req, body): Promise<Reply> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'POST' && url.pathname === '/token') return issuer.token(body);
    return sandboxPage({ ...pages, edit: { ...pages.edit, call: { ...pages.edit.call, base } } }, req, url, body) ?? route(deps, req, url, body);
  }, opts.port ?? 0);
  base = server.url;

  const addFile = (file: Omit<DriveFile, 'id' | 'appProperties' | 'properties' | 'trashed' | 'createdTime' | 'modifiedTime' | 'permissions'>) => {
    const at = new Date(now()).toISOString();
    const full: DriveFile = { id: newId(), appProperties: {}, properties: {}, trashed: false, createdTime: at, modifiedTime: at, permissions: [], ...file };
    data.files[full.id] = full;
    save();
    return full.id;
  };

  return {
    url: base,
    tokenUrl: `${base}/token`,
    domain,
    registerServiceAccount: (account) => issuer.register(account),
    createSharedDrive(name, members) {
      const id = `0A${randomBytes(12).toString('base64url')}`;
      data.drives[id] = { id, name, members };
      save();
      return id;
    },
    createFolder(owner, name, o = {}) {
      const driveId = o.parent && data.drives[o.parent] ? o.parent : o.parent ? data.files[o.parent]?.driveId : undefined;
      return addFile({ name, mimeType: FOLDER_MIME, parents: [o.parent ?? `root:${owner}`], ...(driveId ? { driveId } : { owner }) });
    },
    fault: (f) => faults.set(f),
    calls,
    document(id) {
      return documentJson(data.docs[id], id, data.files[id]?.name ?? '');
    },
    edit(id, requests, by) {
      const working = structuredClone(data.docs[id]);
      applyRequests(working, requests);
      data.docs[id] = { ...working, revision: newRevision() };
      if (by && data.files[id]) data.files[id].lastModifiedBy = by;
      push.changed(data, id);
      save();
    },
    pushes: push.deliveries,
    channels: () => Object.values(data.channels ?? {}).map(({ id, fileId, resourceId, token, expiration }) => ({ id, fileId, resourceId, token, expiration })),
    files: () => Object.values(data.files),
    writesUsed: (user) => quota.used(user),
    async close() {
      push.close();
      save();
      await server.close();
    },
  };
}

/** A state file read back holds a Drive: files, drives and docs. */
function isDriveData(value: unknown): value is DriveData {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && ['files', 'drives', 'docs'].every((k) => typeof v[k] === 'object' && v[k] !== null);
}

export type { GoogleFault } from './faults';
export type { ServiceAccountRegistration } from './oauth';
