import { fingerprint, httpUrl, isObject, stringMap, time, type Parsed } from './notification';

/**
 * The generic webhook (docs/alerts.md), for tools with none of the formats above: one alert per notification.
 * ```json
 * { "status": "firing", "summary": "Checkout 5xx above 2%", "labels": { "service": "checkout", "severity": "critical" },
 *   "startsAt": "2026-12-03T10:40:00Z", "url": "https://grafana.example/d/abc", "group": "checkout-5xx" }
 * ```
 * `status` and `summary` are required; `group` defaults to a fingerprint of the labels; `startsAt` to now.
 */
export function parseGeneric(body: unknown, now: Date): Parsed {
  if (!isObject(body)) return { ok: false, reason: 'the body must be a JSON object' };
  if (body.status !== 'firing' && body.status !== 'resolved') return { ok: false, reason: 'status must be "firing" or "resolved"' };
  if (typeof body.summary !== 'string' || !body.summary.trim() || body.summary.length > 500) return { ok: false, reason: 'summary must be a non-empty string of at most 500 characters' };
  const labels = stringMap(body.labels, 'labels');
  if (typeof labels === 'string') return { ok: false, reason: labels };
  if (body.group !== undefined && (typeof body.group !== 'string' || !body.group || body.group.length > 500)) return { ok: false, reason: 'group must be a non-empty string of at most 500 characters' };
  const startsAt = time(body.startsAt);
  if (startsAt === null) return { ok: false, reason: 'startsAt must be an RFC 3339 time' };
  if (body.url !== undefined && !httpUrl(body.url)) return { ok: false, reason: 'url must be an http(s) URL' };
  const url = httpUrl(body.url);
  const groupKey = typeof body.group === 'string' ? body.group : `labels:${fingerprint(labels)}`;
  return {
    ok: true,
    notification: {
      source: 'generic',
      groupKey,
      status: body.status,
      alerts: [{ status: body.status, labels, annotations: { summary: body.summary.trim() }, startsAt: startsAt ?? now.toISOString(), ...(body.status === 'resolved' && { endsAt: now.toISOString() }), ...(url && { generatorURL: url }), fingerprint: groupKey.slice(0, 100) }],
      commonLabels: labels,
      links: [],
    },
  };
}
