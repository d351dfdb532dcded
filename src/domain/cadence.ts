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
