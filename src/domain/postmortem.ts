import { addWorkingDays, localDate } from './followup-dates';
import type { Person } from './values';

/** As commands.ts and events.ts stamp theirs (not imported: they import this file). */
interface Base {
  at: string;
  by: Person;
}

/**
 * The postmortem (issue 18 items 4-6, DOMAIN.md "After"): resolving names its owner (the incident commander unless
 * someone else is named) and its due date, a number of working days later in the organisation's time zone; the
 * doc is assembled by an effect (`postmortem.create`) and recorded like the other resources (`postmortem`); the
 * review meeting is set by `postmortem review <when>`. What the organisation file says arrives on the command.
 */
export interface PostmortemTerms {
  dueWorkingDays: number;
  /** IANA name, e.g. Europe/Berlin: working days and the due date are counted on its calendar. */
  timeZone: string;
  /** Whether a postmortem doc can be made (Google is configured); absent: it can. */
  doc?: boolean;
}

export const DEFAULT_TERMS: PostmortemTerms = { dueWorkingDays: 5, timeZone: 'UTC' };

export interface PostmortemStarted extends Base {
  type: 'PostmortemStarted';
  owner: Person;
  /** The calendar date it is due (YYYY-MM-DD) in `timeZone`. */
  due: string;
  timeZone: string;
  /** No doc is made (Google is not configured): nothing is shown as being assembled. */
  doc?: false;
}
export interface PostmortemOwnerChanged extends Base {
  type: 'PostmortemOwnerChanged';
  from: Person;
  to: Person;
}
/** The review meeting was asked for: the meeting and its invitations are effects. */
export interface PostmortemReviewScheduled extends Base {
  type: 'PostmortemReviewScheduled';
  start: string;
  end: string;
}
export type PostmortemEvent = PostmortemStarted | PostmortemOwnerChanged | PostmortemReviewScheduled;

export interface ChangePostmortemOwner extends Base {
  type: 'ChangePostmortemOwner';
  to: Person;
}
export interface SchedulePostmortemReview extends Base {
  type: 'SchedulePostmortemReview';
  start: string;
  /** Minutes; 60 when not given. */
  minutes?: number;
}
export type PostmortemCommand = ChangePostmortemOwner | SchedulePostmortemReview;

export interface PostmortemState {
  owner: Person;
  due: string;
  timeZone: string;
  review?: { start: string; end: string };
}

/** Resolving starts the postmortem once: a reopened and again resolved incident keeps its owner, doc and date. */
export function startOnResolve(current: PostmortemState | undefined, commander: Person, at: string, by: Person, terms: PostmortemTerms = DEFAULT_TERMS): PostmortemStarted[] {
  if (current) return [];
  const due = workingDaysAfter(at, terms.dueWorkingDays, terms.timeZone);
  return [{ type: 'PostmortemStarted', owner: commander, due, timeZone: terms.timeZone, ...(terms.doc === false && { doc: false as const }), at, by }];
}

export function decidePostmortem(command: PostmortemCommand, current: PostmortemState | undefined, resolved: boolean): PostmortemEvent[] | { refused: string } {
  if (!current || !resolved) return { refused: 'There is no postmortem yet: it starts when the incident is resolved ("resolve confirm [summary]").' };
  const { at, by } = command;
  switch (command.type) {
    case 'ChangePostmortemOwner':
      if (command.to.id === current.owner.id) return [];
      return [{ type: 'PostmortemOwnerChanged', from: current.owner, to: command.to, at, by }];
    case 'SchedulePostmortemReview': {
      const start = Date.parse(command.start);
      if (!Number.isFinite(start)) return { refused: 'That time could not be read: give it as YYYY-MM-DD HH:MM.' };
      if (start <= Date.parse(at)) return { refused: 'The review must be in the future.' };
      const minutes = command.minutes ?? 60;
      if (!Number.isInteger(minutes) || minutes < 15 || minutes > 240) return { refused: 'A review lasts 15 to 240 minutes.' };
      const end = new Date(start + minutes * 60_000).toISOString();
      const iso = new Date(start).toISOString();
      if (current.review?.start === iso && current.review.end === end) return [];
      return [{ type: 'PostmortemReviewScheduled', start: iso, end, at, by }];
    }
    default: {
      const never: never = command;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}

export function evolvePostmortem(current: PostmortemState | undefined, event: PostmortemEvent): PostmortemState | undefined {
  switch (event.type) {
    case 'PostmortemStarted':
      return { owner: event.owner, due: event.due, timeZone: event.timeZone };
    case 'PostmortemOwnerChanged':
      return current && { ...current, owner: event.to };
    case 'PostmortemReviewScheduled':
      return current && { ...current, review: { start: event.start, end: event.end } };
    default: {
      const never: never = event;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The calendar date `days` working days (Monday to Friday) after the date `at` falls on in `timeZone`: resolved on a
 * Friday, five working days is the next Friday; on a Saturday or Sunday, the Friday after the coming week.
 * Public holidays are not known. @example workingDaysAfter('2026-12-07T03:00:00Z', 5, 'America/Los_Angeles') // '2026-12-11'
 */
export function workingDaysAfter(at: string, days: number, timeZone: string): string {
  return addWorkingDays(localDate(at, timeZone), days);
}
