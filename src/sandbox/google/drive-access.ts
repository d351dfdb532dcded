import type { DriveCall } from './drive-call';
import { roleOf, type DriveFile } from './drive-state';
import { fail, SandboxError } from './errors';

/** What every Drive method checks first: may the caller see the file, may they change it. */
export function supportsAll(call: DriveCall): boolean {
  return call.query.get('supportsAllDrives') === 'true' || call.query.get('supportsTeamDrives') === 'true';
}

/**
 * The file, if the caller may see it (shared-drive items only with supportsAllDrives). Drive answers a file one may
 * not see exactly as one that does not exist: 404 "File not found", never a 403 that would confirm it is there.
 */
export function readable(call: DriveCall, id: string): DriveFile {
  const file = call.data.files[id];
  if (!file || (file.driveId && !supportsAll(call)) || !roleOf(call.data, call.caller, file)) throw fail.fileNotFound(id);
  return file;
}

export function insufficient(): SandboxError {
  return new SandboxError(403, 'The user does not have sufficient permissions for this file.', { reason: 'insufficientFilePermissions' });
}
