import { decide, isRefusal, type Command } from '../../src/domain/decide';
import { evolveAll } from '../../src/domain/incident';
import { LIMITS } from '../../src/domain/vocabulary';
import { ana, announcements, AT, declareCommand, given, here, jo, sam } from './fixtures';

const at = AT;
const refusalOf = (command: Command, state = given(declareCommand()).state) => {
  const d = decide(command, state);
  return isRefusal(d) ? d.refused : undefined;
};

describe('declaring', () => {
  test('declares with the given severity, phase 1 and the declarer as commander by default', () => {
    const { events, state } = given(declareCommand());
    expect(events).toEqual([
      expect.objectContaining({ type: 'IncidentDeclared', number: 1, severity: 2, commander: jo, by: jo, customerImpact: false, private: false }),
    ]);
    expect(state).toMatchObject({ severity: 2, phase: 1, commander: jo, status: 'active', version: 1, places: [here] });
  });

  test('defaults: severity 3; the card goes to the origin and the announcements channel once each', () => {
    const { state } = given(declareCommand({ severity: undefined, announceIn: [announcements, here] }));
    expect(state.severity).toBe(3);
    expect(state.places).toEqual([here, announcements]);
  });

  test('a named commander, impact, privacy and resources being assembled', () => {
    const { state } = given(declareCommand({ commander: sam, customerImpact: true, private: true, provisioning: ['channel', 'doc'] }));
    expect(state).toMatchObject({ commander: sam, declaredBy: jo, customerImpact: true, private: true });
    expect(state.resources).toEqual({ channel: { status: 'pending' }, doc: { status: 'pending' } });
  });

  test.each([
    [{ title: '   ' }, 'An incident needs a title: what do we perceive that tells us something is wrong?'],
    [{ title: 'x'.repeat(LIMITS.title + 1) }, `The title is ${LIMITS.title + 1} characters; keep it under ${LIMITS.title} (put detail in the description).`],
    [{ description: 'y'.repeat(LIMITS.description + 1) }, `The description is ${LIMITS.description + 1} characters; the limit is ${LIMITS.description}.`],
    [{ severity: 5 }, 'Severity must be 1-4 (1 is the most severe).'],
    [{ severity: 0 }, 'Severity must be 1-4 (1 is the most severe).'],
    [{ severity: 2.5 }, 'Severity must be 1-4 (1 is the most severe).'],
  ])('refuses %j', (overrides, reason) => {
    expect(decide(declareCommand(overrides), null)).toEqual({ refused: reason });
  });

  test('records the service it is about; a declaration stored before the service was recorded has none', () => {
    const { events, state } = given(declareCommand({ service: ' checkout ', detection: 'monitoring' }));
    expect(events[0]).toMatchObject({ type: 'IncidentDeclared', service: 'checkout' });
    expect(state.service).toBe('checkout');
    const { service: _none, ...stored } = events[0] as Extract<(typeof events)[0], { type: 'IncidentDeclared' }>;
    expect(evolveAll([stored], null)!.service).toBeUndefined();
    expect(given(declareCommand({ service: '  ' })).events[0]).not.toHaveProperty('service');
  });

  test('collapses whitespace in the title', () => {
    expect(given(declareCommand({ title: '  Checkout \n API   down ' })).state.title).toBe('Checkout API down');
  });

  test('cannot declare twice', () => {
    expect(refusalOf(declareCommand())).toBe('Incident #1 is already declared.');
  });

  test('nothing can change an incident that was never declared', () => {
    expect(decide({ type: 'ChangeSeverity', severity: 1, at, by: jo }, null)).toEqual({ refused: 'There is no incident here to change.' });
  });
});

describe('severity', () => {
  test('changes, with from and to', () => {
    const { events, state } = given(declareCommand(), { type: 'ChangeSeverity', severity: 1, at, by: sam });
    expect(events[1]).toEqual({ type: 'SeverityChanged', from: 2, to: 1, at, by: sam });
    expect(state.severity).toBe(1);
  });
  test('the same value is a no-op, not an event', () => {
    expect(decide({ type: 'ChangeSeverity', severity: 2, at, by: jo }, given(declareCommand()).state)).toEqual([]);
  });
  test.each([0, 5, -1, 1.5, NaN])('refuses %p', (severity) => {
    expect(refusalOf({ type: 'ChangeSeverity', severity, at, by: jo })).toBe('Severity must be 1-4 (1 is the most severe).');
  });
});

