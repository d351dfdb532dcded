/**
 * Reads the time cell of a row a person typed in the doc, in UTC: `14:02`, `14:02:31`, `03-14 14:02` (the form
 * Firebreak writes on another day) or a full ISO time. A bare time is taken on the day it was seen, or the day
 * before when that would put it in the future. Anything else is undefined: the row gets the time it was seen.
 * @example parseRowTime('00:07', '2026-03-15T00:09:00.000Z') // '2026-03-15T00:07:00.000Z'
 */
export function parseRowTime(cell: string, seenAt: string): string | undefined {
  const text = cell.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  const m = /^(?:(\d{2})-(\d{2})\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*UTC)?$/i.exec(text);
  if (!m) return undefined;
  const [, month, day, h, min, sec] = m;
  if (Number(h) > 23 || Number(min) > 59 || Number(sec ?? 0) > 59) return undefined;
  const seen = new Date(seenAt);
  const at = new Date(Date.UTC(seen.getUTCFullYear(), month ? Number(month) - 1 : seen.getUTCMonth(), day ? Number(day) : seen.getUTCDate(), Number(h), Number(min), Number(sec ?? 0)));
  if (month && (at.getUTCMonth() !== Number(month) - 1 || at.getUTCDate() !== Number(day))) return undefined;
  // A few minutes ahead is a clock off; more is the previous day (or year).
  if (at.getTime() > seen.getTime() + 5 * 60_000) {
    if (month) at.setUTCFullYear(at.getUTCFullYear() - 1);
    else at.setUTCDate(at.getUTCDate() - 1);
  }
  return at.toISOString();
}

/** Firebreak's own time cell: `14:02` on the day the incident was declared, `03-14 14:02` on another (UTC). */
export function rowTime(at: string, declaredAt: string): string {
  const iso = new Date(at).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(declaredAt).toISOString().slice(0, 10);
  return sameDay ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}
