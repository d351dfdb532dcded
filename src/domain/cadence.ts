import type { AudienceCadence } from './audiences';
import type { Incident } from './incident';
import { policyOf } from './policy';

/**
 * How often stakeholders hear from us (DOMAIN.md, seeds 001 and 003): every update says when the next one comes,
 * and with customers affected never more than an hour passes between updates.
 */
export function updateIntervalMinutes(incident: Pick<Incident, 'severity' | 'customerImpact' | 'policy'>, audience?: Omit<AudienceCadence, 'name' | 'lastAt'>): number {
  // The organisation's cadence per severity (its policy), today's 30/60/120/240 minutes by default.
  const bySeverity = audience?.everyMinutes ?? policyOf(incident).cadenceMinutes[incident.severity];
  // One audience: only the customers' is held to the hour (an executive list may well hear less often).
  const capped = incident.customerImpact && (audience ? audience.customers : true);
  return capped ? Math.min(bySeverity, 60) : bySeverity;
}

/** ISO time an audience's next update is due (from the last one it was told); undefined if never told or resolved. */
export function nextAudienceUpdateDue(incident: Incident, audienceId: string): string | undefined {
  const told = incident.audiences?.[audienceId];
  if (!told || incident.status === 'resolved') return undefined;
  return new Date(new Date(told.lastAt).getTime() + updateIntervalMinutes(incident, told) * 60_000).toISOString();
}

/** ISO time the next stakeholder update is due; undefined once resolved. */
export function nextUpdateDue(incident: Incident): string | undefined {
  if (incident.status === 'resolved') return undefined;
  return new Date(new Date(incident.lastUpdateAt).getTime() + updateIntervalMinutes(incident) * 60_000).toISOString();
}

/**
 * When a repeating reminder runs next: the first of `anchor`, `anchor + every`, `anchor + 2 × every`, … after the time
 * this run started. Anchored, so the cadence does not drift by each run's own duration; counted from the run's START,
 * so a run that stalled (or whose clock stepped forward) while it posted is followed at once by the reminder now due,
 * and a run long after its time (the service was down) is followed by one reminder, not a burst of missed ones.
 */
export function nextRunAt(anchor: string, everyMinutes: number, started: Date): string {
  const from = Date.parse(anchor);
  const every = everyMinutes * 60_000;
  const steps = Math.max(1, Math.floor((started.getTime() - from) / every) + 1);
  return new Date(from + steps * every).toISOString();
}
