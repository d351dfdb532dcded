import { asPlainText, changeLine, coordinationLine, declaration, followUp, headline, missingRoles, nextUpdateLine } from '../../src/domain/messages';
import { ana, AT, declareCommand, given, jo, sam } from './fixtures';

const at = AT;

describe('the declaration, in the shape of seed 000', () => {
  test('subject = what we perceive; first line = severity, phase, commander, where; then description and roles', () => {
    const { state } = given(
      declareCommand({
        description:
          'The primary database cluster stopped responding to requests at 0:02 UTC. After thirty seconds, production failed over to the secondary database and alerted us.',
      }),
      { type: 'AssignRole', role: 'customer', person: sam, at, by: jo },
      { type: 'AssignRole', role: 'business', person: ana, at, by: jo },
      { type: 'AssignRole', role: 'sme', person: { id: 'u-dave', name: 'Dave D.' }, at, by: jo },
      { type: 'RecordResourceReady', resource: 'channel', url: 'https://teams.example/c', label: '#inc-1-failover', at, by: jo },
      { type: 'RecordResourceReady', resource: 'bridge', url: 'https://teams.example/m', label: 'the meeting bridge', at, by: jo },
    );
    expect(asPlainText(declaration(state))).toBe(
      [
        'INC-1: Production has failed over to secondary database',
        'Severity 2, phase 1. Jo Park is incident commander. Coordinating via #inc-1-failover (https://teams.example/c) and the meeting bridge (https://teams.example/m).',
        'The primary database cluster stopped responding to requests at 0:02 UTC. After thirty seconds, production failed over to the secondary database and alerted us.',
        'Customer liaison: Sam Lee. Business liaison: Alícia S. Subject-matter experts: Dave D.',
        'Next update by 01:02 UTC.',
      ].join('\n'),
    );
  });

  test('says what is still being assembled, and which roles the practice expects', () => {
    const { state } = given(declareCommand({ severity: 1, customerImpact: true, provisioning: ['channel', 'bridge', 'doc'] }));
    expect(coordinationLine(state)).toBe('Coordinating in the Teams conversation where it was declared. Still assembling: channel, meeting bridge, incident doc.');
    expect(missingRoles(state)).toEqual([
      'No business liaison yet (expected from severity 2 upward).',
      'No customer liaison yet (customers are affected).',
    ]);
    expect(missingRoles(given(declareCommand({ severity: 3 })).state)).toEqual([]);
  });

  test('a private incident announces only that it exists and who leads it', () => {
    const { state } = given(declareCommand({ private: true, description: 'secret details' }));
    const text = asPlainText(declaration(state, { redact: true }));
    expect(text).toBe('INC-1: private incident declared\nSeverity 2, phase 1. Jo Park is incident commander.\nDetails are shared with the people working on it.\nNext update by 01:02 UTC.');
    expect(text).not.toContain('failed over');
    expect(asPlainText(declaration(state))).toContain('secret details');
  });
});

