import type { Directory } from './directory';
import type { Caller, DriveData } from './drive-state';
import type { Push } from './push';

type Json = Record<string, any>;

/** One Drive or Docs method call as the handlers see it: the caller, the request, and the sandbox's state. */
export interface DriveCall {
  data: DriveData;
  caller: Caller;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  base: string;
  now: () => number;
  newRevision: () => string;
  push: Push;
  /** Who has a Google account: what sharing may name. */
  directory: Directory;
}

export interface Answer {
  status: number;
  body: unknown;
  /** The `fields` used when the request names none (Drive v3 answers only a few by default). */
  defaultFields?: string;
}

