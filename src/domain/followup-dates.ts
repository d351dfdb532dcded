/**
 * Dates of follow-up items (issue 18 items 8-9), pure: the clock and the organisation's time zone are passed in. A due
 * date is a calendar date in the organisation's time zone (people say "Friday", not an instant); reminders and the
 * Monday digest are instants computed from it. Time zones come from Intl (the ICU data Node ships), no date library.
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === date;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const isWorkingDay = (date: string) => dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6;

/** `n` working days (Monday to Friday) after `date` (n may be negative: before it). */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(t: number, zone: string): Record<string, string> {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
}

/** The calendar date in `zone` at the instant `at`. */
export function localDate(at: string | Date, zone: string): string {
  const p = parts(new Date(at).getTime(), zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The instant at which the wall clock in `zone` reads `date` `hour`:00 (a skipped hour: the instant after the gap). */
export function instantAt(date: string, hour: number, zone: string): string {
  const wall = Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000;
  // The zone's offset at a guess, then at the corrected guess: two steps settle it except inside a DST gap.
  let t = wall;
  for (let i = 0; i < 2; i++) {
    const p = parts(t, zone);
    const seen = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    t += wall - seen;
  }
  return new Date(t).toISOString();
}

/**
 * What people type after `due`: `2026-12-08`, `today`, `tomorrow`, `in 3 days`, `in 2 working days`, a weekday
 * (`friday`, `fri`, `next friday`: the next one after today, so on a Friday it is a week away). `today` is the
 * organisation's date now. A date before today is refused: a follow-up is for later.
 */
export function parseDue(expr: string, today: string): { due: string } | { refused: string } {
  const e = expr.trim().toLowerCase().replace(/\s+/g, ' ');
  let due: string | undefined;
  const inDays = /^in (\d{1,3}) (working |business )?days?$/.exec(e);
  if (DATE.test(e)) {
    if (!isCalendarDate(e)) return { refused: `${expr.trim()} is not a date (write it YYYY-MM-DD).` };
    due = e;
  } else if (e === 'today') due = today;
  else if (e === 'tomorrow') due = addDays(today, 1);
  else if (inDays) due = inDays[2] ? addWorkingDays(today, Number(inDays[1])) : addDays(today, Number(inDays[1]));
  else {
    const name = e.replace(/^next /, '');
    const day = WEEKDAY_NAMES.findIndex((w) => name.length >= 3 && w.startsWith(name));
    if (day >= 0) {
      const ahead = (day - dayOfWeek(today) + 7) % 7 || 7;
      due = addDays(today, ahead);
    }
  }
  if (!due) return { refused: `I can't read "${expr.trim().slice(0, 40)}" as a due date: write YYYY-MM-DD, "in N days" or a weekday.` };
  if (due < today) return { refused: `${due} has passed; a follow-up is due today or later.` };
  return { due };
}

/**
 * "Now" or "planning" (seed 004: only items due in the next few days are assigned now; the rest go to planning). Due
 * within `windowDays` working days of today: now. Without a due date, or later: planning.
 */
export function horizonOf(due: string | undefined, today: string, windowDays: number): 'now' | 'planning' {
  return due !== undefined && due <= addWorkingDays(today, windowDays) ? 'now' : 'planning';
}

/**
 * When an item's owner is reminded: the working day before it is due, and (still open) the working day after, both
 * at `hour` in `zone`. A reminder time already past is none (an item due tomorrow written at 18:00 gets no
 * "due tomorrow" reminder; it is due in the morning's digest anyway).
 */
export function reminderTimes(due: string, zone: string, hour: number): { dayBefore: string; overdue: string } {
  return { dayBefore: instantAt(addWorkingDays(due, -1), hour, zone), overdue: instantAt(addWorkingDays(due, 1), hour, zone) };
}

/** The next Monday `hour`:00 in `zone` strictly after `now`: its local date and the instant. */
export function nextDigest(now: string | Date, zone: string, hour: number): { date: string; at: string } {
  const today = localDate(now, zone);
  for (let i = 0; i <= 7; i++) {
    const date = addDays(today, i);
    if (dayOfWeek(date) !== 1) continue;
    const at = instantAt(date, hour, zone);
    if (Date.parse(at) > new Date(now).getTime()) return { date, at };
  }
  throw new Error('unreachable: eight days hold a Monday after its hour');
}