describe('phase', () => {
  test('moves forward and back before 3', () => {
    const { state } = given(
      declareCommand(),
      { type: 'ChangePhase', phase: 2, at, by: jo },
      { type: 'ChangePhase', phase: 1, at, by: jo },
    );
    expect(state.phase).toBe(1);
  });
  test("can't go back from 3", () => {
    const { state } = given(declareCommand(), { type: 'ChangePhase', phase: 3, at, by: jo });
    expect(refusalOf({ type: 'ChangePhase', phase: 2, at, by: jo }, state)).toBe("Phase can't go back from 3 (learn and rebuild).");
  });
  test.each([4, -1, 0.5])('refuses %p', (phase) => {
    expect(refusalOf({ type: 'ChangePhase', phase, at, by: jo })).toBe('Phase must be 0-3.');
  });
});

describe('commander', () => {
  test('the commander hands off', () => {
    const { events, state } = given(declareCommand(), { type: 'ChangeCommander', to: sam, mode: 'handoff', at, by: jo });
    expect(events[1]).toEqual({ type: 'CommanderChanged', from: jo, to: sam, at, by: jo });
    expect(state.commander).toEqual(sam);
  });
  test('anyone takes command themselves', () => {
    expect(given(declareCommand(), { type: 'ChangeCommander', to: sam, mode: 'take', at, by: sam }).state.commander).toEqual(sam);
  });
  test('only the commander hands off', () => {
    expect(refusalOf({ type: 'ChangeCommander', to: ana, mode: 'handoff', at, by: sam })).toBe(
      'Only the incident commander (Jo Park) can hand off command. You can take command yourself.',
    );
  });
  test('"take" cannot name someone else', () => {
    expect(refusalOf({ type: 'ChangeCommander', to: ana, mode: 'take', at, by: sam })).toMatch(/^"Take command" makes you the commander/);
  });
  test('naming the current commander is a no-op', () => {
    expect(decide({ type: 'ChangeCommander', to: jo, mode: 'handoff', at, by: jo }, given(declareCommand()).state)).toEqual([]);
  });
});

describe('roles', () => {
  test('assigns single roles and adds subject-matter experts once each', () => {
    const { state } = given(
      declareCommand(),
      { type: 'AssignRole', role: 'customer', person: sam, at, by: jo },
      { type: 'AssignRole', role: 'sme', person: ana, at, by: jo },
      { type: 'AssignRole', role: 'sme', person: sam, at, by: jo },
    );
    expect(state.roles).toEqual({ customer: sam, sme: [ana, sam] });
    expect(decide({ type: 'AssignRole', role: 'sme', person: ana, at, by: jo }, state)).toEqual([]);
    expect(decide({ type: 'AssignRole', role: 'customer', person: sam, at, by: jo }, state)).toEqual([]);
  });
});

describe('notes', () => {
  test('records notes and destructive-action announcements, trimmed', () => {
    const { events } = given(declareCommand(), { type: 'AddNote', kind: 'action', text: '  failing over to replica  ', at, by: sam });
    expect(events[1]).toEqual({ type: 'NoteAdded', kind: 'action', text: 'failing over to replica', at, by: sam });
  });
  test('refuses empty and oversize notes', () => {
    expect(refusalOf({ type: 'AddNote', kind: 'note', text: '  ', at, by: jo })).toBe('A note needs some text.');
    expect(refusalOf({ type: 'AddNote', kind: 'note', text: 'z'.repeat(LIMITS.note + 1), at, by: jo })).toBe(
      `That note is ${LIMITS.note + 1} characters; the limit is ${LIMITS.note}.`,
    );
  });
});

