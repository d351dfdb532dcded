import { decide, isRefusal } from '../../src/domain/decide';
import { workingDaysAfter } from '../../src/domain/postmortem';
import { react } from '../../src/domain/react';
import { AT, declareCommand, given, jo, sam } from './fixtures';

describe('the postmortem due date: working days on the organisation calendar', () => {
  it.each([
    // 2026-12-04 is a Friday: five working days later is the next Friday.
    ['2026-12-04T10:00:00Z', 'UTC', '2026-12-11'],
    // Resolved on a Saturday or a Sunday: the weekend does not count, Friday after the coming week.
    ['2026-12-05T10:00:00Z', 'UTC', '2026-12-11'],
    ['2026-12-06T23:59:00Z', 'UTC', '2026-12-11'],
    // Monday 03:00 UTC is still Sunday evening in Los Angeles: its calendar says Friday, UTC's says the Monday after.
    ['2026-12-07T03:00:00Z', 'America/Los_Angeles', '2026-12-11'],
    ['2026-12-07T03:00:00Z', 'UTC', '2026-12-14'],
    // Friday 23:30 UTC is already Saturday in Auckland: the same Friday, not one later.
    ['2026-12-04T23:30:00Z', 'Pacific/Auckland', '2026-12-11'],
    // Thursday 23:30 UTC is Friday in Tokyo: five working days from Friday.
    ['2026-12-03T23:30:00Z', 'Asia/Tokyo', '2026-12-11'],
    ['2026-12-03T23:30:00Z', 'UTC', '2026-12-10'],
  ])('resolved %s in %s: due %s', (at, zone, due) => {
    expect(workingDaysAfter(at, 5, zone)).toBe(due);
  });
});

describe('resolving starts the postmortem', () => {
  const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();

  it('names the commander as owner, with the terms of the organisation, and asks for its doc once', () => {
    const { events, state } = given(declareCommand(), { type: 'ResolveIncident', at: later(30), by: sam, postmortem: { dueWorkingDays: 3, timeZone: 'Europe/Berlin' } });
    expect(events.find((e) => e.type === 'PostmortemStarted')).toMatchObject({ owner: jo, due: '2026-03-18', timeZone: 'Europe/Berlin' });
    expect(state.postmortem).toEqual({ owner: jo, due: '2026-03-18', timeZone: 'Europe/Berlin' });
    expect(state.resources.postmortem).toEqual({ status: 'pending' });
    const effects = react(events.slice(1), state);
    expect(effects.filter((e) => e.kind === 'postmortem.create').map((e) => e.key)).toEqual(['postmortem.create:inc-1']);
  });

  it('a reopened incident resolved again keeps its postmortem', () => {
    const { state } = given(declareCommand(), { type: 'ResolveIncident', at: later(30), by: jo }, { type: 'ReopenIncident', at: later(40), by: jo }, { type: 'ResolveIncident', at: later(50), by: jo });
    expect(state.postmortem?.due).toBe('2026-03-20');
  });

  it('"postmortem @person" changes the owner of a resolved incident only; the review must be ahead', () => {
    const open = given(declareCommand()).state;
    const refused = decide({ type: 'ChangePostmortemOwner', to: sam, at: later(1), by: jo }, open);
    expect(isRefusal(refused) && refused.refused).toMatch(/no postmortem yet/);
    const { state } = given(declareCommand(), { type: 'ResolveIncident', at: later(30), by: jo }, { type: 'ChangePostmortemOwner', to: sam, at: later(31), by: jo });
    expect(state.postmortem?.owner).toEqual(sam);
    expect(decide({ type: 'ChangePostmortemOwner', to: sam, at: later(32), by: jo }, state)).toEqual([]);
    const past = decide({ type: 'SchedulePostmortemReview', start: later(-60), at: later(32), by: jo }, state);
    expect(isRefusal(past) && past.refused).toBe('The review must be in the future.');
    const review = decide({ type: 'SchedulePostmortemReview', start: '2026-03-19T14:00:00Z', at: later(32), by: jo }, state);
    expect(review).toEqual([{ type: 'PostmortemReviewScheduled', start: '2026-03-19T14:00:00.000Z', end: '2026-03-19T15:00:00.000Z', at: later(32), by: jo }]);
  });
});
