import type { IncidentEvent } from './events';

/**
 * The figures people ask for after an incident (DOMAIN.md "After", seed 001): when it was detected, declared,
 * mitigated and resolved, and the times between. Pure: computed from the event log, so the postmortem, the reports
 * page and any later export agree.
 *
 * - detected: the first sign (an alert's start when declared from one, else the declaration);
 * - declared: the declaration;
 * - mitigated: customer impact ended — the first time, after the latest (re)opening, that customer impact was cleared
 *   or the incident moved to phase 2 (full resolution: the bleeding has stopped); the resolution if neither happened;
 * - resolved: the latest resolution (a reopened incident is resolved when it was last resolved).
 *
 * Time to detect = declared − detected (how long a sign went without a response); time to mitigate and time to
 * resolve are measured from detection, as customers felt them. Durations are whole seconds; absent until known.
 */
export interface IncidentFigures {
  detectedAt: string;
  declaredAt: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  timeToDetectSeconds: number;
  timeToMitigateSeconds?: number;
  timeToResolveSeconds?: number;
}

export function incidentFigures(events: readonly IncidentEvent[]): IncidentFigures | undefined {
  const declared = events.find((e) => e.type === 'IncidentDeclared');
  if (!declared || declared.type !== 'IncidentDeclared') return undefined;
  const declaredAt = declared.at;
  const detectedAt = declared.detectedAt && Date.parse(declared.detectedAt) < Date.parse(declaredAt) ? new Date(declared.detectedAt).toISOString() : declaredAt;
  let mitigatedAt: string | undefined;
  let resolvedAt: string | undefined;
  for (const e of events) {
    if (e.type === 'IncidentReopened') {
      // It was not over after all: what counted as mitigation and resolution before no longer does.
      resolvedAt = undefined;
      mitigatedAt = undefined;
    } else if (e.type === 'IncidentResolved') {
      resolvedAt = e.at;
      mitigatedAt ??= e.at;
    } else if (!mitigatedAt && ((e.type === 'CustomerImpactChanged' && !e.to) || (e.type === 'PhaseChanged' && e.to >= 2 && e.from < 2))) {
      mitigatedAt = e.at;
    }
  }
  const since = (at: string | undefined) => (at === undefined ? undefined : Math.max(0, Math.round((Date.parse(at) - Date.parse(detectedAt)) / 1000)));
  return {
    detectedAt,
    declaredAt,
    ...(mitigatedAt && { mitigatedAt }),
    ...(resolvedAt && { resolvedAt }),
    timeToDetectSeconds: since(declaredAt) ?? 0,
    ...(mitigatedAt && { timeToMitigateSeconds: since(mitigatedAt) }),
    ...(resolvedAt && { timeToResolveSeconds: since(resolvedAt) }),
  };
}

/** "1 h 05 min", "12 min", "40 s": how a duration reads on a card, in a doc or on the reports page. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return `${hours} h ${String(rest).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
