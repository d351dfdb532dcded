import { fold, invitationIcs } from '../../src/postmortem/ics';

const invitation = {
  uid: 'inc-1-review@firebreak',
  stamp: '2026-12-03T13:00:00.000Z',
  start: '2026-12-10T14:00:00.000Z',
  end: '2026-12-10T14:45:00.000Z',
  summary: 'Postmortem review: INC-1 Checkout; payments, refunds',
  description: 'Doc: https://docs.example/d/1\nJoin: https://teams.example/l/meetup-join/abc',
  url: 'https://teams.example/l/meetup-join/abc',
  organizer: { name: 'Firebreak', email: 'firebreak@contoso.test' },
  attendees: [{ name: 'Alícia "Al" S.', email: 'alicia@contoso.test' }],
};

test('an iTIP request in UTC with escaped text, quoted names, CRLF lines of at most 75 octets', () => {
  const ics = invitationIcs(invitation);
  const lines = ics.split('\r\n');
  expect(lines.slice(0, 4)).toEqual(['BEGIN:VCALENDAR', 'PRODID:-//Firebreak//Postmortem review//EN', 'VERSION:2.0', 'METHOD:REQUEST']);
  expect(lines).toContain('DTSTART:20261210T140000Z');
  expect(lines).toContain('DTEND:20261210T144500Z');
  expect(lines).toContain('SUMMARY:Postmortem review: INC-1 Checkout\\; payments\\, refunds');
  const unfolded = ics.replace(/\r\n /g, '');
  expect(unfolded).toContain('DESCRIPTION:Doc: https://docs.example/d/1\\nJoin: https://teams.example/l/meetup-join/abc');
  expect(unfolded).toContain('ATTENDEE;CN="Alícia Al S.";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alicia@contoso.test');
  for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
});

test('folding never splits a UTF-8 character', () => {
  const folded = fold(`DESCRIPTION:${'é'.repeat(100)}`);
  for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
  expect(folded.replace(/\r\n /g, '')).toBe(`DESCRIPTION:${'é'.repeat(100)}`);
});
