import { decide, isRefusal, type Command } from '../../src/domain/decide';
import { rowChange } from '../../src/domain/action-rows';
import { actionCells, postmortemWatchedUntil } from '../../src/domain/followup-doc';
import type { FollowUpPolicy } from '../../src/domain/followups';
import { evolveAll, type Incident } from '../../src/domain/incident';
import { react } from '../../src/domain/react';
import { AT, declareCommand, given, jo, sam } from './fixtures';

/** The postmortem doc's action table as a second place to write follow-ups (issue 18 item 8). */
const policy: FollowUpPolicy = { windowDays: 5, timeZone: 'Europe/Berlin', hour: 9 };
const later = (hours: number) => new Date(Date.parse(AT) + hours * 3_600_000).toISOString();
const bob = { id: 'google:bob@example.com', name: 'Bob Brown', email: 'bob@example.com' };
const people = [jo, sam, bob];
const pmReady: Command[] = [
  { type: 'ResolveIncident', at: later(1), by: jo },
  { type: 'RecordResourceReady', resource: 'postmortem', url: 'https://docs.google.com/document/d/pm1/edit', label: 'Postmortem', at: later(1), by: jo },
];

function run(state: Incident, command: Command) {
  const events = decide(command, state);
  if (isRefusal(events)) throw new Error(events.refused);
  const next = evolveAll(events, state)!;
  return { events, state: next, effects: react(events, next) };
}

test('a typed row is an item: owner by name, @first name or email, due as `followup` takes it, done closes it', () => {
  expect(rowChange(['Add retries', 'Bob Brown', 'in 3 days', ''], undefined, undefined, people)).toEqual({ kind: 'add', text: 'Add retries', owner: bob, due: 'in 3 days', problems: [] });
  expect(rowChange(['Add retries', '@sam', 'friday', 'done'], undefined, undefined, people)).toMatchObject({ owner: sam, due: 'friday', close: 'done' });
  expect(rowChange(['x', 'BOB@example.com', '', ''], undefined, undefined, people)).toMatchObject({ owner: bob });
  expect(rowChange(['x', 'new@example.com', '', ''], undefined, undefined, people)).toMatchObject({ owner: { id: 'google:new@example.com', email: 'new@example.com' } });
  const unknown = rowChange(['x', 'Zed', 'planning', ''], undefined, undefined, people);
  expect(unknown).toEqual({ kind: 'add', text: 'x', problems: [expect.stringContaining('nobody called "Zed" is known')] });
});

test('an added row with an unreadable due date is recorded all the same, the problem told once; its key never adds it twice', () => {
  const { state } = given(declareCommand(), ...pmReady);
  const add: Command = { type: 'AddFollowUp', text: 'Alert on lag', due: 'someday', policy, origin: 'doc', key: 'dabc', problems: ['nobody called "Zed" is known'], at: later(2), by: bob };
  const first = run(state, add);
  expect(first.state.followUps).toEqual([expect.objectContaining({ n: 1, text: 'Alert on lag', docKey: 'dabc', horizon: 'planning' })]);
  const told = first.effects.filter((e) => e.kind === 'message.post');
  expect(told).toHaveLength(1);
  expect(told[0].payload).toMatchObject({ message: { subject: 'INC-1: follow-up #1 added in the postmortem doc by Bob Brown' } });
  expect(JSON.stringify(told[0].payload)).toContain('can\'t read \\"someday\\" as a due date');
  expect(JSON.stringify(told[0].payload)).toContain('nobody called \\"Zed\\" is known');
  expect(first.effects.filter((e) => e.kind === 'postmortem.actions')).toEqual([{ kind: 'postmortem.actions', key: 'postmortem.actions:inc-1:v6', incidentId: 'inc-1', payload: {}, coalesce: true }]);
  expect(decide(add, first.state)).toEqual([]);
  // In chat a bad date is still refused: there the person is asked again.
  expect(decide({ ...add, origin: undefined, key: undefined }, first.state)).toMatchObject({ refused: expect.stringContaining('someday') });
});

test('edits of a row change its item: text, owner, due (with new reminders); a bad date keeps the old one and says so', () => {
  const { state } = given(declareCommand(), ...pmReady, { type: 'AddFollowUp', text: 'Add retries', owner: sam, due: '2026-03-20', policy, at: later(2), by: jo });
  const item = state.followUps![0];
  const cells = actionCells(item);
  expect(cells).toEqual(['#1 Add retries', 'Sam Lee', '2026-03-20', 'open']);
  const change = rowChange(['#1 Add retries with backoff', 'Bob Brown', '2026-03-25', 'open'], item, cells, people);
  expect(change).toEqual({ kind: 'edit', text: 'Add retries with backoff', owner: bob, due: '2026-03-25', problems: [] });
  const edited = run(state, { type: 'EditFollowUp', n: 1, text: 'Add retries with backoff', owner: bob, due: '2026-03-25', policy, at: later(3), by: bob });
  expect(edited.state.followUps![0]).toMatchObject({ text: 'Add retries with backoff', owner: bob, due: '2026-03-25', horizon: 'planning' }); // past the 5 working days of the window
  expect(edited.effects.filter((e) => e.kind === 'followup.remind').map((e) => e.key)).toEqual(['followup.remind:inc-1:1:dayBefore:2026-03-25', 'followup.remind:inc-1:1:overdue:2026-03-25']);
  expect(rowChange(cells, item, cells, people)).toEqual({ kind: 'none' });
  expect(rowChange(['#1 Add retries', 'Sam Lee', '2026-03-20', 'Cancelled'], item, cells, people)).toMatchObject({ kind: 'edit', close: 'cancelled' });
  const bad = run(state, { type: 'EditFollowUp', n: 1, due: 'soonish', policy, at: later(3), by: bob });
  expect(bad.state.followUps![0].due).toBe('2026-03-20');
  expect(bad.effects.filter((e) => e.kind === 'message.post')).toHaveLength(1);
  expect(decide({ type: 'EditFollowUp', n: 1, text: 'Add retries', policy, at: later(3), by: bob }, state)).toEqual([]);
});

test('the postmortem doc is watched while the incident is resolved, until 14 days after the later of its due date and review', () => {
  const { state } = given(declareCommand(), ...pmReady);
  const due = state.postmortem!.due;
  expect(postmortemWatchedUntil(state)).toBe(new Date(Date.parse(`${due}T23:59:59Z`) + 14 * 86_400_000).toISOString());
  const reviewed = run(state, { type: 'SchedulePostmortemReview', start: '2026-04-20T14:00:00Z', at: later(2), by: jo }).state;
  expect(postmortemWatchedUntil(reviewed)).toBe('2026-05-04T15:00:00.000Z');
  expect(postmortemWatchedUntil(run(state, { type: 'ReopenIncident', at: later(2), by: jo }).state)).toBeUndefined();
  expect(postmortemWatchedUntil(given(declareCommand(), pmReady[0]).state)).toBeUndefined(); // no doc yet
});