describe('follow-ups carry the current severity, phase and commander, and what changed', () => {
  test.each([
    [{ type: 'ChangeSeverity' as const, severity: 1 }, 'Severity raised from 2 to 1 by Sam Lee.'],
    [{ type: 'ChangeSeverity' as const, severity: 4 }, 'Severity lowered from 2 to 4 by Sam Lee.'],
    [{ type: 'ChangePhase' as const, phase: 2 }, 'Phase moved from 1 to 2 by Sam Lee.'],
    [{ type: 'ChangeCommander' as const, to: sam, mode: 'take' as const }, 'Sam Lee took command from Jo Park.'],
    [{ type: 'ResolveIncident' as const, summary: 'Rolled back.' }, 'Resolved by Sam Lee. Rolled back.'],
  ])('%j', (change, line) => {
    const { events, state } = given(declareCommand(), { ...change, at, by: sam } as never);
    const last = events.filter((e) => e.type !== 'BreakStarted').pop()!; // phase 2 also starts the team's break
    expect(changeLine(last)).toBe(line);
    const message = followUp(state, [line]);
    expect(message.subject).toBe('Re: INC-1: Production has failed over to secondary database');
    expect(message.lines[0]).toBe(line);
    expect(message.lines).toContain(`Severity ${state.severity}, phase ${state.phase}. ${state.commander.name} is incident commander.`);
  });

  test('a hand-off names both people', () => {
    const { events } = given(declareCommand(), { type: 'ChangeCommander', to: sam, mode: 'handoff', at, by: jo });
    expect(changeLine(events[1])).toBe('Jo Park handed command to Sam Lee.');
  });

  test('notes and system facts are not follow-ups', () => {
    const { events } = given(declareCommand(), { type: 'AddNote', kind: 'note', text: 'x', at, by: jo });
    expect(changeLine(events[1])).toBeUndefined();
  });

  test('headline', () => {
    const { state } = given(declareCommand(), { type: 'ResolveIncident', at, by: jo });
    expect(headline(state)).toBe('INC-1: Production has failed over to secondary database. Resolved. Severity 2, phase 3. Jo Park is incident commander.');
    expect(headline(given(declareCommand({ private: true })).state, { redact: true })).toBe(
      'INC-1: private incident. Severity 2, phase 1. Jo Park is incident commander.',
    );
  });
});

test('the coordination line names the doc once it exists', () => {
  const { state } = given(declareCommand({ provisioning: ['doc', 'bridge'] }), { type: 'RecordResourceReady', resource: 'doc', url: 'https://docs.google.com/document/d/abc/edit', label: 'INC-1 x', at, by: jo });
  expect(coordinationLine(state)).toBe('Coordinating in the Teams conversation where it was declared. Incident doc: https://docs.google.com/document/d/abc/edit Still assembling: meeting bridge.');
});

test('a follow-up says where people coordinate once a link exists, and when the next update comes', () => {
  const { state } = given(
    declareCommand({ provisioning: ['bridge'] }),
    { type: 'RecordResourceReady', resource: 'bridge', url: 'https://teams.example/m', label: 'the meeting bridge', at, by: jo },
    { type: 'ChangeSeverity', severity: 1, at, by: sam },
  );
  expect(followUp(state, ['Severity raised from 2 to 1 by Sam Lee.']).lines).toEqual([
    'Severity raised from 2 to 1 by Sam Lee.',
    'Severity 1, phase 1. Jo Park is incident commander. Coordinating via the meeting bridge (https://teams.example/m).',
    'No business liaison yet (expected from severity 2 upward).',
    'Next update by 00:32 UTC.',
  ]);
  // The link is also given apart, so Teams can show "the meeting bridge" as a link instead of the long URL.
  expect(followUp(state, []).links).toEqual([{ text: 'the meeting bridge (https://teams.example/m)', label: 'the meeting bridge', url: 'https://teams.example/m' }]);
  // A private incident's follow-up outside its conversation: no links, still the cadence.
  const secret = { ...state, private: true };
  expect(followUp(secret, ['Severity raised from 2 to 1 by Sam Lee.'], { redact: true }).lines).toEqual([
    'Severity raised from 2 to 1 by Sam Lee.',
    'Severity 1, phase 1. Jo Park is incident commander.',
    'Next update by 00:32 UTC.',
  ]);
});

describe('the next update falls on another day: the time says which', () => {
  test.each([
    ['2026-03-15T23:30:00.000Z', 2, 'Next update by 2026-03-16 00:30 UTC.'],
    ['2026-03-15T23:59:00.000Z', 1, 'Next update by 2026-03-16 00:29 UTC.'],
    ['2026-12-31T21:00:00.000Z', 4, 'Next update by 2027-01-01 01:00 UTC.'],
    ['2026-03-15T22:59:00.000Z', 2, 'Next update by 23:59 UTC.'],
    ['2026-03-16T00:10:00.000Z', 2, 'Next update by 01:10 UTC.'],
  ])('declared %s at severity %i: "%s"', (declaredAt, severity, line) => {
    const { state } = given(declareCommand({ at: declaredAt, severity }));
    expect(nextUpdateLine(state)).toBe(line);
    expect(asPlainText(declaration(state)).split('\n').at(-1)).toBe(line);
  });
});
