import { randomBytes } from 'node:crypto';
import type { DocState } from './document';

/**
 * What the sandbox's Drive holds: files (Google Docs, folders), shared drives, and who may see what.
 * Access follows Drive's model closely enough for Firebreak's calls: owners and permissions (user, domain,
 * anyone), inherited from parent folders; shared-drive files have no owner and belong to the drive's members.
 */
export const DOC_MIME = 'application/vnd.google-apps.document';
export const FOLDER_MIME = 'application/vnd.google-apps.folder';

export type Role = 'owner' | 'organizer' | 'fileOrganizer' | 'writer' | 'commenter' | 'reader';
const RANK: Record<Role, number> = { owner: 6, organizer: 5, fileOrganizer: 4, writer: 3, commenter: 2, reader: 1 };

export interface Permission {
  id: string;
  type: 'user' | 'group' | 'domain' | 'anyone';
  role: Role;
  emailAddress?: string;
  domain?: string;
  allowFileDiscovery?: boolean;
}

/** A Drive push channel (push.ts): where a watched file's changes are announced, until it expires or is stopped. */
export interface ChannelState {
  id: string;
  resourceId: string;
  fileId: string;
  address: string;
  token?: string;
  /** Unix ms. */
  expiration: number;
  owner: string;
  messages: number;
}

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  /** Folder ids, a shared drive id, or a user's My Drive root (`root:<email>`). */
  parents: string[];
  /** Set when the file lives in a shared drive. */
  driveId?: string;
  /** The owning user; shared-drive files have none. */
  owner?: string;
  appProperties: Record<string, string>;
  properties: Record<string, string>;
  description?: string;
  trashed: boolean;
  createdTime: string;
  modifiedTime: string;
  permissions: Permission[];
  /** Who made the last change (Drive's `lastModifyingUser`), when it was a person or an impersonated user. */
  lastModifiedBy?: string;
}

export interface SharedDrive {
  id: string;
  name: string;
  members: Record<string, Role>;
}

/** Who a request acts as: the impersonated user, or a service account acting as itself. */
export interface Caller {
  email: string;
  serviceAccount: boolean;
  scopes: string[];
}

export interface DriveData {
  files: Record<string, DriveFile>;
  drives: Record<string, SharedDrive>;
  docs: Record<string, DocState>;
  /** Push notification channels (files.watch), by channel id. */
  channels?: Record<string, ChannelState>;
}

export function newId(): string {
  // Drive ids are 33-44 URL-safe characters.
  return `1${randomBytes(24).toString('base64url')}`;
}

export function rootOf(email: string): string {
  return `root:${email}`;
}

/** The highest role `caller` holds on `file`, directly, through a folder above it, or through its shared drive. */
export function roleOf(data: DriveData, caller: Caller, file: DriveFile, seen = new Set<string>()): Role | undefined {
  if (seen.has(file.id)) return undefined;
  seen.add(file.id);
  const roles: Role[] = [];
  if (file.owner === caller.email) roles.push('owner');
  const domain = caller.email.split('@')[1];
  for (const p of file.permissions) {
    if (p.type === 'anyone' || (p.type === 'user' && p.emailAddress === caller.email) || (p.type === 'domain' && p.domain === domain)) roles.push(p.role);
  }
  if (file.driveId) {
    const member = data.drives[file.driveId]?.members[caller.email];
    if (member) roles.push(member);
  }
  for (const parent of file.parents) {
    const folder = data.files[parent];
    const inherited = folder ? roleOf(data, caller, folder, seen) : undefined;
    if (inherited) roles.push(inherited === 'owner' ? 'writer' : inherited);
  }
  return roles.sort((a, b) => RANK[b] - RANK[a])[0];
}

export function canWrite(role: Role | undefined): boolean {
  return role !== undefined && RANK[role] >= RANK.writer;
}
