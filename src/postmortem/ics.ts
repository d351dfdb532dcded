/**
 * An iCalendar invitation (RFC 5545, iTIP METHOD:REQUEST, RFC 5546) for the postmortem review, mailed as an .ics
 * attachment: mail clients offer Accept/Decline from it, so Firebreak needs no calendar permission in the tenant
 * (issue 18 item 6). Pure: everything, the stamp time included, is given.
 */
export interface Invitation {
  /** Stable per review: the same UID and a higher SEQUENCE would update it; Firebreak sends each time once. */
  uid: string;
  stamp: string;
  start: string;
  end: string;
  summary: string;
  description: string;
  /** The online meeting's join link. */
  url: string;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
}

export function invitationIcs(i: Invitation): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Firebreak//Postmortem review//EN',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${text(i.uid)}`,
    'SEQUENCE:0',
    `DTSTAMP:${utc(i.stamp)}`,
    `DTSTART:${utc(i.start)}`,
    `DTEND:${utc(i.end)}`,
    `SUMMARY:${text(i.summary)}`,
    `DESCRIPTION:${text(i.description)}`,
    `LOCATION:${text(`Microsoft Teams meeting: ${i.url}`)}`,
    `URL:${i.url}`,
    `ORGANIZER;CN=${param(i.organizer.name)}:mailto:${i.organizer.email}`,
    ...i.attendees.map((a) => `ATTENDEE;CN=${param(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${a.email}`),
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** `20261207T140000Z`: UTC, so no VTIMEZONE is needed. */
function utc(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** A parameter value is quoted; it may not hold a double quote or control characters (RFC 5545 3.1). */
function param(value: string): string {
  return `"${value.replace(/["\u0000-\u001f]/g, '')}"`;
}

/** Lines longer than 75 octets are folded: CRLF and one space (RFC 5545 3.1), never inside a UTF-8 sequence. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}
