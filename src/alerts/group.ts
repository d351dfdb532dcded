import type { Conversation, Severity } from '../domain/values';
import type { Alert, AlertNotification, AlertSource } from './notification';

/** Where a group's card is: the message's conversation (its thread) and id, and the group version it last showed. */
export interface AlertCardCopy {
  postedIn: string;
  activityId: string;
  renderedVersion: number;
}

/**
 * One alert group as Firebreak keeps it (table alert_groups). An episode runs from the group's first firing to its
 * resolution: one card per episode, updated in place; a group firing again after it resolved starts a new episode.
 */
export interface AlertGroup {
  key: string;
  source: AlertSource;
  groupKey: string;
  episode: number;
  /** Bumped by every change the card shows. */
  version: number;
  status: 'firing' | 'resolved';
  alerts: Alert[];
  commonLabels: Record<string, string>;
  links: { title: string; url: string }[];
  title: string;
  service?: string;
  severity?: Severity;
  /** The episode's earliest startsAt: when monitoring first saw it (an incident's detectedAt). */
  since: string;
  resolvedAt?: string;
  /** Where its card goes; undefined when Firebreak has nowhere to post (said at start and in the answer). */
  place?: Conversation;
  card?: AlertCardCopy;
  acknowledged?: { name: string; at: string };
  silencedUntil?: string;
  /** Declared from this group: later notifications go to the incident's timeline. */
  incident?: { id: string; number: number };
  updatedAt: string;
}

/** What a notification makes happen once stored. */
export type AlertOutcome = 'post' | 'update' | 'none';

export interface Mapped {
  service?: string;
  severity?: Severity;
  place?: Conversation;
}

/** The group's key in the store: its source and the source's group id (a long one hashed by the store). */
export const groupKeyOf = (n: Pick<AlertNotification, 'source' | 'groupKey'>) => `${n.source}:${n.groupKey}`;

export const firingCount = (g: Pick<AlertGroup, 'alerts'>) => g.alerts.filter((a) => a.status === 'firing').length;

/**
 * Folds a notification into the stored group (pure: time comes in). Unchanged repeats (Alertmanager's
 * repeat_interval) change nothing. A group muted with "Silence here" posts no new card until the silence ends.
 */
export function receive(before: AlertGroup | undefined, n: AlertNotification, key: string, mapped: Mapped, now: Date): { group: AlertGroup; outcome: AlertOutcome } {
  const at = now.toISOString();
  const silenced = before?.silencedUntil !== undefined && before.silencedUntil > at;
  const newEpisode = !before || (before.status === 'resolved' && n.status === 'firing');
  const since = n.alerts.map((a) => a.startsAt).reduce((a, b) => (a < b ? a : b));
  const title = titleOf(n);
  const base = {
    key,
    source: n.source,
    groupKey: n.groupKey,
    status: n.status,
    alerts: n.alerts,
    commonLabels: n.commonLabels,
    links: n.links,
    title,
    ...(mapped.service && { service: mapped.service }),
    ...(mapped.severity && { severity: mapped.severity }),
    ...(n.status === 'resolved' && { resolvedAt: latestEnd(n.alerts) ?? at }),
    updatedAt: at,
  };
  if (newEpisode) {
    const group: AlertGroup = {
      ...base,
      episode: (before?.episode ?? 0) + 1,
      version: (before?.version ?? 0) + 1,
      since,
      ...(mapped.place && { place: mapped.place }),
      ...(silenced && { silencedUntil: before!.silencedUntil }),
    };
    return { group, outcome: n.status === 'firing' && !silenced && group.place ? 'post' : 'none' };
  }
  const prev = before!;
  if (sameState(prev, n)) return { group: prev, outcome: 'none' };
  const group: AlertGroup = {
    ...base,
    // A resolution may carry fewer labels (Azure sends the rule's custom properties as they are now): keep the mapping.
    ...(!mapped.service && prev.service && { service: prev.service }),
    ...(!mapped.severity && prev.severity && { severity: prev.severity }),
    episode: prev.episode,
    version: prev.version + 1,
    since: prev.since < since ? prev.since : since,
    ...(prev.place && { place: prev.place }),
    ...(prev.card && { card: prev.card }),
    ...(prev.acknowledged && { acknowledged: prev.acknowledged }),
    ...(prev.silencedUntil && { silencedUntil: prev.silencedUntil }),
    ...(prev.incident && { incident: prev.incident }),
  };
  return { group, outcome: 'update' };
}

/** The alert summary (Alertmanager's `summary` annotation by convention), else the alert name. */
export function titleOf(n: Pick<AlertNotification, 'alerts' | 'commonLabels'>): string {
  const firing = n.alerts.find((a) => a.status === 'firing') ?? n.alerts[0];
  const text = firing.annotations.summary || firing.annotations.title || n.commonLabels.alertname || firing.labels.alertname || 'Alert';
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function latestEnd(alerts: readonly Alert[]): string | undefined {
  return alerts.map((a) => a.endsAt).filter((t): t is string => Boolean(t)).sort().at(-1);
}

function sameState(g: AlertGroup, n: AlertNotification): boolean {
  const sig = (alerts: readonly Alert[]) => alerts.map((a) => `${a.fingerprint}=${a.status}`).sort().join(',');
  return g.status === n.status && sig(g.alerts) === sig(n.alerts);
}
