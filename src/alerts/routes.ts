import { createHash, timingSafeEqual } from 'node:crypto';
import type { Conversation } from '../domain/values';
import type { Logger } from '../log';
import type { OrgFile } from '../org/schema';
import { DEFAULT_ALERT_SEVERITIES } from '../org/alerts';
import { findService } from '../org/services';
import type { Store } from '../store/store';
import type { HttpAnswer } from '../teams/endpoint';
import { parseAlertmanager } from './alertmanager';
import { parseAzureMonitor } from './azure-monitor';
import { parseGeneric } from './generic';
import { groupKeyOf, receive, type Mapped } from './group';
import type { AlertNotification, AlertSource, Parsed } from './notification';

export const ALERT_SOURCES: readonly AlertSource[] = ['alertmanager', 'grafana', 'azure-monitor', 'generic'];

const SOURCE_NAME: Record<AlertSource, string> = { alertmanager: 'an Alertmanager', grafana: 'a Grafana', 'azure-monitor': 'an Azure Monitor (common alert schema)', generic: 'a generic alert' };

export type AlertWebhook = (source: AlertSource, body: unknown, authorization: string | undefined) => Promise<HttpAnswer>;

export interface AlertWebhookDeps {
  store: Store;
  log: Logger;
  now: () => Date;
  /** Undefined: the endpoints are off (production without ALERT_WEBHOOK_TOKEN). */
  token?: string;
  org?: OrgFile;
  /** Where a group's card goes when its service has no channel (src/alerts/start.ts). */
  fallbackPlace: () => Promise<Conversation | undefined>;
  /** A service's channel as a conversation (its serviceUrl and tenant come from the configuration). */
  channelPlace: (channelId: string) => Conversation;
  /** Tells the effect runner a card effect is waiting (else it finds it at its next poll). */
  wake?: () => void;
  /** Local mode: services' channels are not real; every card goes to the fallback place. */
  localOnly?: boolean;
}

/**
 * POST /api/alerts/<source>: authenticate (bearer token, constant time), parse, map to a service, store the group and
 * its card effect in one transaction, answer; the card is posted after the answer (the outbox). A refusal (401, 400)
 * stores nothing and posts nothing.
 */
export function alertWebhook(deps: AlertWebhookDeps): AlertWebhook {
  const expected = deps.token ? digest(deps.token) : undefined;
  return async (source, body, authorization) => {
    if (!expected) return { status: 404, body: { error: 'the alert webhooks are off: set ALERT_WEBHOOK_TOKEN (docs/alerts.md)' } };
    const given = /^Bearer (.+)$/i.exec(authorization?.trim() ?? '')?.[1];
    // Both sides hashed first: timingSafeEqual needs equal lengths, and a length check would leak the token's.
    if (!given || !timingSafeEqual(digest(given), expected)) return { status: 401, body: { error: 'the alert webhook token is missing or wrong (Authorization: Bearer <ALERT_WEBHOOK_TOKEN>)' } };
    const now = deps.now();
    const parsed = parse(source, body, now);
    if (!parsed.ok) return { status: 400, body: { error: `not ${SOURCE_NAME[source]} notification: ${parsed.reason}` } };
    const n = parsed.notification;
    const mapped = await map(deps, n);
    const { group, outcome } = await deps.store.alerts.receive(groupKeyOf(n), (before) => receive(before, n, groupKeyOf(n), mapped, now), now.toISOString());
    // The effect runner is woken once this answer is on its way (setImmediate runs after the microtasks that send
    // it): its claim and the card work would otherwise run first, in this thread on PGlite, and the sender waits.
    if (outcome !== 'none' && deps.wake) setImmediate(deps.wake);
    if (!group.place) deps.log.warn('an alert group has nowhere to post its card: give its service a channel, or set ANNOUNCEMENTS_CHANNEL_ID', { group: group.key });
    return { status: 200, body: { group: group.key, status: group.status, card: outcome === 'post' ? 'posting' : group.card ? 'posted' : outcome === 'update' ? 'updating' : 'none', ...(group.service && { service: group.service }) } };
  };
}

function parse(source: AlertSource, body: unknown, now: Date): Parsed {
  switch (source) {
    case 'alertmanager':
      return parseAlertmanager(body);
    case 'grafana':
      return parseAlertmanager(body, 'grafana');
    case 'azure-monitor':
      return parseAzureMonitor(body);
    case 'generic':
      return parseGeneric(body, now);
    default: {
      const never: never = source;
      return { ok: false, reason: `unknown source ${String(never)}` };
    }
  }
}

/** The service named by the configured label (its name or an alias), the suggested severity, where the card goes. */
async function map(deps: AlertWebhookDeps, n: AlertNotification): Promise<Mapped> {
  const section = deps.org?.alerts;
  const label = (name: string) => n.commonLabels[name] ?? n.alerts.find((a) => a.status === 'firing' && a.labels[name])?.labels[name] ?? n.alerts[0]?.labels[name];
  const serviceText = label(section?.serviceLabel ?? 'service');
  const service = serviceText && deps.org ? findService(deps.org.services, serviceText) : undefined;
  const severityText = label(section?.severityLabel ?? 'severity')?.toLowerCase();
  const severity = severityText ? (section?.severities ?? DEFAULT_ALERT_SEVERITIES)[severityText] : undefined;
  const place = service?.channel && !deps.localOnly ? deps.channelPlace(service.channel) : await deps.fallbackPlace();
  return { ...(service && { service: service.name }), ...(severity && { severity }), ...(place && { place }) };
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
