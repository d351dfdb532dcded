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
  /** Written as a row of the postmortem doc's action table: that row's key (its named range), so a re-read adds nothing. */
  docKey?: string;
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
  /** Written in the postmortem doc's action table (issue 18 item 8): what could be read is recorded, never refused. */
  origin?: 'doc';
  /** The doc row's key: an item with this key already exists, nothing is added. */
  key?: string;
  /** What the row said that could not be understood (an owner nobody knows): told with the item. */
  problems?: string[];
}
/**
 * A row of the postmortem doc's action table changed (its text, owner or due date). `owner: null` and `due: ''` clear
 * them. Cells that cannot be read keep the item as it was and are named in `problems`, told once.
 */
export interface EditFollowUp extends Base {
  type: 'EditFollowUp';
  n: number;
  text?: string;
  owner?: Person | null;
  due?: string;
  policy: FollowUpPolicy;
  problems?: string[];
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
export type FollowUpCommand = AddFollowUp | SetFollowUpOwner | CloseFollowUp | EditFollowUp | RecordPlannerTask;

export interface FollowUpAdded extends Base {
  type: 'FollowUpAdded';
  item: Pick<FollowUp, 'n' | 'text' | 'owner' | 'due' | 'horizon'>;
  /** When its owner is reminded (the working day before it is due; the working day after, if still open). */
  remind?: { dayBefore: string; overdue: string };
  /** The next Monday digest (its local date and instant): the service's one repeating digest starts then if none runs. */
  digest: { date: string; at: string };
  /** Written in the postmortem doc: told in the incident conversation, with what could not be read. */
  origin?: 'doc';
  key?: string;
  problems?: string[];
  /** A planning item goes to this Planner plan (src/workers/effects/followup-export.ts). */
  planner?: { planId: string };
}
/** Changed in the postmortem doc's action table; only what changed is set (`owner: null`, `due: null`: cleared). */
export interface FollowUpEdited extends Base {
  type: 'FollowUpEdited';
  n: number;
  text?: string;
  owner?: Person | null;
  due?: string | null;
  horizon?: 'now' | 'planning';
  remind?: { dayBefore: string; overdue: string };
  problems?: string[];
  /** Set with `owner`: who owned it before (a Planner task is unassigned from them, src/domain/followup-planner.ts). */
  previousOwner?: Person;
  /** Moved to planning and not exported yet: it goes to this Planner plan now, as an added planning item does. */
  planner?: { planId: string };
}
export interface FollowUpOwnerSet extends Base {
  type: 'FollowUpOwnerSet';
  n: number;
  owner: Person;
  /** Who owned it before (absent: nobody, or an event written before this was recorded). */
  previousOwner?: Person;
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
export type FollowUpEvent = FollowUpAdded | FollowUpOwnerSet | FollowUpClosed | FollowUpEdited | FollowUpExported;

export const FOLLOW_UP_COMMANDS: readonly string[] = ['AddFollowUp', 'SetFollowUpOwner', 'CloseFollowUp', 'EditFollowUp', 'RecordPlannerTask'];

export function decideFollowUp(command: FollowUpCommand, items: readonly FollowUp[] = []): FollowUpEvent[] | { refused: string } {
  const { at, by } = command;
  switch (command.type) {
    case 'AddFollowUp': {
      if (command.key !== undefined && items.some((i) => i.docKey === command.key)) return [];
      const fromDoc = command.origin === 'doc';
      let text = command.text.trim();
      if (!text) return { refused: 'A follow-up needs some text: what must be done?' };
      // A row typed in the doc is never turned away: too long is kept cut (the whole text stays in the doc).
      if (text.length > LIMITS.note && fromDoc) text = `${text.slice(0, LIMITS.note - 1)}…`;
      if (text.length > LIMITS.note) return { refused: `That follow-up is ${text.length} characters; the limit is ${LIMITS.note}.` };
      const { policy } = command;
      const today = localDate(at, policy.timeZone);
      const problems = [...(command.problems ?? [])];
      let due: string | undefined;
      if (command.due !== undefined && command.due.trim()) {
        const parsed = parseDue(command.due, today);
        if ('refused' in parsed && !fromDoc) return parsed;
        if ('refused' in parsed) problems.push(`Due date left empty: ${parsed.refused}`);
        else due = parsed.due;
      }
      const n = Math.max(0, ...items.map((i) => i.n)) + 1;
      const horizon = horizonOf(due, today, policy.windowDays);
      const item = { n, text, ...(command.owner && { owner: command.owner }), ...(due && { due }), horizon };
      const digest = nextDigest(at, policy.timeZone, policy.hour);
      const doc = fromDoc ? { origin: 'doc' as const, ...(command.key !== undefined && { key: command.key }), ...(problems.length && { problems }) } : {};
      const planner = horizon === 'planning' && policy.plannerPlanId ? { planId: policy.plannerPlanId } : undefined;
      return [{ type: 'FollowUpAdded', item, ...(due && { remind: reminderTimes(due, policy.timeZone, policy.hour) }), digest, ...doc, ...(planner && { planner }), at, by }];
    }
    case 'EditFollowUp':
      return editFollowUp(command, items);
    case 'SetFollowUpOwner': {
      const item = openItem(items, command.n);
      if ('refused' in item) return item;
      if (item.owner?.id === command.owner.id) return [];
      return [{ type: 'FollowUpOwnerSet', n: command.n, owner: command.owner, ...(item.owner && { previousOwner: item.owner }), at, by }];
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

/** What a changed doc row means for its item: only real changes, and what could not be read, said once. */
function editFollowUp(command: EditFollowUp, items: readonly FollowUp[]): FollowUpEvent[] | { refused: string } {
  const { at, by, policy } = command;
  const item = items.find((i) => i.n === command.n);
  if (!item) return { refused: `There is no follow-up #${command.n} here.` };
  const problems = [...(command.problems ?? [])];
  const change: Partial<Pick<FollowUpEdited, 'text' | 'owner' | 'due' | 'horizon' | 'remind' | 'previousOwner' | 'planner'>> = {};
  const text = command.text?.trim().slice(0, LIMITS.note);
  if (text && text !== item.text) change.text = text;
  if (command.owner === null && item.owner) change.owner = null;
  if (command.owner && command.owner.id !== item.owner?.id) change.owner = command.owner;
  if (command.due !== undefined) {
    const today = localDate(at, policy.timeZone);
    const parsed = command.due.trim() ? parseDue(command.due, today) : { due: undefined };
    if ('refused' in parsed) problems.push(`Due date of #${item.n} unchanged (${item.due ?? 'none'}): ${parsed.refused}`);
    else if (parsed.due !== item.due) {
      change.due = parsed.due ?? null;
      change.horizon = horizonOf(parsed.due, today, policy.windowDays);
      if (parsed.due) change.remind = reminderTimes(parsed.due, policy.timeZone, policy.hour);
      // Moved to planning, open and without a task yet: exported now, as an added planning item is.
      if (change.horizon === 'planning' && policy.plannerPlanId && !item.planner && item.status === 'open') change.planner = { planId: policy.plannerPlanId };
    }
  }
  if (change.owner !== undefined && item.owner) change.previousOwner = item.owner;
  if (!Object.keys(change).length && !problems.length) return [];
  return [{ type: 'FollowUpEdited', n: item.n, ...change, ...(problems.length && { problems }), at, by }];
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
      return [...items, { ...event.item, status: 'open', addedAt: event.at, addedBy: event.by, ...(event.key !== undefined && { docKey: event.key }) }];
    case 'FollowUpEdited':
      return items.map((i) => (i.n === event.n ? edited(i, event) : i));
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

function edited(item: FollowUp, e: FollowUpEdited): FollowUp {
  const { owner, due, ...rest } = item;
  const next: FollowUp = { ...rest, ...(e.text !== undefined && { text: e.text }), ...(e.horizon && { horizon: e.horizon }) };
  const who = e.owner === undefined ? owner : (e.owner ?? undefined);
  const when = e.due === undefined ? due : (e.due ?? undefined);
  return { ...next, ...(who && { owner: who }), ...(when && { due: when }) };
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
  const remind = (n: number, due: string, times: { dayBefore: string; overdue: string }, at: string, suffix = '') => {
    for (const when of ['dayBefore', 'overdue'] as const) {
      const notBefore = times[when];
      if (Date.parse(notBefore) <= Date.parse(at)) continue;
      effects.push({ kind: 'followup.remind', key: `followup.remind:${incidentId}:${n}:${when}${suffix}`, incidentId, notBefore, payload: { n, due, when } });
    }
  };
  for (const e of events) {
    if (e.type === 'FollowUpEdited') {
      // A new due date sets its own reminders (the key names the date: the old ones find the date changed and stay quiet).
      const edit = e as FollowUpEdited;
      if (edit.due && edit.remind) remind(edit.n, edit.due, edit.remind, edit.at, `:${edit.due}`);
      continue;
    }
    if (e.type !== 'FollowUpAdded') continue;
    const added = e as FollowUpAdded;
    effects.push({ kind: 'followup.digest', key: DIGEST_KEY, incidentId, notBefore: added.digest.at, payload: { date: added.digest.date } });
    if (added.remind && added.item.due) remind(added.item.n, added.item.due, added.remind, added.at);
  }
  return effects;
}

function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
