import { httpUrl, isObject, stringMap, time, type Parsed } from './notification';

/**
 * Azure Monitor's common alert schema (schemaId "azureMonitorCommonAlertSchema"): one alert per notification, its
 * `essentials.alertId` naming it across Fired and Resolved. Its labels for mapping are the alert rule's custom
 * properties (where a rule can set `service`), plus `alertRule`, `severity` ("Sev0".."Sev4") and `signalType`.
 * https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema
 */
export function parseAzureMonitor(body: unknown): Parsed {
  if (!isObject(body)) return { ok: false, reason: 'the body must be a JSON object' };
  if (body.schemaId !== 'azureMonitorCommonAlertSchema') return { ok: false, reason: 'schemaId must be "azureMonitorCommonAlertSchema" (turn on the common alert schema in the action group)' };
  if (!isObject(body.data) || !isObject(body.data.essentials)) return { ok: false, reason: 'data.essentials must be an object' };
  const e = body.data.essentials;
  if (typeof e.alertId !== 'string' || !e.alertId || e.alertId.length > 2000) return { ok: false, reason: 'data.essentials.alertId must be a non-empty string' };
  if (e.monitorCondition !== 'Fired' && e.monitorCondition !== 'Resolved') return { ok: false, reason: 'data.essentials.monitorCondition must be "Fired" or "Resolved"' };
  const startsAt = time(e.firedDateTime);
  if (!startsAt) return { ok: false, reason: 'data.essentials.firedDateTime must be an ISO 8601 time' };
  const endsAt = time(e.resolvedDateTime);
  if (endsAt === null) return { ok: false, reason: 'data.essentials.resolvedDateTime must be an ISO 8601 time' };
  const custom = stringMap(body.data.customProperties, 'data.customProperties');
  if (typeof custom === 'string') return { ok: false, reason: custom };
  const text = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  const labels: Record<string, string> = {
    ...(text(e.alertRule) && { alertname: text(e.alertRule)! }),
    ...(text(e.severity) && { severity: text(e.severity)! }),
    ...(text(e.signalType) && { signal_type: text(e.signalType)! }),
    ...(Array.isArray(e.configurationItems) && typeof e.configurationItems[0] === 'string' && { resource: e.configurationItems[0] }),
    ...custom,
  };
  const status = e.monitorCondition === 'Fired' ? 'firing' : 'resolved';
  const summary = text(e.description) ?? text(e.alertRule);
  const portal = httpUrl(`https://portal.azure.com/#view/Microsoft_Azure_Monitoring_Alerts/AlertDetails.ReactView/alertId/${encodeURIComponent(e.alertId)}`);
  return {
    ok: true,
    notification: {
      source: 'azure-monitor',
      groupKey: e.alertId,
      status,
      alerts: [{ status, labels, annotations: summary ? { summary } : {}, startsAt, ...(status === 'resolved' && endsAt && { endsAt }), ...(portal && { generatorURL: portal }), fingerprint: e.alertId.slice(-100) }],
      commonLabels: labels,
      links: [],
    },
  };
}
