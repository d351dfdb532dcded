import { decide, isRefusal } from '../../src/domain/decide';
import type { FollowUpPolicy } from '../../src/domain/followups';
import { needsOwner } from '../../src/domain/followups';
import { evolveAll } from '../../src/domain/incident';
import { react } from '../../src/domain/react';
import { AT, declareCommand, given, jo, sam } from './fixtures';

// AT is Sunday 2026-03-15 00:02 UTC; in Berlin (UTC+1) it is 01:02 the same Sunday.
const policy: FollowUpPolicy = { windowDays: 5, timeZone: 'Europe/Berlin', hour: 9 };
const later = (hours: number) => new Date(Date.parse(AT) + hours * 3_600_000).toISOString();

describe('follow-up items', () => {
  it('given a resolved incident, when a follow-up is added, it is item #1, "now" within the window, and sets its reminders', () => {
    const { state } = given(declareCommand(), { type: 'ResolveIncident', at: later(1), by: jo });
    const decision = decide({ type: 'AddFollowUp', text: 'Alert on replication lag', owner: sam, due: 'wednesday', policy, at: later(2), by: jo }, state);
    if (isRefusal(decision)) throw new Error(decision.refused);
    expect(decision).toEqual([
      {
        type: 'FollowUpAdded',
        item: { n: 1, text: 'Alert on replication lag', owner: sam, due: '2026-03-18', horizon: 'now' },
        remind: { dayBefore: '2026-03-17T08:00:00.000Z', overdue: '2026-03-19T08:00:00.000Z' },
        digest: { date: '2026-03-16', at: '2026-03-16T08:00:00.000Z' },
        at: later(2),
        by: jo,
      },
    ]);
    const after = evolveAll(decision, state)!;
    expect(after.followUps?.[0]).toMatchObject({ n: 1, status: 'open', addedBy: jo });
    const reminders = react(decision, after).filter((e) => e.kind.startsWith('followup.'));
    expect(reminders.map((e) => [e.key, e.notBefore])).toEqual([
      ['followup.digest', '2026-03-16T08:00:00.000Z'], // the service's one Monday digest, set once
      [`followup.remind:${state.id}:1:dayBefore`, '2026-03-17T08:00:00.000Z'],
      [`followup.remind:${state.id}:1:overdue`, '2026-03-19T08:00:00.000Z'],
    ]);
  });

  it('an item due in the window without an owner needs one; a later or undated one is planning', () => {
    const { state } = given(
      declareCommand(),
      { type: 'AddFollowUp', text: 'Runbook for failover', due: 'in 2 days', policy, at: later(1), by: jo },
      { type: 'AddFollowUp', text: 'Replace the database cluster', due: '2026-06-01', policy, at: later(1), by: jo },
      { type: 'AddFollowUp', text: 'Think about chaos drills', policy, at: later(1), by: jo },
    );
    expect(state.followUps!.map((i) => [i.n, i.horizon, needsOwner(i)])).toEqual([
      [1, 'now', true],
      [2, 'planning', false],
      [3, 'planning', false],
    ]);
    const owned = evolveAll(decideOk({ type: 'SetFollowUpOwner', n: 1, owner: sam, at: later(2), by: jo }, state), state)!;
    expect(needsOwner(owned.followUps![0])).toBe(false);
  });

  it('done and cancel close an open item once; unknown numbers and bad dates are refused in plain words', () => {
    const { state } = given(declareCommand(), { type: 'AddFollowUp', text: 'Fix the alert', owner: sam, due: 'friday', policy, at: later(1), by: jo });
    const done = decideOk({ type: 'CloseFollowUp', n: 1, outcome: 'done', at: later(3), by: sam }, state);
    const closed = evolveAll(done, state)!;
    expect(closed.followUps![0]).toMatchObject({ status: 'done', closedAt: later(3) });
    expect(decide({ type: 'CloseFollowUp', n: 1, outcome: 'done', at: later(4), by: sam }, closed)).toEqual([]);
    expect(decide({ type: 'CloseFollowUp', n: 1, outcome: 'cancelled', at: later(4), by: sam }, closed)).toEqual({ refused: 'Follow-up #1 is already done.' });
    expect(decide({ type: 'CloseFollowUp', n: 7, outcome: 'done', at: later(4), by: sam }, closed)).toEqual({ refused: 'There is no follow-up #7 here; they are numbered #1.' });
    expect(decide({ type: 'AddFollowUp', text: 'x', due: 'someday', policy, at: later(4), by: sam }, closed)).toMatchObject({ refused: expect.stringContaining("can't read \"someday\"") });
    expect(decide({ type: 'AddFollowUp', text: '  ', policy, at: later(4), by: sam }, closed)).toMatchObject({ refused: expect.stringContaining('needs some text') });
  });

  it('does not set a reminder whose time has already passed', () => {
    // Monday 2026-03-16 10:00 Berlin, due Tuesday: the "day before" reminder (Monday 09:00) is past.
    const { state } = given(declareCommand());
    const decision = decideOk({ type: 'AddFollowUp', text: 'Rotate the key', owner: sam, due: 'tuesday', policy, at: '2026-03-16T09:00:00.000Z', by: jo }, state);
    expect(react(decision, evolveAll(decision, state)!).filter((e) => e.kind === 'followup.remind').map((e) => e.notBefore)).toEqual(['2026-03-18T08:00:00.000Z']);
  });
});

function decideOk(...args: Parameters<typeof decide>) {
  const d = decide(...args);
  if (isRefusal(d)) throw new Error(d.refused);
  return d;
}
