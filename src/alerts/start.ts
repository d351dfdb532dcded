import type { Incidents } from '../app/incidents';
import type { Config } from '../config';
import type { Conversation } from '../domain/values';
import type { Logger } from '../log';
import { onCallLines } from '../oncall/card';
import type { Experts } from '../oncall/experts';
import { findService } from '../org/services';
import type { Store } from '../store/store';
import type { TeamsOutbox } from '../teams/outbox';
import { alertCardEffect } from '../workers/effects/alert-card';
import { SYSTEM } from '../workers/effects/system';
import type { Paging } from '../paging/pages';
import type { AlertGroup } from './group';
import { alertWebhook, type AlertWebhook } from './routes';

/**
 * Teams' global service URL, for a service channel Firebreak was never addressed in (a proactive post needs one).
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
 */
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export interface Alerts {
  webhook: AlertWebhook;
  /** The `alert.card` effect's handler, given the Teams outbox. */
  cardEffect(teams: TeamsOutbox): ReturnType<typeof alertCardEffect>;
  /** Called for each message addressed to Firebreak: local mode posts alert cards in the last such conversation. */
  addressed(conversation: Conversation): Promise<void>;
  /** The on-call line of a group's service (src/oncall/), shown on its card. */
  onCall(g: AlertGroup): Promise<string | undefined>;
}

/** The monitoring webhooks and their cards (issue 20), wired once from main.ts. */
export function startAlerts(deps: { config: Config; store: Store; incidents: Incidents; experts?: Experts; paging?: Paging; log: Logger; now: () => Date; wake?: () => void }): Alerts {
  const { config, store, log, now } = deps;
  // Off in production until a token is set: said once at start with the other parts that are off (src/startup-warnings.ts).
  // Issue 20: in local mode a generated token is printed so a local Alertmanager can be pointed here. In the message,
  // not a field: the logger redacts fields named like secrets. Local mode only, a fresh value each start, loopback.
  if (config.alerts.token && config.alerts.generated) log.warn(`local mode: the alert webhooks (/api/alerts/*) take the bearer token ${config.alerts.token} (generated at this start; set ALERT_WEBHOOK_TOKEN to choose one)`);
  const local = config.mode === 'local';
  const serviceUrl = async () => config.announcements?.serviceUrl ?? (await store.alerts.lastAddressed())?.serviceUrl ?? TEAMS_SERVICE_URL;
  const channel = (id: string, url: string): Conversation => ({ id, serviceUrl: url, isChannel: true, channelId: id, ...(config.bot.tenantId && { tenantId: config.bot.tenantId }) });
  let lastAddressedId: string | undefined;
  let knownServiceUrl = config.announcements?.serviceUrl ?? TEAMS_SERVICE_URL;
  void serviceUrl().then((u) => (knownServiceUrl = u)).catch(() => undefined);

  const onCall = async (g: AlertGroup) => {
    const service = g.service && deps.experts ? findService(deps.experts.org.services, g.service) : undefined;
    if (!service || !deps.experts) return undefined;
    return onCallLines(service, await deps.experts.source.onCall(service, now())).now;
  };
  // A service whose policy says so (`paging: { on_alert: true }`) has its on-call person paged when an alert group's
  // card is first posted: once per group episode (the inbound key), with no incident yet (issue 20 item 3).
  const page = async (g: AlertGroup) => {
    const service = g.service && deps.experts ? findService(deps.experts.org.services, g.service) : undefined;
    if (!service?.paging?.onAlert || !deps.paging) return;
    await deps.paging.request({ service, reason: `alert: ${g.title}`, by: SYSTEM, ...(g.place && { origin: g.place }), inboundKey: `alert-page:${g.key}:${g.episode}` });
  };
  const webhook = alertWebhook({
    store,
    log,
    now,
    token: config.alerts.token,
    wake: () => deps.wake?.(),
    org: deps.experts?.org ?? config.status.org,
    // Local mode has no real channels: every card goes where Firebreak was last addressed.
    channelPlace: (id) => channel(id, knownServiceUrl),
    fallbackPlace: async () => {
      if (local) return store.alerts.lastAddressed();
      return config.announcements ? channel(config.announcements.channelId, await serviceUrl()) : undefined;
    },
    ...(local && { localOnly: true }),
  });
  return {
    webhook,
    cardEffect: (teams) => alertCardEffect({ store, incidents: deps.incidents, teams, now, onCall, page, log }),
    async addressed(conversation) {
      knownServiceUrl = config.announcements?.serviceUrl ?? conversation.serviceUrl;
      // Written only when it moves (not one write per message), and read by every replica.
      if (conversation.id === lastAddressedId) return;
      lastAddressedId = conversation.id;
      await store.alerts.addressed(conversation, now().toISOString());
    },
    onCall,
  };
}
