import type { Person } from './values';

/**
 * The events and the command of the organisation's policy (breaks.ts, escalation.ts, handoff.ts), as plain types:
 * events.ts and commands.ts import them, so this file imports nothing that imports them back.
 */
interface Base {
  at: string;
  by: Person;
}

/** The team takes a break (issue 18 items 1-2): impact ended, or a long procedure is about to start. */
export interface BreakStarted extends Base {
  type: 'BreakStarted';
  /** ISO time the team is back. */
  until: string;
  reason: 'impact-ended' | 'procedure';
  /** The procedure about to start (reason `procedure`). */
  procedure?: string;
}

/** An incident manager named in the organisation file, as far as notifying them needs. */
export interface Manager {
  name: string;
  email?: string;
  /** Their Entra object id (or Teams user id): a 1:1 chat from the bot, else an @mention in the incident's conversation. */
  teamsId?: string;
}

/** Asked by the escalation effect when an update is still overdue by the policy's threshold (issue 17 item 7). */
export interface EscalateOverdueUpdate extends Base {
  type: 'EscalateOverdueUpdate';
  /** The due time that was missed: one escalation per overdue period. */
  due: string;
  managers: Manager[];
}

/** The incident managers were told that the update due at `due` has not gone out; on the timeline. */
export interface UpdateOverdueEscalated extends Base {
  type: 'UpdateOverdueEscalated';
  due: string;
  managers: Manager[];
}

/** A `note verified: …` entry: what was checked and how (seed 002: trust but verify). */
export interface Verified {
  text: string;
  at: string;
  by: Person;
}
