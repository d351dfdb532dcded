import { addDays, dayOfWeek, localDate } from '../domain/followup-dates';
import { doneOnTime } from '../domain/followups';
import { incidentFigures } from '../domain/figures';
import type { Incident, IncidentEvent, Severity } from '../domain/incident';

/**
 * The reports page's figures (issue 18 item 11), pure: from each incident's event log, through the domain's own
 * figures (src/domain/figures.ts: detected, mitigated, resolved and the times between), never recomputed here.
 * - incidents per week (weeks start Monday in the organisation's time zone) by the most severe level each reached;
 * - median time to mitigate and to resolve by that severity, over the incidents resolved in the period;
 * - follow-up items by how they ended: done on time, done late, open and overdue, open and not yet due.
 */
export interface Report {
  weeks: { start: string; bySeverity: Record<Severity, number> }[];
  medians: { severity: Severity; count: number; mitigateSeconds?: number; resolveSeconds?: number }[];
  followUps: { onTime: number; late: number; overdue: number; open: number };
}

export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4];

export function buildReport(logs: readonly { incident: Incident; events: readonly IncidentEvent[] }[], now: Date, timeZone: string, weekCount = 12): Report {
  const today = localDate(now, timeZone);
  const thisWeek = addDays(today, -((dayOfWeek(today) + 6) % 7));
  const starts = Array.from({ length: weekCount }, (_, i) => addDays(thisWeek, -7 * (weekCount - 1 - i)));
  const weeks = starts.map((start) => ({ start, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } as Record<Severity, number> }));
  const times: Record<Severity, { mitigate: number[]; resolve: number[]; count: number }> = { 1: blank(), 2: blank(), 3: blank(), 4: blank() };
  const followUps = { onTime: 0, late: 0, overdue: 0, open: 0 };

  for (const { incident, events } of logs) {
    const figures = incidentFigures(events);
    if (!figures) continue;
    const severity = worstSeverity(events);
    const declared = localDate(figures.declaredAt, timeZone);
    const week = [...weeks].reverse().find((w) => w.start <= declared);
    if (week && declared >= starts[0]) {
      week.bySeverity[severity] += 1;
      times[severity].count += 1;
      if (figures.timeToMitigateSeconds !== undefined && figures.resolvedAt) times[severity].mitigate.push(figures.timeToMitigateSeconds);
      if (figures.timeToResolveSeconds !== undefined) times[severity].resolve.push(figures.timeToResolveSeconds);
    }
    for (const item of incident.followUps ?? []) {
      if (item.status === 'cancelled') continue;
      const onTime = doneOnTime(item, timeZone);
      if (onTime === true || (item.status === 'done' && !item.due)) followUps.onTime += 1;
      else if (onTime === false) followUps.late += 1;
      else if (item.status === 'open' && item.due && item.due < today) followUps.overdue += 1;
      else if (item.status === 'open') followUps.open += 1;
    }
  }
  const medians = SEVERITIES.map((severity) => ({
    severity,
    count: times[severity].count,
    ...(times[severity].mitigate.length && { mitigateSeconds: median(times[severity].mitigate) }),
    ...(times[severity].resolve.length && { resolveSeconds: median(times[severity].resolve) }),
  }));
  return { weeks, medians, followUps };
}

const blank = () => ({ mitigate: [] as number[], resolve: [] as number[], count: 0 });

/** The most severe level the incident reached (1 is the most severe). */
function worstSeverity(events: readonly IncidentEvent[]): Severity {
  let worst: Severity = 4;
  for (const e of events) {
    if (e.type === 'IncidentDeclared' && e.severity < worst) worst = e.severity;
    if (e.type === 'SeverityChanged' && e.to < worst) worst = e.to;
  }
  return worst;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}
