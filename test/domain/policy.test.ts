import { nextUpdateDue } from '../../src/domain/cadence';
import { breakLine, breakPrompt, type BreakStarted } from '../../src/domain/breaks';
import { decide, type Command } from '../../src/domain/decide';
import { handoffDue, handoffSummary } from '../../src/domain/handoff';
import { evolveAll, type CommanderChanged, type IncidentEvent } from '../../src/domain/incident';
import { missingRoles } from '../../src/domain/messages';
import { DEFAULT_POLICY, severityMeaning, type Policy } from '../../src/domain/policy';
import { react } from '../../src/domain/react';
import { timeline } from '../../src/domain/timeline';
import { AT, declareCommand, given, here, jo, sam } from './fixtures';

const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
const custom: Policy = {
  ...DEFAULT_POLICY,
  severityMeaning: { 1: 'SEV-A: all hands', 2: 'SEV-B: a key feature down', 3: 'SEV-C: degraded', 4: 'SEV-D: cosmetic' },
  cadenceMinutes: { 1: 15, 2: 45, 3: 90, 4: 180 },
  requiredRoles: { 1: ['business', 'comms'], 2: ['comms'], 3: [], 4: [] },
  handoffMinutes: 120,
  breakMinutes: 20,
  overdueEscalationMinutes: 10,
  timeZone: 'Europe/Berlin',
};

function effectsOf(previous: Command[], command: Command) {
  const { state } = given(...previous);
  const events = decide(command, state) as IncidentEvent[];
  return { events, effects: react(events, evolveAll(events, state)!), state: evolveAll(events, state)! };
}

describe('policy: defaults are today\'s practice', () => {
  test('no policy: severity words, cadence and the business liaison from severity 2 as before', () => {
    const { state } = given(declareCommand({ severity: 2 }));
    expect(state.policy).toBeUndefined();
    expect(severityMeaning(state, 2)).toBe('Major: a key feature is broken or badly degraded for many customers');
    expect(nextUpdateDue(state)).toBe(later(60));
    expect(missingRoles(state)).toEqual(['No business liaison yet (expected from severity 2 upward).']);
    expect(handoffDue(state)).toBe(later(180));
  });

  test('an organisation\'s policy: its words, its cadence, its roles, its hand-off limit', () => {
    const { state } = given(declareCommand({ severity: 2, policy: custom }));
    expect(severityMeaning(state, 2)).toBe('SEV-B: a key feature down');
    expect(nextUpdateDue(state)).toBe(later(45));
    expect(missingRoles(state)).toEqual(['No communications lead yet (expected from severity 2 upward).']);
    expect(handoffDue(state)).toBe(later(120));
    const sev1 = given(declareCommand({ severity: 1, policy: custom })).state;
    expect(missingRoles(sev1)).toEqual(['No business liaison yet (expected at severity 1).', 'No communications lead yet (expected from severity 2 upward).']);
  });

  test('customers affected still hold the cadence to the hour', () => {
    const { state } = given(declareCommand({ severity: 4, customerImpact: true, policy: custom }));
    expect(nextUpdateDue(state)).toBe(later(60));
  });
});

