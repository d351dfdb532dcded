import { decide } from '../../src/domain/decide';
import { declareCommand, given, jo } from './fixtures';
import { alertLine, alertTimelineText, decideAlertState, evolveAlertState, type RecordAlertState } from '../../src/domain/alert-state';

const by = { id: 'firebreak', name: 'Firebreak' };
const record = (status: 'firing' | 'resolved', firing: number): RecordAlertState => ({ type: 'RecordAlertState', title: 'Checkout 5xx', status, firing, ...(status === 'resolved' && { resolvedAt: '2026-12-03T10:42:10Z' }), at: '2026-12-03T10:43:00Z', by });

describe('the alert state of an incident declared from monitoring', () => {
  it('records a change, and nothing for the same state again', () => {
    const [first] = decideAlertState(record('firing', 1), {});
    expect(first).toMatchObject({ type: 'AlertStateRecorded', status: 'firing', firing: 1 });
    const alert = evolveAlertState(first);
    expect(decideAlertState(record('firing', 1), { alert })).toEqual([]);
    expect(decideAlertState(record('firing', 3), { alert })).toHaveLength(1);
  });

  it('tells the timeline "fired again" after the first, and "resolved at" with the source\'s time', () => {
    const [again] = decideAlertState(record('firing', 3), {});
    expect(alertTimelineText(again, true)).toBe('Alert "Checkout 5xx" firing: 3 alerts firing.');
    expect(alertTimelineText(again, false)).toBe('Alert "Checkout 5xx" fired again: 3 alerts firing.');
    const [resolved] = decideAlertState(record('resolved', 0), {});
    expect(alertTimelineText(resolved, false)).toBe('Alert "Checkout 5xx" resolved at 10:42 UTC.');
    expect(alertLine(evolveAlertState(resolved))).toBe('resolved at 10:42 UTC');
  });
});

describe('an alert group resolving after its incident', () => {
  it('still goes on the resolved incident\'s timeline (alerts often resolve after the incident)', () => {
    const { state } = given(declareCommand(), { type: 'ResolveIncident', at: '2026-03-15T00:30:00.000Z', by: jo });
    expect(state.status).toBe('resolved');
    const events = decide({ ...record('resolved', 0), at: '2026-03-15T00:40:00.000Z', by }, state);
    expect(Array.isArray(events) && events.map((e) => e.type)).toEqual(['AlertStateRecorded']);
  });
});
