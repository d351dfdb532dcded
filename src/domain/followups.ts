import { horizonOf, localDate, nextDigest, parseDue, reminderTimes } from './followup-dates';
import type { Person } from './values';
import { LIMITS } from './vocabulary';

/** As commands.ts and events.ts stamp theirs (not imported: they import this file). */
interface Base {
  at: string;
  by: Person;
}

/**
 * Follow-up items (issue 18 items 8-9, seeds 001 and 004): what must be done after the incident, each with an owner
 * and a due date. Only items due within the organisation's window are assigned now ("now": they need an owner); the
 * rest go to planning. They are the incident's, numbered from 1, and can be written after it is resolved (most are).
 * What the organisation file says (window, time zone, reminder hour) arrives on the command, like time.
 * (`action` stays the log of destructive steps: a follow-up is a different thing.)
 */
export interface FollowUpPolicy {
  /** Working days ahead that count as "now" (default 5). */
  windowDays: number;
  timeZone: string;
  /** The local hour reminders and the Monday digest go out at. */
  hour: number;
  /** The Microsoft Planner plan planning items are exported to (issue 18 item 10); absent: no export. */
  plannerPlanId?: string;
  /** How often done and deleted tasks are read back from Planner; absent: never (the export is one-way). */
  plannerPollMinutes?: number;
}

export type FollowUpStatus = 'open' | 'done' | 'cancelled';

export interface FollowUp {
  /** 1, 2, 3… within the incident: what `followup done <n>` names. */
  n: number;
  text: string;
  owner?: Person;
  /** A calendar date in the organisation's time zone. */
  due?: string;
  horizon: 'now' | 'planning';
  status: FollowUpStatus;
  addedAt: string;
  addedBy: Person;
  closedAt?: string;
  /** Its task in Microsoft Planner, once exported. */
  planner?: { planId: string; taskId: string };
}

export interface AddFollowUp extends Base {
  type: 'AddFollowUp';
  text: string;
  owner?: Person;
  /** As typed after `due` (a date, "in N days", a weekday); read against the organisation's date now. */
  due?: string;
  policy: FollowUpPolicy;
}
export interface SetFollowUpOwner extends Base {
  type: 'SetFollowUpOwner';
  n: number;
  owner: Person;
}
export interface CloseFollowUp extends Base {
  type: 'CloseFollowUp';
  n: number;
  outcome: 'done' | 'cancelled';
}
/** The export made the item's Planner task (a system fact); `poll` starts the read-back when it is on. */
export interface RecordPlannerTask extends Base {
  type: 'RecordPlannerTask';
  n: number;
  planId: string;
  taskId: string;
  /** When the repeating Planner read-back first looks (now + the poll interval); absent when it is off. */
  poll?: string;
}
export type FollowUpCommand = AddFollowUp | SetFollowUpOwner | CloseFollowUp | RecordPlannerTask;

export interface FollowUpAdded extends Base {
  type: 'FollowUpAdded';
  item: Pick<FollowUp, 'n' | 'text' | 'owner' | 'due' | 'horizon'>;
  /** When its owner is reminded (the working day before it is due; the working day after, if still open). */
  remind?: { dayBefore: string; overdue: string };
  /** The next Monday digest (its local date and instant): the service's one repeating digest starts then if none runs. */
  digest: { date: string; at: string };
  /** A planning item goes to this Planner plan (src/workers/effects/followup-export.ts). */
  planner?: { planId: string };
}
export interface FollowUpOwnerSet extends Base {
  type: 'FollowUpOwnerSet';
  n: number;
  owner: Person;
}
export interface FollowUpClosed extends Base {
  type: 'FollowUpClosed';
  n: number;
  outcome: 'done' | 'cancelled';
}
export interface FollowUpExported extends Base {
  type: 'FollowUpExported';
  n: number;
  planner: { planId: string; taskId: string };
  poll?: string;
}
export type FollowUpEvent = FollowUpAdded | FollowUpOwnerSet | FollowUpClosed | FollowUpExported;

export const FOLLOW_UP_COMMANDS: readonly string[] = ['AddFollowUp', 'SetFollowUpOwner', 'CloseFollowUp', 'RecordPlannerTask'];

