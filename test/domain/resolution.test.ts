import { decide, isRefusal, type Command } from '../../src/domain/decide';
import { evolveAll, type IncidentEvent } from '../../src/domain/incident';
import { commanderAlsoExpert } from '../../src/domain/messages';
import { react, type PostMessage } from '../../src/domain/react';
import { resolveQuestion } from '../../src/domain/resolution';
import { timeline } from '../../src/domain/timeline';
import { announcements, AT, declareCommand, given, here, jo, sam } from './fixtures';

/** The clock is the command's `at`: every time below is the declaration's plus some minutes. */
const after = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
const DAY = 24 * 60;
const at = AT;
const RESOLVED_AT = after(90);
const declared = declareCommand({ announceIn: [announcements], customerImpact: true });
const resolved: Command[] = [declared, { type: 'ResolveIncident', summary: 'Rolled back deploy 4411', at: RESOLVED_AT, by: jo }];

function outcome(previous: Command[], command: Command) {
  const { state } = given(...previous);
  const decision = decide(command, state);
  if (isRefusal(decision)) return { refused: decision.refused };
  const next = evolveAll(decision as IncidentEvent[], state)!;
  return { events: decision as IncidentEvent[], state: next, effects: react(decision as IncidentEvent[], next) };
}
const posts = (effects: ReturnType<typeof react>) => effects.filter((e): e is PostMessage => e.kind === 'message.post');
const textOf = (post: PostMessage) => [post.payload.message.subject, ...post.payload.message.lines].join('\n');

describe('reopening', () => {
  test('within 7 days of resolving: back to phase 2, active, announced everywhere, the cadence counted from now', () => {
    const at = after(90 + 7 * DAY - 1);
    const r = outcome(resolved, { type: 'ReopenIncident', reason: 'errors are back', at, by: sam });
    expect(r.events).toEqual([{ type: 'IncidentReopened', reason: 'errors are back', at, by: sam }]);
    expect(r.state).toMatchObject({ status: 'active', phase: 2, lastUpdateAt: at });
    expect(r.state!.resolvedAt).toBeUndefined();
    const told = posts(r.effects!);
    expect(told.map((p) => p.payload.conversation.id)).toEqual([here.id, announcements.id]);
    for (const post of told) expect(post.payload.message.lines[0]).toBe('Reopened by Sam Lee: back to phase 2 (full resolution). errors are back');
    // Severity 2 with customers affected: the next update within the hour of reopening, not already overdue.
    expect(r.effects!.find((e) => e.kind === 'reminder.update')).toMatchObject({ notBefore: new Date(Date.parse(at) + 60 * 60_000).toISOString() });
    expect(r.effects!.some((e) => e.kind === 'card.refresh')).toBe(true);
  });

  test('more than 7 days after resolving it is refused in plain words', () => {
    const r = outcome(resolved, { type: 'ReopenIncident', at: after(90 + 7 * DAY + 1), by: sam });
    expect(r.refused).toBe("It was resolved more than 7 days ago, so it can't be reopened: if it is happening again, declare a new incident and mention INC-1 in it.");
  });

  test('an incident still active has nothing to reopen', () => {
    expect(outcome([declared], { type: 'ReopenIncident', at: after(5), by: sam }).refused).toBe('INC-1 is not resolved (it is in phase 1): there is nothing to reopen.');
  });

  test('reopened, it can be changed and resolved again; the timeline has the reopening', () => {
    const reopen: Command = { type: 'ReopenIncident', at: after(200), by: sam };
    const { events, state } = given(...resolved, reopen, { type: 'ChangeSeverity', severity: 1, at: after(201), by: sam }, { type: 'ResolveIncident', at: after(300), by: sam });
    expect(state).toMatchObject({ status: 'resolved', severity: 1, phase: 3, resolvedAt: after(300) });
    const entries = timeline('inc-1', events.map((event, i) => ({ version: i + 1, event })));
    expect(entries.map((e) => e.text)).toContain('Reopened: back to phase 2 (full resolution).');
  });
});