describe('breaks (issue 18 items 1-2)', () => {
  const impact = declareCommand({ customerImpact: true });
  test('impact cleared: one break for the whole team, told in the incident conversation, the card refreshed when it ends', () => {
    const { events, effects, state } = effectsOf([impact], { type: 'ChangeCustomerImpact', customerImpact: false, at: later(30), by: jo });
    expect(events.map((e) => e.type)).toEqual(['CustomerImpactChanged', 'BreakStarted']);
    expect(events[1]).toMatchObject({ until: later(45), reason: 'impact-ended' });
    const prompts = effects.filter((e) => e.kind === 'message.post' && e.key.includes(':break:'));
    expect(prompts).toHaveLength(1);
    expect((prompts[0].payload as { message: { subject: string } }).message.subject).toBe('INC-1: take a break of about 15 minutes, back at 00:47 UTC');
    expect(effects.find((e) => e.kind === 'card.refresh' && e.notBefore === later(45))).toBeDefined();
    expect(breakLine(state, new Date(later(40)))).toBe('On break until 00:47 UTC');
    expect(breakLine(state, new Date(later(45)))).toBeUndefined();
  });

  test('impact cleared and then phase 2: still one break (impact ends once)', () => {
    const { events } = effectsOf([impact, { type: 'ChangeCustomerImpact', customerImpact: false, at: later(30), by: jo }], { type: 'ChangePhase', phase: 2, at: later(90), by: jo });
    expect(events.map((e) => e.type)).toEqual(['PhaseChanged']);
  });

  test('phase 2 without impact: the bleeding has stopped, a break', () => {
    const { events } = effectsOf([declareCommand()], { type: 'ChangePhase', phase: 2, at: later(5), by: jo });
    expect(events.map((e) => e.type)).toEqual(['PhaseChanged', 'BreakStarted']);
  });

  test('the organisation\'s break length and time zone', () => {
    const { events, state } = effectsOf([declareCommand({ customerImpact: true, policy: custom })], { type: 'ChangeCustomerImpact', customerImpact: false, at: later(30), by: jo });
    const started = events[1] as BreakStarted;
    expect(started.until).toBe(later(50));
    expect(breakPrompt(state, started).subject).toBe('INC-1: take a break of about 20 minutes, back at 01:52 (Europe/Berlin)');
  });

  test('`action procedure`: the same prompt before starting; not while a break is under way', () => {
    const procedure = { type: 'AddNote' as const, kind: 'action' as const, text: 'restore cluster X', procedure: true, at: later(10), by: jo };
    const { events, state } = effectsOf([declareCommand()], procedure);
    expect(events.map((e) => e.type)).toEqual(['NoteAdded', 'BreakStarted']);
    expect(breakPrompt(state, events[1] as BreakStarted).lines[0]).toContain('restore cluster X');
    expect(effectsOf([declareCommand(), procedure], { ...procedure, at: later(15) }).events.map((e) => e.type)).toEqual(['NoteAdded']);
    expect(effectsOf([declareCommand(), procedure], { ...procedure, at: later(30) }).events.map((e) => e.type)).toEqual(['NoteAdded', 'BreakStarted']);
    expect(effectsOf([declareCommand()], { ...procedure, procedure: false }).events.map((e) => e.type)).toEqual(['NoteAdded']);
  });

  test('on the timeline', () => {
    const { events } = given(declareCommand(), { type: 'ChangePhase', phase: 2, at: later(5), by: jo });
    const entries = timeline('inc-1', events.map((event, i) => ({ version: i + 1, event })));
    expect(entries.map((e) => e.text)).toContain('Impact ended: team break until 00:22 UTC.');
  });
});

describe('hand-offs (issue 18 item 3)', () => {
  test('a reminder at the limit for the IC in command; a new IC gets a new one from their start', () => {
    const { effects } = effectsOf([], declareCommand());
    expect(effects.find((e) => e.kind === 'reminder.handoff')).toMatchObject({ notBefore: later(180), payload: { commanderId: jo.id, since: AT } });
    const handed = effectsOf([declareCommand()], { type: 'ChangeCommander', to: sam, mode: 'handoff', at: later(100), by: jo });
    expect(handed.effects.find((e) => e.kind === 'reminder.handoff')).toMatchObject({ notBefore: later(280), payload: { commanderId: sam.id, since: later(100) } });
  });

  test('the hand-off card: state, open roles, next update due, what was verified', () => {
    const verified = { type: 'AddNote' as const, kind: 'note' as const, text: 'verified: db-2 serves reads (psql select 1 at 00:10)', at: later(8), by: sam };
    const plainNote = { type: 'AddNote' as const, kind: 'note' as const, text: 'looking at db-2', at: later(9), by: sam };
    const followUpPolicy = { windowDays: 5, timeZone: 'Etc/UTC', hour: 9 };
    const open = { type: 'AddFollowUp' as const, text: 'Alert on replication lag', owner: sam, due: '2026-03-20', policy: followUpPolicy, at: later(10), by: jo };
    const closed = { type: 'AddFollowUp' as const, text: 'Page the DBA team', owner: jo, policy: followUpPolicy, at: later(11), by: jo };
    const done = { type: 'CloseFollowUp' as const, n: 2, outcome: 'done' as const, at: later(12), by: jo };
    const { events, effects } = effectsOf([declareCommand({ customerImpact: true }), verified, plainNote, open, closed, done], { type: 'ChangeCommander', to: sam, mode: 'handoff', at: later(20), by: jo });
    const posts = effects.filter((e) => e.kind === 'handoff.post');
    expect(posts).toHaveLength(1);
    expect(posts[0].payload).toMatchObject({ conversation: here });
    expect((posts[0].payload as { summary: unknown }).summary).toEqual({
      number: 1,
      title: 'Production has failed over to secondary database',
      from: jo,
      to: sam,
      at: later(20),
      severity: 2,
      severityMeaning: DEFAULT_POLICY.severityMeaning[2],
      phase: 1,
      customerImpact: true,
      openRoles: ['No business liaison yet (expected from severity 2 upward).', 'No customer liaison yet (customers are affected).'],
      nextUpdateDue: later(60),
      verified: [{ text: 'db-2 serves reads (psql select 1 at 00:10)', at: later(8), by: sam }],
      // What was promised and is still open goes to the next IC; what was done does not.
      openFollowUps: [{ n: 1, text: 'Alert on replication lag', owner: sam, due: '2026-03-20' }],
    });
    // The hand-off is announced as before: a follow-up in every place.
    expect(effects.filter((e) => e.kind === 'message.post').length).toBeGreaterThan(0);
    expect(handoffSummary(evolveAll(events, given(declareCommand()).state)!, events[0] as CommanderChanged).verified).toEqual([]);
  });
});

