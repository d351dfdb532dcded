/**
 * The organisation file's `alerts` section (issue 20): which label of an alert names the service (a service's name or
 * one of its aliases, src/org/services.ts) and which label suggests a severity, with the label value -> severity map.
 * Per-service settings that alerts read (the status page policy and the public component) sit on the service itself.
 *
 * ```yaml
 * alerts:
 *   service_label: service      # default
 *   severity_label: severity    # default
 *   severities: { critical: 1, error: 2, warning: 3, info: 4 }   # added to the defaults (these, and sev0-sev4)
 * ```
 */
import type { Severity } from '../domain/values';

export interface AlertsSection {
  serviceLabel: string;
  severityLabel: string;
  /** Label value (lower case) -> suggested severity. */
  severities: Record<string, Severity>;
}

const LABEL = { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]{0,99}$' };

export const ALERTS_SECTION = {
  type: 'object',
  additionalProperties: false,
  properties: {
    service_label: LABEL,
    severity_label: LABEL,
    severities: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { type: 'string', minLength: 1, maxLength: 100 },
      additionalProperties: { enum: [1, 2, 3, 4] },
    },
  },
} as const;

export interface RawAlertsSection {
  service_label?: string;
  severity_label?: string;
  severities?: Record<string, Severity>;
}

/** Prometheus' usual values, and Azure Monitor's Sev0 (critical) to Sev4 (verbose). */
export const DEFAULT_ALERT_SEVERITIES: Readonly<Record<string, Severity>> = { critical: 1, error: 2, warning: 3, info: 4, sev0: 1, sev1: 2, sev2: 3, sev3: 4, sev4: 4 };

export function alertsFromRaw(raw: RawAlertsSection | undefined): AlertsSection {
  const severities = { ...DEFAULT_ALERT_SEVERITIES, ...Object.fromEntries(Object.entries(raw?.severities ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  return { serviceLabel: raw?.service_label ?? 'service', severityLabel: raw?.severity_label ?? 'severity', severities };
}

/** The status page policy of a service when declared from an alert (issue 20 item 7): `ask` unless the file says. */
export type StatusPagePolicy = 'auto' | 'ask' | 'never';
export const STATUS_PAGE_POLICIES = ['auto', 'ask', 'never'] as const;
