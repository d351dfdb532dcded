import { addWorkingDays, horizonOf, instantAt, localDate, nextDigest, parseDue, reminderTimes } from '../../src/domain/followup-dates';

// 2026-12-03 is a Thursday.
const THURSDAY = '2026-12-03';

describe('due dates as people type them', () => {
  it.each([
    ['friday', '2026-12-04'],
    ['Fri', '2026-12-04'],
    ['monday', '2026-12-07'],
    ['next monday', '2026-12-07'],
    ['thursday', '2026-12-10'], // today is Thursday: "thursday" is next week's
    ['sunday', '2026-12-06'],
    ['in 3 days', '2026-12-06'],
    ['in 1 day', '2026-12-04'],
    ['in 2 working days', '2026-12-07'], // Friday, then (over the weekend) Monday
    ['today', THURSDAY],
    ['tomorrow', '2026-12-04'],
    ['2026-12-24', '2026-12-24'],
  ])('"%s" on a Thursday is %s', (typed, due) => {
    expect(parseDue(typed, THURSDAY)).toEqual({ due });
  });

  it.each([
    ['2026-02-30', /not a date/],
    ['2026-12-01', /has passed/],
    ['soon', /can't read "soon"/],
    ['mo', /can't read/], // too short to be a weekday
  ])('refuses "%s" in plain words', (typed, reason) => {
    const answer = parseDue(typed, THURSDAY);
    expect('refused' in answer && answer.refused).toMatch(reason);
  });
});

describe('working days and the window', () => {
  it('counts working days across a weekend, both ways', () => {
    expect(addWorkingDays('2026-12-04', 1)).toBe('2026-12-07'); // Friday + 1 = Monday
    expect(addWorkingDays('2026-12-07', -1)).toBe('2026-12-04'); // the working day before Monday is Friday
    expect(addWorkingDays('2026-12-05', 1)).toBe('2026-12-07'); // Saturday + 1 = Monday
    expect(addWorkingDays(THURSDAY, 5)).toBe('2026-12-10');
  });

  it('is "now" within 5 working days, "planning" after or without a date', () => {
    expect(horizonOf('2026-12-10', THURSDAY, 5)).toBe('now');
    expect(horizonOf('2026-12-11', THURSDAY, 5)).toBe('planning');
    expect(horizonOf(undefined, THURSDAY, 5)).toBe('planning');
    expect(horizonOf('2026-12-07', '2026-12-04', 1)).toBe('now'); // Friday, window 1: Monday still counts
  });
});

describe('time zones', () => {
  it('reads "today" in the organisation\'s zone, not UTC', () => {
    const lateUtc = '2026-12-03T23:30:00.000Z';
    expect(localDate(lateUtc, 'Etc/UTC')).toBe('2026-12-03');
    expect(localDate(lateUtc, 'Pacific/Kiritimati')).toBe('2026-12-04'); // UTC+14: already Friday
    expect(localDate('2026-12-04T00:10:00.000Z', 'America/Los_Angeles')).toBe('2026-12-03');
    expect(parseDue('tomorrow', localDate(lateUtc, 'Pacific/Kiritimati'))).toEqual({ due: '2026-12-05' });
  });

  it('places a local hour as an instant, in winter, in summer and after a spring-forward gap', () => {
    expect(instantAt('2026-12-07', 9, 'Europe/Berlin')).toBe('2026-12-07T08:00:00.000Z');
    expect(instantAt('2026-07-06', 9, 'Europe/Berlin')).toBe('2026-07-06T07:00:00.000Z');
    expect(instantAt('2026-12-07', 9, 'America/New_York')).toBe('2026-12-07T14:00:00.000Z');
    expect(instantAt('2026-03-29', 2, 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z'); // 02:00 never happens: 03:00 CEST
  });

  it('reminds the working day before it is due and the working day after, at the hour', () => {
    expect(reminderTimes('2026-12-07', 'Europe/Berlin', 9)).toEqual({ dayBefore: '2026-12-04T08:00:00.000Z', overdue: '2026-12-08T08:00:00.000Z' });
  });

  it('finds the next Monday at the hour in the zone, strictly after now', () => {
    expect(nextDigest('2026-12-03T10:00:00.000Z', 'Europe/Berlin', 9)).toEqual({ date: '2026-12-07', at: '2026-12-07T08:00:00.000Z' });
    expect(nextDigest('2026-12-07T07:59:00.000Z', 'Europe/Berlin', 9)).toEqual({ date: '2026-12-07', at: '2026-12-07T08:00:00.000Z' });
    expect(nextDigest('2026-12-07T08:00:00.000Z', 'Europe/Berlin', 9)).toEqual({ date: '2026-12-14', at: '2026-12-14T08:00:00.000Z' });
    // Sunday 19:30 UTC is Monday 09:30 in Kiritimati (UTC+14): this Monday's hour has passed there.
    expect(nextDigest('2026-12-06T19:30:00.000Z', 'Pacific/Kiritimati', 9)).toEqual({ date: '2026-12-14', at: '2026-12-13T19:00:00.000Z' });
  });
});
