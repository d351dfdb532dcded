import { createHash } from 'node:crypto';

/** One alert as every source is read into (Alertmanager's shape, the richest of them). */
export interface Alert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** Set when resolved. */
  endsAt?: string;
  generatorURL?: string;
  fingerprint: string;
}

export type AlertSource = 'alertmanager' | 'grafana' | 'azure-monitor' | 'generic';

/** One notification about one alert group: the whole group as the source sees it now (Alertmanager sends it so). */
export interface AlertNotification {
  source: AlertSource;
  /** Alertmanager's and Grafana's `groupKey`; otherwise a fingerprint of what identifies the group. */
  groupKey: string;
  status: 'firing' | 'resolved';
  alerts: Alert[];
  /** Labels every alert of the group carries. */
  commonLabels: Record<string, string>;
  /** Links back to the source: the first alert's generatorURL is added by the card; these are the others. */
  links: { title: string; url: string }[];
}

export type Parsed = { ok: true; notification: AlertNotification } | { ok: false; reason: string };

/** A stable id for a set of labels (sorted), for sources that name no group. */
export function fingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** The labels all alerts share (what Alertmanager calls commonLabels), for sources that do not send them. */
export function commonLabelsOf(alerts: readonly Alert[]): Record<string, string> {
  if (!alerts.length) return {};
  return Object.fromEntries(Object.entries(alerts[0].labels).filter(([k, v]) => alerts.every((a) => a.labels[k] === v)));
}

/** Small checks shared by the parsers: each names the field that is wrong. */
export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function stringMap(x: unknown, field: string): Record<string, string> | string {
  if (x === undefined || x === null) return {};
  if (!isObject(x)) return `${field} must be an object of strings`;
  const entries = Object.entries(x);
  if (entries.length > 200) return `${field} has more than 200 entries`;
  for (const [, v] of entries) if (typeof v !== 'string') return `${field} must be an object of strings`;
  return x as Record<string, string>;
}

/** An RFC 3339 time as ISO (UTC); Go's zero time ("0001-01-01T00:00:00Z", an unset endsAt) as undefined. */
export function time(x: unknown): string | undefined | null {
  if (x === undefined || x === null || x === '') return undefined;
  if (typeof x !== 'string') return null;
  const t = Date.parse(x);
  if (!Number.isFinite(t)) return null;
  if (t <= Date.parse('0001-01-02T00:00:00Z')) return undefined;
  return new Date(t).toISOString();
}

/** A link we may show: http(s) only (a `javascript:` URL on a card is a click away from running). */
export function httpUrl(x: unknown): string | undefined {
  if (typeof x !== 'string' || !x) return undefined;
  try {
    const u = new URL(x);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
