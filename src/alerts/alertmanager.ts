import { commonLabelsOf, fingerprint, httpUrl, isObject, stringMap, time, type Alert, type AlertNotification, type AlertSource, type Parsed } from './notification';

/**
 * Alertmanager's webhook, format version 4, and Grafana's (the same shape with a few more fields per alert:
 * dashboardURL, panelURL, silenceURL). https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 * Every notification carries the whole group: its firing alerts and those resolved since the last one.
 */
export function parseAlertmanager(body: unknown, source: Extract<AlertSource, 'alertmanager' | 'grafana'> = 'alertmanager'): Parsed {
  if (!isObject(body)) return { ok: false, reason: 'the body must be a JSON object' };
  if (source === 'alertmanager' && body.version !== '4') return { ok: false, reason: `version must be "4" (Alertmanager's webhook format), got ${JSON.stringify(body.version)?.slice(0, 20)}` };
  // Grafana sends groupKey too; should one not, its group labels (or the common ones) identify the group.
  const groupLabels = stringMap(body.groupLabels ?? body.commonLabels, 'groupLabels');
  const groupKey = body.groupKey === undefined && source === 'grafana' && typeof groupLabels !== 'string' ? `labels:${fingerprint(groupLabels)}` : body.groupKey;
  if (typeof groupKey !== 'string' || !groupKey || groupKey.length > 2000) return { ok: false, reason: 'groupKey must be a non-empty string' };
  if (body.status !== 'firing' && body.status !== 'resolved') return { ok: false, reason: 'status must be "firing" or "resolved"' };
  if (!Array.isArray(body.alerts) || body.alerts.length === 0) return { ok: false, reason: 'alerts must be a non-empty array' };
  if (body.alerts.length > 1000) return { ok: false, reason: 'alerts has more than 1000 alerts' };
  const alerts: Alert[] = [];
  const links: AlertNotification['links'] = [];
  for (const [i, a] of body.alerts.entries()) {
    const at = `alerts[${i}]`;
    if (!isObject(a)) return { ok: false, reason: `${at} must be an object` };
    if (a.status !== 'firing' && a.status !== 'resolved') return { ok: false, reason: `${at}.status must be "firing" or "resolved"` };
    const labels = stringMap(a.labels, `${at}.labels`);
    if (typeof labels === 'string') return { ok: false, reason: labels };
    const annotations = stringMap(a.annotations, `${at}.annotations`);
    if (typeof annotations === 'string') return { ok: false, reason: annotations };
    const startsAt = time(a.startsAt);
    if (!startsAt) return { ok: false, reason: `${at}.startsAt must be an RFC 3339 time` };
    const endsAt = time(a.endsAt);
    if (endsAt === null) return { ok: false, reason: `${at}.endsAt must be an RFC 3339 time` };
    if (a.fingerprint !== undefined && typeof a.fingerprint !== 'string') return { ok: false, reason: `${at}.fingerprint must be a string` };
    const generatorURL = httpUrl(a.generatorURL);
    alerts.push({
      status: a.status,
      labels,
      annotations,
      startsAt,
      ...(a.status === 'resolved' && endsAt && { endsAt }),
      ...(generatorURL && { generatorURL }),
      fingerprint: typeof a.fingerprint === 'string' && a.fingerprint ? a.fingerprint.slice(0, 100) : `${i}`,
    });
    const dashboard = httpUrl(a.dashboardURL);
    if (dashboard && !links.some((l) => l.url === dashboard)) links.push({ title: 'Dashboard', url: dashboard });
  }
  const common = stringMap(body.commonLabels, 'commonLabels');
  if (typeof common === 'string') return { ok: false, reason: common };
  const external = httpUrl(body.externalURL);
  if (external) links.push({ title: source === 'grafana' ? 'Grafana' : 'Alertmanager', url: external });
  return {
    ok: true,
    notification: { source, groupKey, status: body.status, alerts, commonLabels: Object.keys(common).length ? common : commonLabelsOf(alerts), links: links.slice(0, 5) },
  };
}
