import { WEEKDAYS, type Rotation } from '../org/services';

/**
 * Rotation arithmetic, pure: who holds a rotation at an instant, and when it next changes hands. Hand-overs happen
 * at a wall-clock time in the rotation's time zone, so a shift across a daylight-saving change is an hour shorter or
 * longer, never shifted. Time zones come from Intl (the ICU data Node ships), no date library.
 *
 * A hand-over time the clock skips (02:30 on a spring-forward night) happens as Temporal's "compatible"
 * disambiguation places it: moved forward by the gap (03:30). A time that occurs twice (01:30 on a fall-back night)
 * happens at its first occurrence.
 */

export interface Shift {
  /** Index into `members`. */
  member: number;
  /** When this shift began and ends (ISO instants). */
  from: string;
  until: string;
}

const DAY_MS = 86_400_000;

/** True when Intl knows the zone (`Europe/Berlin`, `Etc/UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `t`, as if it were UTC (milliseconds). */
function wallClock(t: number, zone: string): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** The instant at which the wall clock in `zone` reads `wall` (ms, as if UTC): earliest if twice, after the gap if never. */
export function instantOf(wall: number, zone: string): number {
  const before = wall - wallClock(wall - DAY_MS, zone) + (wall - DAY_MS); // offset a day earlier
  const after = wall - (wallClock(wall + DAY_MS, zone) - (wall + DAY_MS)); // offset a day later
  const candidates = [before, after].filter((t) => wallClock(t, zone) === wall).sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  return before; // in a gap: the offset before it lands as far past the gap's start as the time was
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The weekday of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[(dayNumber(date) + 3) % 7]; // 1970-01-01 was a Thursday
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** The instant of the hand-over on local day `day` (days since 1970-01-01). */
function handOverOn(day: number, rotation: Rotation): number {
  const [h, m] = rotation.time.split(':').map(Number);
  return instantOf(day * DAY_MS + (h * 60 + m) * 60_000, rotation.timeZone);
}

/**
 * The shift holding the rotation at `at` and the one after it. Before the rotation's start the first shift is
 * reported as coming (member 0 from the start).
 * @example shiftAt(weeklyBerlin, new Date('2026-03-30T07:00:00Z')) // { now: { member: 1, from: '…-03-30T07:00:00.000Z', … }, next: … }
 */
export function shiftAt(rotation: Rotation, at: Date): { now?: Shift; next: Shift } {
  const period = rotation.every === 'week' ? 7 : 1;
  const start = dayNumber(rotation.start);
  const n = rotation.members.length;
  const t = at.getTime();
  // The local day of `at`, counted from the start; the shift began at the last hand-over at or before `at`.
  let day = Math.floor(wallClock(t, rotation.timeZone) / DAY_MS);
  let index = Math.floor((day - start) / period);
  let from = handOverOn(start + index * period, rotation);
  if (from > t) {
    index -= 1;
    from = handOverOn(start + index * period, rotation);
  }
  day = start + (index + 1) * period;
  const until = handOverOn(day, rotation);
  const next: Shift = { member: mod(index + 1, n), from: iso(until), until: iso(handOverOn(day + period, rotation)) };
  if (index < 0) return { next: { member: 0, from: iso(handOverOn(start, rotation)), until: iso(handOverOn(start + period, rotation)) } };
  return { now: { member: mod(index, n), from: iso(from), until: iso(until) }, next };
}

const mod = (a: number, n: number) => ((a % n) + n) % n;
const iso = (t: number) => new Date(t).toISOString();