describe('overdue escalation (issue 17 item 7)', () => {
  const managers = [{ name: 'Dana Manager', email: 'dana@contoso.test', teamsId: '29:dana' }, { name: 'Eli Mail', email: 'eli@contoso.test' }];
  test('an escalation time 30 minutes after every due time', () => {
    const { effects } = effectsOf([], declareCommand());
    expect(effects.find((e) => e.kind === 'escalate.overdue')).toMatchObject({ notBefore: later(90), payload: { due: later(60) } });
  });

  test('once per overdue period: mail to each manager, a 1:1 to those Teams knows, one message naming them all, on the timeline', () => {
    const escalate = { type: 'EscalateOverdueUpdate' as const, due: later(60), managers, at: later(91), by: jo };
    const { events, effects } = effectsOf([declareCommand()], escalate);
    expect(events.map((e) => e.type)).toEqual(['UpdateOverdueEscalated']);
    expect(effects.filter((e) => e.kind === 'mail.send').map((e) => (e.payload as { to: string }).to)).toEqual(['dana@contoso.test', 'eli@contoso.test']);
    const posts = effects.filter((e) => e.kind === 'message.post');
    expect(posts).toHaveLength(1);
    const post = (posts[0].payload as { message: { mentions?: unknown; subject: string; lines: string[] } }).message;
    expect(post).toMatchObject({ subject: 'INC-1: the stakeholder update is overdue by 31 min' });
    expect(post.lines[0]).toBe('Incident managers told: Dana Manager, Eli Mail.');
    expect(post.mentions).toBeUndefined(); // told on their own: not notified a second time there
    const told = effects.filter((e) => e.kind === 'person.notify');
    expect(told.map((e) => e.payload)).toEqual([{ person: { id: '29:dana', name: 'Dana Manager' }, message: expect.objectContaining({ subject: 'INC-1: the stakeholder update is overdue by 31 min' }) }]);
    expect(effectsOf([declareCommand(), escalate], { ...escalate, at: later(106) }).events).toEqual([]);
    const entries = timeline('inc-1', given(declareCommand(), escalate).events.map((event, i) => ({ version: i + 1, event })));
    expect(entries.map((e) => e.text)).toContain('The stakeholder update due 01:02 UTC was 31 min overdue: incident managers notified (Dana Manager, Eli Mail).');
  });

  test('not once an update went out, not before the threshold, not without managers', () => {
    const escalate = { type: 'EscalateOverdueUpdate' as const, due: later(60), managers, at: later(91), by: jo };
    expect(effectsOf([declareCommand(), { type: 'PostStakeholderUpdate', text: 'still on it', at: later(70), by: jo }], escalate).events).toEqual([]);
    expect(effectsOf([declareCommand()], { ...escalate, at: later(80) }).events).toEqual([]);
    expect(effectsOf([declareCommand()], { ...escalate, managers: [] }).events).toEqual([]);
  });
});