export function decideFollowUp(command: FollowUpCommand, items: readonly FollowUp[] = []): FollowUpEvent[] | { refused: string } {
  const { at, by } = command;
  switch (command.type) {
    case 'AddFollowUp': {
      const text = command.text.trim();
      if (!text) return { refused: 'A follow-up needs some text: what must be done?' };
      if (text.length > LIMITS.note) return { refused: `That follow-up is ${text.length} characters; the limit is ${LIMITS.note}.` };
      const { policy } = command;
      const today = localDate(at, policy.timeZone);
      let due: string | undefined;
      if (command.due !== undefined) {
        const parsed = parseDue(command.due, today);
        if ('refused' in parsed) return parsed;
        due = parsed.due;
      }
      const n = Math.max(0, ...items.map((i) => i.n)) + 1;
      const horizon = horizonOf(due, today, policy.windowDays);
      const item = { n, text, ...(command.owner && { owner: command.owner }), ...(due && { due }), horizon };
      const digest = nextDigest(at, policy.timeZone, policy.hour);
      const planner = horizon === 'planning' && policy.plannerPlanId ? { planId: policy.plannerPlanId } : undefined;
      return [{ type: 'FollowUpAdded', item, ...(due && { remind: reminderTimes(due, policy.timeZone, policy.hour) }), digest, ...(planner && { planner }), at, by }];
    }
    case 'SetFollowUpOwner': {
      const item = openItem(items, command.n);
      if ('refused' in item) return item;
      if (item.owner?.id === command.owner.id) return [];
      return [{ type: 'FollowUpOwnerSet', n: command.n, owner: command.owner, at, by }];
    }
    case 'CloseFollowUp': {
      const known = items.find((i) => i.n === command.n);
      if (known && known.status === command.outcome) return [];
      const item = openItem(items, command.n);
      if ('refused' in item) return item;
      return [{ type: 'FollowUpClosed', n: command.n, outcome: command.outcome, at, by }];
    }
    case 'RecordPlannerTask': {
      const item = items.find((i) => i.n === command.n);
      if (!item) return { refused: `There is no follow-up #${command.n} here.` };
      if (item.planner?.taskId === command.taskId) return [];
      const { n, planId, taskId, poll } = command;
      return [{ type: 'FollowUpExported', n, planner: { planId, taskId }, ...(poll && { poll }), at, by }];
    }
    default:
      return assertNever(command);
  }
}

function openItem(items: readonly FollowUp[], n: number): FollowUp | { refused: string } {
  const item = items.find((i) => i.n === n);
  if (!item) return { refused: items.length ? `There is no follow-up #${n} here; they are numbered ${items.map((i) => `#${i.n}`).join(', ')}.` : `There is no follow-up #${n} here: this incident has none yet.` };
  if (item.status !== 'open') return { refused: `Follow-up #${n} is already ${item.status}.` };
  return item;
}

export function evolveFollowUps(items: readonly FollowUp[] = [], event: FollowUpEvent): FollowUp[] {
  switch (event.type) {
    case 'FollowUpAdded':
      return [...items, { ...event.item, status: 'open', addedAt: event.at, addedBy: event.by }];
    case 'FollowUpOwnerSet':
      return items.map((i) => (i.n === event.n ? { ...i, owner: event.owner } : i));
    case 'FollowUpClosed':
      return items.map((i) => (i.n === event.n ? { ...i, status: event.outcome, closedAt: event.at } : i));
    case 'FollowUpExported':
      return items.map((i) => (i.n === event.n ? { ...i, planner: event.planner } : i));
    default:
      return assertNever(event);
  }
}

/** An item due now without an owner: it is asked for plainly. */
export const needsOwner = (item: Pick<FollowUp, 'horizon' | 'owner' | 'status'>) => item.status === 'open' && item.horizon === 'now' && !item.owner;

/** Closed by its due date (the end of that day in the organisation's time zone). */
export function doneOnTime(item: FollowUp, timeZone: string): boolean | undefined {
  if (item.status !== 'done' || !item.closedAt || !item.due) return undefined;
  return localDate(item.closedAt, timeZone) <= item.due;
}

/** "#2 Add retries to the payment client · Bob Brown · due 2026-12-08 · now" */
export function followUpLine(item: FollowUp): string {
  const who = item.owner ? item.owner.name : item.horizon === 'now' ? 'no owner yet' : 'no owner';
  return [`#${item.n} ${item.text}`, who, item.due ? `due ${item.due}` : 'no due date', item.horizon === 'now' ? 'now' : 'planning'].join(' · ');
}

/** A reminder of an item, set for when it comes due and for when it is overdue (effects with `notBefore`). */
export interface RemindFollowUp {
  kind: 'followup.remind';
  key: string;
  incidentId: string;
  notBefore: string;
  coalesce?: boolean;
  payload: { n: number; due: string; when: 'dayBefore' | 'overdue' };
}

/**
 * The Monday digest: one effect for the whole service (its key is the same for every incident, so the outbox holds it
 * once), which after each run sets itself for the next Monday. The first item ever added starts it.
 */
export interface DigestFollowUps {
  kind: 'followup.digest';
  key: typeof DIGEST_KEY;
  incidentId: string;
  notBefore: string;
  coalesce?: boolean;
  payload: { date: string };
}
export const DIGEST_KEY = 'followup.digest';

export type FollowUpEffect = RemindFollowUp | DigestFollowUps;

/** The reminders an added item sets (a time already past sets none), and the digest if none is set yet. */
export function followUpReminders(events: readonly { type: string }[], incidentId: string): FollowUpEffect[] {
  const effects: FollowUpEffect[] = [];
  for (const e of events) {
    if (e.type !== 'FollowUpAdded') continue;
    const added = e as FollowUpAdded;
    effects.push({ kind: 'followup.digest', key: DIGEST_KEY, incidentId, notBefore: added.digest.at, payload: { date: added.digest.date } });
    if (!added.remind || !added.item.due) continue;
    for (const when of ['dayBefore', 'overdue'] as const) {
      const notBefore = added.remind[when];
      if (Date.parse(notBefore) <= Date.parse(added.at)) continue;
      effects.push({ kind: 'followup.remind', key: `followup.remind:${incidentId}:${added.item.n}:${when}`, incidentId, notBefore, payload: { n: added.item.n, due: added.item.due, when } });
    }
  }
  return effects;
}

function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
