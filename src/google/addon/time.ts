/**
 * Times on the sidebar card, in the reader's own zone (`commonEventObject.timeZone.id`); Teams and mail say UTC
 * because many people read one message, but a sidebar has one reader.
 * @example localTime('2026-03-15T14:30:00Z', 'Europe/Paris', now) // "15:30 Europe/Paris" (with the date on another day)
 */
export function localTime(iso: string, zone: string | undefined, now: Date): string {
  const tz = validZone(zone);
  const date = new Date(iso);
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  const sameDay = day(date) === day(now);
  return `${sameDay ? '' : `${day(date)} `}${time} ${tz}`;
}

/** Short form for timeline rows: "14:02", or "03-14 14:02" on another day. */
export function shortTime(iso: string, zone: string | undefined, now: Date): string {
  const tz = validZone(zone);
  const date = new Date(iso);
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, month: '2-digit', day: '2-digit' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return day(date) === day(now) ? time : `${day(date)} ${time}`;
}

function validZone(zone: string | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}
