import type { Rotation } from '../../src/org/services';
import { instantOf, shiftAt } from '../../src/oncall/rotation';

/** Berlin: CET (+1) to CEST (+2) on 2026-03-29 at 02:00, back on 2026-10-25 at 03:00. */
const weekly: Rotation = { kind: 'rotation', members: ['a', 'b', 'c'], every: 'week', day: 'monday', time: '09:00', timeZone: 'Europe/Berlin', start: '2026-01-05' };
const at = (iso: string) => new Date(iso);
const holder = (r: Rotation, iso: string) => {
  const s = shiftAt(r, at(iso));
  return s.now ? r.members[s.now.member] : undefined;
};

describe('rotation hand-over in a time zone with daylight-saving changes', () => {
  it('the first Monday after spring-forward hands over at 09:00 CEST (07:00 UTC), not 08:00 UTC', () => {
    // 2026-03-30 is the 12th week after 2026-01-05: member 12 % 3 = a.
    expect(holder(weekly, '2026-03-30T06:59:59.999Z')).toBe('c');
    expect(holder(weekly, '2026-03-30T07:00:00.000Z')).toBe('a');
    expect(shiftAt(weekly, at('2026-03-29T12:00:00Z'))).toEqual({
      now: { member: 2, from: '2026-03-23T08:00:00.000Z', until: '2026-03-30T07:00:00.000Z' }, // a week one hour short
      next: { member: 0, from: '2026-03-30T07:00:00.000Z', until: '2026-04-06T07:00:00.000Z' },
    });
  });

  it('after fall-back the hand-over is 09:00 CET (08:00 UTC), the week one hour long', () => {
    expect(holder(weekly, '2026-10-26T07:59:59.999Z')).toBe('c');
    expect(holder(weekly, '2026-10-26T08:00:00.000Z')).toBe('a');
    expect(shiftAt(weekly, at('2026-10-26T07:00:00Z')).now).toEqual({ member: 2, from: '2026-10-19T07:00:00.000Z', until: '2026-10-26T08:00:00.000Z' });
  });

  it('a daily hand-over at a time the clock skips moves forward by the gap; one it repeats is taken the first time', () => {
    const daily: Rotation = { kind: 'rotation', members: ['x', 'y'], every: 'day', time: '02:30', timeZone: 'Europe/Berlin', start: '2026-03-01' };
    // 2026-03-29 02:30 does not exist in Berlin: 03:30 CEST = 01:30 UTC.
    expect(shiftAt(daily, at('2026-03-29T00:00:00Z')).now?.until).toBe('2026-03-29T01:30:00.000Z');
    // 2026-10-25 02:30 happens twice: first at 00:30 UTC (CEST); the second pass does not hand back.
    expect(shiftAt(daily, at('2026-10-25T00:00:00Z')).now?.until).toBe('2026-10-25T00:30:00.000Z');
    expect(holder(daily, '2026-10-25T00:30:00Z')).toBe(holder(daily, '2026-10-25T01:45:00Z'));
    expect(instantOf(Date.UTC(2026, 9, 25, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  it('New York (its own change dates) and the southern hemisphere follow the same rule', () => {
    const ny: Rotation = { kind: 'rotation', members: ['p', 'q'], every: 'day', time: '08:30', timeZone: 'America/New_York', start: '2026-01-01' };
    // 2026-03-08 is spring-forward in New York: 08:30 EDT = 12:30 UTC (13:30 the day before).
    expect(shiftAt(ny, at('2026-03-08T12:00:00Z')).now).toMatchObject({ from: '2026-03-07T13:30:00.000Z', until: '2026-03-08T12:30:00.000Z' });
    const sydney: Rotation = { ...weekly, timeZone: 'Australia/Sydney', day: 'monday' };
    // Sydney leaves daylight time on 2026-04-05: Monday 09:00 AEST = Sunday 23:00 UTC.
    expect(shiftAt(sydney, at('2026-04-06T00:00:00Z')).now?.from).toBe('2026-04-05T23:00:00.000Z');
  });

  it('before its start a rotation has nobody on call and names who begins', () => {
    expect(shiftAt(weekly, at('2026-01-05T07:59:00Z'))).toEqual({ next: { member: 0, from: '2026-01-05T08:00:00.000Z', until: '2026-01-12T08:00:00.000Z' } });
  });
});
