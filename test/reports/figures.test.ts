import { decide, isRefusal, type Command } from '../../src/domain/decide';
import type { FollowUpPolicy } from '../../src/domain/followups';
import { evolveAll, type IncidentEvent } from '../../src/domain/incident';
import { planningRows, toCsv } from '../../src/reports/export';
import { buildReport, median } from '../../src/reports/figures';
import { followUpsChart, mediansChart, onTimeLine, weeksChart } from '../../src/reports/svg';
import { declareCommand, jo, sam } from '../domain/fixtures';

const policy: FollowUpPolicy = { windowDays: 5, timeZone: 'Europe/Berlin', hour: 9 };
// Thursday 2026-12-03, noon in Berlin: this week began Monday 2026-11-30.
const NOW = new Date('2026-12-03T11:00:00.000Z');
const min = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();

function incident(n: number, at: string, commands: ((at: string) => Command)[], severity = 2) {
  let state = null;
  const events: IncidentEvent[] = [];
  for (const c of [() => declareCommand({ incidentId: `inc-${n}`, number: n, severity, at }), ...commands.map((f) => () => f(at))]) {
    const d = decide(c() as Command, state);
    if (isRefusal(d)) throw new Error(d.refused);
    events.push(...d);
    state = evolveAll(d, state);
  }
  return { incident: state!, events };
}

describe('the reports page figures', () => {
  const logs = [
    // This week: a severity 2 raised to 1, mitigated after 20 min, resolved after 60.
    incident(1, '2026-12-01T09:00:00.000Z', [(at) => ({ type: 'ChangeSeverity', severity: 1, at: min(at, 5), by: jo }), (at) => ({ type: 'ChangePhase', phase: 2, at: min(at, 20), by: jo }), (at) => ({ type: 'ResolveIncident', at: min(at, 60), by: jo })]),
    // This week and last week: severity 1s resolved in 30 and 90 minutes (median 60).
    incident(2, '2026-12-02T09:00:00.000Z', [(at) => ({ type: 'ResolveIncident', at: min(at, 30), by: jo })], 1),
    incident(3, '2026-11-24T09:00:00.000Z', [(at) => ({ type: 'ResolveIncident', at: min(at, 90), by: jo })], 1),
    // Sunday 23:30 in Berlin is still last week there, though Monday in UTC+14; a severity 3 still open.
    incident(4, '2026-11-29T22:30:00.000Z', [], 3),
    // Follow-ups: one done on time, one late, one overdue, one open, one cancelled (not counted).
    incident(5, '2026-11-20T09:00:00.000Z', [
      (at) => ({ type: 'AddFollowUp', text: 'a', owner: sam, due: '2026-11-23', policy, at, by: jo }),
      (at) => ({ type: 'AddFollowUp', text: 'b', owner: sam, due: '2026-11-23', policy, at, by: jo }),
      (at) => ({ type: 'AddFollowUp', text: 'c', owner: sam, due: '2026-11-27', policy, at, by: jo }),
      (at) => ({ type: 'AddFollowUp', text: 'd', due: '2026-12-24', policy, at, by: jo }),
      (at) => ({ type: 'AddFollowUp', text: 'e', policy, at, by: jo }),
      () => ({ type: 'CloseFollowUp', n: 1, outcome: 'done', at: '2026-11-23T22:00:00.000Z', by: sam }), // 23:00 in Berlin: on time
      () => ({ type: 'CloseFollowUp', n: 2, outcome: 'done', at: '2026-11-23T23:30:00.000Z', by: sam }), // 00:30 the next day there: late
      () => ({ type: 'CloseFollowUp', n: 5, outcome: 'cancelled', at: '2026-11-24T09:00:00.000Z', by: sam }),
    ], 4),
  ];
  const report = buildReport(logs, NOW, 'Europe/Berlin', 4);

  it('counts incidents per week (weeks start Monday in the zone) by the most severe level reached', () => {
    expect(report.weeks.map((w) => [w.start, w.bySeverity])).toEqual([
      ['2026-11-09', { 1: 0, 2: 0, 3: 0, 4: 0 }],
      ['2026-11-16', { 1: 0, 2: 0, 3: 0, 4: 1 }],
      ['2026-11-23', { 1: 1, 2: 0, 3: 1, 4: 0 }],
      ['2026-11-30', { 1: 2, 2: 0, 3: 0, 4: 0 }],
    ]);
  });

  it('takes the median time to mitigate and resolve per severity from the domain figures', () => {
    // Mitigated after 20, 30 (resolved without an earlier sign of mitigation) and 90 minutes; resolved after 60, 30, 90.
    expect(report.medians.find((m) => m.severity === 1)).toEqual({ severity: 1, count: 3, mitigateSeconds: 1800, resolveSeconds: 3600 });
    expect(report.medians.find((m) => m.severity === 3)).toEqual({ severity: 3, count: 1 }); // open: no times
    expect(median([30, 10, 20, 40])).toBe(25);
  });

  it('sorts follow-ups into done on time, late, overdue and open, by the organisation\'s date', () => {
    expect(report.followUps).toEqual({ onTime: 1, late: 1, overdue: 1, open: 1 });
    expect(onTimeLine(report)).toBe('1 of 2 done items were done on time (50 %).');
  });

  it('draws what it counts, each mark carrying its value', () => {
    const weeks = weeksChart(report);
    expect([...weeks.matchAll(/data-week="([^"]+)" data-severity="(\d)" data-count="(\d+)"/g)].map((m) => m.slice(1).join(' '))).toEqual(['2026-11-16 4 1', '2026-11-23 1 1', '2026-11-23 3 1', '2026-11-30 1 2']);
    expect(mediansChart(report)).toContain('<title>Severity 1: median time to resolve 1 h 00 min</title>');
    expect(followUpsChart(report)).toContain('data-what="overdue" data-count="1"');
    expect(weeksChart({ ...report, weeks: [{ start: '<x>', bySeverity: { 1: 1, 2: 0, 3: 0, 4: 0 } }] })).not.toContain('<x>');
  });
});

describe('the planning export', () => {
  it('lists planning items only, private titles and items left out, and CSV cells never run as formulas', () => {
    const at = '2026-12-03T11:00:00.000Z';
    const base = incident(7, at, [
      (t) => ({ type: 'AddFollowUp', text: '=HYPERLINK("http://evil")', policy, at: t, by: jo }),
      (t) => ({ type: 'AddFollowUp', text: 'Soon, "quoted"', owner: sam, due: 'tomorrow', policy, at: t, by: jo }),
      (t) => ({ type: 'AddFollowUp', text: 'Later, "quoted"', owner: sam, due: '2027-03-01', policy, at: t, by: jo }),
    ]).incident;
    const rows = planningRows([base, { ...base, number: 8, private: true }]);
    expect(rows.map((r) => `${r.incident} #${r.n} ${r.title.slice(0, 9)}`)).toEqual(['INC-7 #1 Productio', 'INC-7 #3 Productio', 'INC-8 #1 (private)', 'INC-8 #3 (private)']);
    // A private incident's items are its responders' too: only the number and the state leave it.
    expect(rows.filter((r) => r.incident === 'INC-8').map((r) => r.text)).toEqual(['(private)', '(private)']);
    const csv = toCsv(rows).split('\r\n');
    expect(csv[0]).toBe('incident,title,n,text,owner,due,status,addedAt,closedAt');
    expect(csv[1]).toContain(`,1,"'=HYPERLINK(""http://evil"")",,,open,${at},`);
    expect(csv[2]).toContain(',3,"Later, ""quoted""",Sam Lee,2027-03-01,open,');
  });
});
