import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * An emulator's state kept in one JSON file of the data folder (local mode), so what Firebreak was told exists
 * (a channel, a bridge, a mail, a doc) still exists after a restart. Written before the emulator answers: a write
 * the caller heard of is on disk, even if the process is killed the next moment (kill -9). Each write goes to a
 * temporary file, is flushed, and replaces the old file by rename, so a reader finds the old state or the new
 * one, never half of one.
 */
export function readState<T>(file: string | undefined, empty: () => T, check: (value: unknown) => value is T): T {
  if (!file || !existsSync(file)) return empty();
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not readable JSON (${(err as Error).message}); move it away to start the emulator empty`);
  }
  if (!check(value)) throw new Error(`${file} does not hold this emulator's state; move it away to start the emulator empty`);
  return value;
}

export function writeState(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(value));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  // The rename itself is durable once the folder is flushed (POSIX); Windows cannot open a folder for that.
  if (process.platform !== 'win32') {
    const dir = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