describe('resolving', () => {
  test('moves to phase 3, then resolves; afterwards changes are refused but system facts recorded', () => {
    const { events, state } = given(declareCommand(), { type: 'ResolveIncident', summary: ' rolled back ', at, by: jo });
    expect(events.slice(1)).toEqual([
      { type: 'PhaseChanged', from: 1, to: 3, at, by: jo },
      // Resolved on a Sunday: the postmortem is due five working days later, on Friday (no time zone given: UTC).
      { type: 'PostmortemStarted', owner: jo, due: '2026-03-20', timeZone: 'UTC', at, by: jo },
      { type: 'IncidentResolved', summary: 'rolled back', at, by: jo },
    ]);
    expect(state).toMatchObject({ status: 'resolved', phase: 3, resolvedAt: at });
    expect(refusalOf({ type: 'ChangeSeverity', severity: 1, at, by: jo }, state)).toMatch(/^INC-1 was resolved at 00:02 UTC \(less than a minute ago\), so it can't be changed any more\./);
    expect(refusalOf({ type: 'ResolveIncident', at, by: jo }, state)).toMatch(/was resolved/);
    const posted = decide({ type: 'RecordCardPosted', conversationId: here.id, postedIn: here.id, activityId: 'a1', at, by: jo }, state);
    expect(posted).toHaveLength(1);
  });

  test('refuses a summary too long for a follow-up', () => {
    expect(refusalOf({ type: 'ResolveIncident', summary: 'y'.repeat(LIMITS.update + 1), at, by: jo })).toBe(
      `That summary is ${LIMITS.update + 1} characters; keep it under ${LIMITS.update} and put the rest in the doc.`,
    );
  });
});

describe('stakeholder updates and recorded messages', () => {
  test('refuses an empty or oversize update, and a message with no text', () => {
    expect(refusalOf({ type: 'PostStakeholderUpdate', text: ' ', at, by: jo })).toBe('A stakeholder update needs some text: what do they need to know?');
    expect(refusalOf({ type: 'PostStakeholderUpdate', text: 'u'.repeat(LIMITS.update + 1), at, by: jo })).toBe(
      `That update is ${LIMITS.update + 1} characters; keep it under ${LIMITS.update}: stakeholders need it short.`,
    );
    expect(refusalOf({ type: 'RecordMessage', messageId: 'm1', text: '  ', author: sam, sentAt: at, at, by: jo })).toBe('That message has no text to put on the timeline.');
  });
});

describe('system facts', () => {
  test('card copies are recorded once per place, the latest id winning', () => {
    const record = (activityId: string) => ({ type: 'RecordCardPosted' as const, conversationId: here.id, postedIn: here.id, activityId, at, by: jo });
    const { state } = given(declareCommand(), record('a1'), record('a2'));
    expect(state.cards).toEqual([{ conversationId: here.id, postedIn: here.id, activityId: 'a2' }]);
    expect(decide(record('a2'), state)).toEqual([]);
  });

  test('resources go pending -> retrying -> ready; trouble after ready changes nothing', () => {
    const { state } = given(
      declareCommand({ provisioning: ['bridge'] }),
      { type: 'RecordResourceTrouble', resource: 'bridge', detail: 'HTTP 503', final: false, at, by: jo },
    );
    expect(state.resources.bridge).toEqual({ status: 'retrying', detail: 'HTTP 503' });
    expect(decide({ type: 'RecordResourceTrouble', resource: 'bridge', detail: 'HTTP 503', final: false, at, by: jo }, state)).toEqual([]);
    const ready = evolveAll(
      decide({ type: 'RecordResourceReady', resource: 'bridge', url: 'https://teams.example/join', label: 'Meeting bridge', at, by: jo }, state) as never,
      state,
    )!;
    expect(ready.resources.bridge).toEqual({ status: 'ready', url: 'https://teams.example/join', label: 'Meeting bridge' });
    expect(decide({ type: 'RecordResourceTrouble', resource: 'bridge', detail: 'late', final: true, at, by: jo }, ready)).toEqual([]);
  });

  test('a final failure is recorded as failed', () => {
    const { state } = given(
      declareCommand({ provisioning: ['channel'] }),
      { type: 'RecordResourceTrouble', resource: 'channel', detail: 'missing permission Channel.Create', final: true, at, by: jo },
    );
    expect(state.resources.channel).toEqual({ status: 'failed', detail: 'missing permission Channel.Create' });
  });

  test('a place is added once', () => {
    const add = { type: 'AddPlace' as const, conversation: announcements, at, by: jo };
    const { state } = given(declareCommand(), add);
    expect(state.places).toEqual([here, announcements]);
    expect(decide(add, state)).toEqual([]);
  });
});