describe('a change asked of a resolved incident', () => {
  test('says it is resolved, since when, and what still makes sense: a note, and reopen while it can be', () => {
    const soon = outcome(resolved, { type: 'ChangeSeverity', severity: 1, at: after(90 + 125), by: sam });
    expect(soon.refused!.split('\n')).toEqual([
      "INC-1 was resolved at 01:32 UTC (2 h 5 min ago), so it can't be changed any more.",
      'What still makes sense here:',
      '• note <text>: adds to its timeline',
      `• reopen [why]: takes it back to phase 2 (full resolution), announced; possible until ${after(90 + 7 * DAY).slice(0, 10)} 01:32 UTC`,
      '• followup <text> [@owner] [due …]: adds an action item, reminded until it is done',
    ]);
    const late = outcome(resolved, { type: 'AssignRole', role: 'comms', person: sam, at: after(90 + 8 * DAY), by: sam });
    expect(late.refused).toMatch(/^INC-1 was resolved at 2026-03-15 01:32 UTC \(8 days ago\), so it can't be changed any more\.\nWhat still makes sense here:\n• note <text>: adds to its timeline\n• followup <text> \[@owner\] \[due …\]: adds an action item, reminded until it is done\nIt was resolved more than 7 days ago/);
  });

  test('a note still goes on its timeline', () => {
    expect(outcome(resolved, { type: 'AddNote', kind: 'note', text: 'root cause found', at: after(95), by: sam }).events).toHaveLength(1);
  });
});

describe('announcements in the incident conversation', () => {
  test('a role assignment is told once, attributed, in the incident conversation only', () => {
    const r = outcome([declared], { type: 'AssignRole', role: 'comms', person: sam, at: after(3), by: jo });
    const told = posts(r.effects!);
    expect(told.map((p) => p.payload.conversation.id)).toEqual([here.id]);
    expect(told[0].payload.message.lines[0]).toBe('Sam Lee is now communications lead (assigned by Jo Park).');
    expect(told[0].payload.message.lines[1]).toBe('Severity 2, phase 1. Jo Park is incident commander.');
    expect(outcome([declared, { type: 'AssignRole', role: 'comms', person: sam, at: after(3), by: jo }], { type: 'AssignRole', role: 'comms', person: sam, at: after(4), by: jo }).events).toEqual([]);
    const self = outcome([declared], { type: 'AssignRole', role: 'sme', person: sam, at: after(3), by: sam });
    expect(posts(self.effects!)[0].payload.message.lines[0]).toBe('Sam Lee is now a subject-matter expert (took it on themselves).');
  });

  test('a hand-off is told everywhere, attributed', () => {
    const r = outcome([declared], { type: 'ChangeCommander', to: sam, mode: 'handoff', at: after(3), by: jo });
    expect(posts(r.effects!).map((p) => p.payload.message.lines[0])).toEqual(['Jo Park handed command to Sam Lee.', 'Jo Park handed command to Sam Lee.']);
  });

  test('a resolution is told everywhere, and the incident conversation also hears what happens next', () => {
    const r = outcome([declared], { type: 'ResolveIncident', at: RESOLVED_AT, by: jo });
    const [inHere, inAnnouncements] = posts(r.effects!);
    expect(textOf(inHere)).toContain('Resolved by Jo Park.');
    expect(textOf(inHere)).toContain('Postmortem: Jo Park owns it (the incident commander, by default): a blameless write-up of the cause, the impact, the steps taken and the steps to prevent it.');
    expect(textOf(inHere)).toContain('Everyone who worked on it: take a break of about 15 minutes before anything else.');
    expect(textOf(inHere)).toContain('The card and the incident doc show it resolved; notes still go on its timeline ("note <text>").');
    expect(textOf(inHere)).toContain(`"reopen [why]" takes it back to phase 2 until ${after(90 + 7 * DAY).slice(0, 10)} 01:32 UTC.`);
    expect(textOf(inAnnouncements)).toContain('Resolved by Jo Park.');
    expect(textOf(inAnnouncements)).not.toContain('Postmortem');
  });
});

test('resolve asks first: severity, how long it has been open, what is missing, the summary, how to confirm', () => {
  const { state } = given(declared);
  expect(resolveQuestion(state, after(72), 'Rolled back')).toEqual([
    'Resolve INC-1: Production has failed over to secondary database?',
    'Severity 2, phase 1. Jo Park is incident commander. Open for 1 h 12 min (declared 00:02 UTC).',
    'No business liaison yet (expected from severity 2 upward).',
    'No customer liaison yet (customers are affected).',
    'Customers are marked as affected: say in the summary what they saw and that it is over.',
    'Summary: Rolled back',
    'To resolve it now, type: resolve confirm Rolled back',
  ]);
  expect(resolveQuestion(given(declareCommand({ severity: 4 })).state, after(3)).slice(2)).toEqual([
    'Every role the practice expects at this severity is filled.',
    'No summary yet: a sentence on what happened and what fixed it helps everyone who reads it later.',
    'To resolve it now, type: resolve confirm [summary]',
  ]);
});

test('the commander also named as expert gets a gentle note, nobody else does', () => {
  expect(commanderAlsoExpert(given(declared, { type: 'AssignRole', role: 'sme', person: sam, at, by: jo }).state)).toBeUndefined();
  expect(commanderAlsoExpert(given(declared, { type: 'AssignRole', role: 'sme', person: jo, at, by: jo }).state)).toMatch(/^Jo Park is incident commander and also a subject-matter expert\. The commander coordinates while others type/);
});

test('the timeline is in time order: a message recorded late sits where it was said', () => {
  const { events } = given(
    declared,
    { type: 'AddNote', kind: 'note', text: 'failover done', at: after(30), by: jo },
    { type: 'RecordMessage', messageId: 'm1', text: 'db-2 lag 40 s', author: sam, sentAt: after(10), at: after(40), by: jo },
  );
  expect(timeline('inc-1', events.map((event, i) => ({ version: i + 1, event }))).map((e) => [e.at, e.text])).toEqual([
    [AT, expect.stringMatching(/^Declared:/)],
    [after(10), 'db-2 lag 40 s'],
    [after(30), 'failover done'],
  ]);
});
