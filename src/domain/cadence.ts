import type { Incident } from './incident';

/**
 * How often stakeholders hear from us (DOMAIN.md, seeds 001 and 003): every update says when the next one comes,
 * and with customers affected never more than an hour passes between updates.
 */
export function updateIntervalMinutes(incident: Pick<Incident, 'severity' | 'customerImpact'>): number {
  const bySeverity = { 1: 30, 2: 60, 3: 120, 4: 240 }[incident.severity];
  return incident.customerImpact ? Math.min(bySeverity, 60) : bySeverity;
}

/** ISO time the next stakeholder update is due; undefined once resolved. */
export function nextUpdateDue(incident: Incident): string | undefined {
  if (incident.status === 'resolved') return undefined;
  return new Date(new Date(incident.lastUpdateAt).getTime() + updateIntervalMinutes(incident) * 60_000).toISOString();
}
