import { decide } from '../../src/domain/decide';
import { formatDuration, incidentFigures } from '../../src/domain/figures';
import { evolveAll, type IncidentEvent } from '../../src/domain/incident';
import { AT, declareCommand, given, jo } from './fixtures';

const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();

describe('incident figures', () => {
  it('declared from an alert that started 7 minutes earlier: detect 7 min; mitigated when impact cleared; resolved', () => {
    const { events } = given(
      declareCommand({ customerImpact: true, detection: 'monitoring', detectedAt: later(-7) }),
      { type: 'ChangeCustomerImpact', customerImpact: false, at: later(20), by: jo },
      { type: 'ChangePhase', phase: 2, at: later(30), by: jo },
      { type: 'ResolveIncident', at: later(53), by: jo },
    );
    expect(incidentFigures(events)).toEqual({
      detectedAt: later(-7),
      declaredAt: AT,
      mitigatedAt: later(20),
      resolvedAt: later(53),
      timeToDetectSeconds: 7 * 60,
      timeToMitigateSeconds: 27 * 60,
      timeToResolveSeconds: 60 * 60,
    });
    expect(evolveAll(events)!.detection).toBe('monitoring');
  });

  it('without an earlier sign, detection is the declaration; moving to phase 2 counts as mitigation; open: no resolve time', () => {
    const { events } = given(declareCommand(), { type: 'ChangePhase', phase: 2, at: later(12), by: jo });
    expect(incidentFigures(events)).toEqual({ detectedAt: AT, declaredAt: AT, mitigatedAt: later(12), timeToDetectSeconds: 0, timeToMitigateSeconds: 720 });
  });

  it('a detection time after the declaration is ignored; a reopened incident counts its last resolution', () => {
    const declared = given(declareCommand({ detectedAt: later(5) }));
    expect(declared.state.detectedAt).toBeUndefined();
    const { events, state } = given(declareCommand({ detectedAt: later(5) }), { type: 'ResolveIncident', at: later(10), by: jo });
    const reopened = decide({ type: 'ReopenIncident', at: later(15), by: jo }, state) as IncidentEvent[];
    expect(reopened.map((e) => e.type)).toEqual(['IncidentReopened']);
    const all = [...events, ...reopened];
    expect(incidentFigures(all)).toMatchObject({ detectedAt: AT, timeToDetectSeconds: 0 });
    expect(incidentFigures(all)!.resolvedAt).toBeUndefined();
    const again = decide({ type: 'ResolveIncident', at: later(40), by: jo }, evolveAll(all)!) as IncidentEvent[];
    expect(incidentFigures([...all, ...again])).toMatchObject({ mitigatedAt: later(40), resolvedAt: later(40), timeToResolveSeconds: 2400 });
  });

  it('reads durations as people say them', () => {
    expect([40, 720, 3900, 2 * 86400 + 3 * 3600].map(formatDuration)).toEqual(['40 s', '12 min', '1 h 05 min', '2 d 3 h']);
  });
});
