/** The plain values incidents and their events are made of (no behaviour, no imports). */

export type Severity = 1 | 2 | 3 | 4;
export type Phase = 0 | 1 | 2 | 3;

/** Someone who acts in an incident. `id` is stable per channel (a Teams user id, or `google:<email>`). */
export interface Person {
  id: string;
  name: string;
  aadObjectId?: string;
  email?: string;
}

export type RoleName = 'comms' | 'customer' | 'business' | 'sme';

export interface Roles {
  comms?: Person;
  customer?: Person;
  business?: Person;
  sme: Person[];
}

/** Where a conversation lives, enough for a connector to post into it later. */
export interface Conversation {
  id: string;
  serviceUrl: string;
  tenantId?: string;
  /** A Teams channel (team) conversation rather than a chat. */
  isChannel?: boolean;
  teamId?: string;
  channelId?: string;
}

/**
 * Why someone of a private incident could not be given its doc: Firebreak knows no email address for them (Teams
 * gave none), or the address has no Google account, so only an email invitation could reach them.
 */
export type NotSharedReason = 'no-email' | 'no-google-account';

export interface NotShared {
  person: Person;
  reason: NotSharedReason;
}

/** How an incident was found: a monitor fired, a colleague noticed, or a customer told us (a monitoring blind spot). */
export type Detection = 'monitoring' | 'colleague' | 'customer';

/** The coordination resources assembled for an incident by outside systems (the postmortem doc once resolved). */
export type ResourceKind = 'channel' | 'bridge' | 'doc' | 'postmortem';
