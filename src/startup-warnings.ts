import type { Config } from './config';

/**
 * A production start needs only the bot's id, secret, tenant and DATABASE_URL (issue 19 item 1): every other part is
 * off until configured, and says so in ONE warning line at start, naming what turns it on. Local mode runs emulators
 * for all of them, so it has nothing to say here.
 */
export function offParts(config: Config): string[] {
  if (config.mode === 'local') return [];
  const off: string[] = [];
  const g = config.graph;
  if (!g.teamId && !g.organizerId && !g.mailTo.length) {
    off.push('Microsoft Graph is off: no incident channel, meeting bridge or mail until GRAPH_INCIDENT_TEAM_ID, GRAPH_MEETING_ORGANIZER_ID or INCIDENT_MAIL_TO is set (docs/graph-setup.md)');
  }
  if (config.google.mode === 'off') off.push('Google Docs is off: no incident doc until GOOGLE_SERVICE_ACCOUNT_KEY_FILE or GOOGLE_SERVICE_ACCOUNT_KEY is set (docs/google-setup.md)');
  if (config.addon.mode === 'off') off.push('the Google Docs add-on is off: /api/addon answers 404 until ADDON_SERVICE_ACCOUNT_EMAIL is set (docs/google-addon.md)');
  if (config.metrics.mode === 'off') off.push('metrics are off: /metrics answers 404 until METRICS_TOKEN is set (docs/operations.md)');
  if (!config.alerts.token) off.push('the alert webhooks are off: /api/alerts/* answer 404 until ALERT_WEBHOOK_TOKEN is set (docs/alerts.md)');
  return off;
}
