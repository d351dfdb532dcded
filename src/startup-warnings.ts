import type { Config } from './config';
import { GUID } from './config/parse';
import { followUpSettings, type FollowUpSettings } from './org/followups';

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
    const only = config.status.org?.followUps?.plannerPlanId ? 'Microsoft Graph is used only for the Planner export' : 'Microsoft Graph is off';
    off.push(`${only}: no incident channel, meeting bridge or mail until GRAPH_INCIDENT_TEAM_ID, GRAPH_MEETING_ORGANIZER_ID or INCIDENT_MAIL_TO is set (docs/graph-setup.md)`);
  }
  if (config.google.mode === 'off') off.push('Google Docs is off: no incident doc until GOOGLE_SERVICE_ACCOUNT_KEY_FILE or GOOGLE_SERVICE_ACCOUNT_KEY is set (docs/google-setup.md)');
  if (config.addon.mode === 'off') off.push('the Google Docs add-on is off: /api/addon answers 404 until ADDON_SERVICE_ACCOUNT_EMAIL is set (docs/google-addon.md)');
  if (config.metrics.mode === 'off') off.push('metrics are off: /metrics answers 404 until METRICS_TOKEN is set (docs/operations.md)');
  if (!config.alerts.token) off.push('the alert webhooks are off: /api/alerts/* answer 404 until ALERT_WEBHOOK_TOKEN is set (docs/alerts.md)');
  return off;
}

/**
 * The organisation file names a Planner plan (followups.planner_plan_id) but Microsoft Graph cannot sign in (no tenant,
 * app id or secret of its own or the bot's): said once at start, and no export is attempted (followUpsInForce leaves
 * the plan out of what the commands decide with). Local mode's emulator has the plan, so it says nothing there.
 */
export function plannerWarning(config: Pick<Config, 'graph' | 'status'>): string | undefined {
  const g = config.graph;
  if (!config.status.org?.followUps?.plannerPlanId || g.emulate) return undefined;
  if (GUID.test(g.tenantId) && GUID.test(g.clientId) && g.clientSecret) return undefined;
  return 'followups.planner_plan_id is set but Microsoft Graph is off (it needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET, or the bot\'s own): planning items are not exported to Planner until it can (docs/deploy-azure.md)';
}

/**
 * The follow-up settings the commands and the doc's action table decide with: the organisation file's, without the
 * Planner plan and its read-back while plannerWarning says Graph cannot sign in, so no planning item is sent to an
 * export that could only fail (and report so in its incident, each time).
 */
export function followUpsInForce(config: Pick<Config, 'graph' | 'status'>): () => FollowUpSettings {
  const settings = followUpSettings(config.status.org);
  if (!plannerWarning(config)) return () => settings;
  const { plannerPlanId: _plan, plannerPollMinutes: _poll, ...withoutPlanner } = settings;
  return () => withoutPlanner;
}
