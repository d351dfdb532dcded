import type { AdaptiveCard } from '../teams/cards';
import { plain } from '../teams/text';
import { SEVERITY_MEANING } from '../domain/vocabulary';
import { firingCount, type AlertGroup } from './group';

/** Labels that say nothing a reader needs (they are on the card already, or are plumbing). */
const HIDDEN_LABELS = new Set(['alertname', '__name__', 'job', 'prometheus', 'receiver']);
/** The card's choices for "Silence here", in minutes. */
export const SILENCE_CHOICES = [30, 60, 240, 1440] as const;

export interface AlertCardOptions {
  now: Date;
  /** Who is on call for the service now, as one line (src/oncall/). */
  onCall?: string;
  notice?: { text: string; tone: 'good' | 'attention' };
}

/**
 * One card per alert group (Adaptive Card 1.5): what fires, since when, the labels that matter, links back to the
 * source, who is on call, and the buttons. The buttons carry only the group's key: the rest is read from the store.
 */
export function alertCard(g: AlertGroup, opts: AlertCardOptions): AdaptiveCard {
  const firing = firingCount(g);
  const resolved = g.status === 'resolved';
  const heading = resolved ? `Resolved: ${plain(g.title)}` : `Firing: ${plain(g.title)}`;
  const facts = [
    { title: 'Alerts', value: resolved ? `all ${g.alerts.length} resolved` : `${firing} firing${g.alerts.length > firing ? `, ${g.alerts.length - firing} resolved` : ''}` },
    { title: 'Since', value: utc(g.since) },
    ...(resolved && g.resolvedAt ? [{ title: 'Resolved', value: utc(g.resolvedAt) }] : []),
    { title: 'Service', value: g.service ? plain(g.service) : 'not mapped (no service label matches the organisation file)' },
    ...(g.severity ? [{ title: 'Suggested severity', value: `${g.severity}: ${SEVERITY_MEANING[g.severity]}` }] : []),
    ...(opts.onCall ? [{ title: 'On call', value: plain(opts.onCall) }] : []),
    ...(g.acknowledged ? [{ title: 'Acknowledged', value: `by ${plain(g.acknowledged.name)} at ${utc(g.acknowledged.at)}` }] : []),
    ...(g.silencedUntil && g.silencedUntil > opts.now.toISOString() ? [{ title: 'Silenced', value: `until ${utc(g.silencedUntil)}` }] : []),
    ...(g.incident ? [{ title: 'Incident', value: `INC-${g.incident.number}: updates go to its timeline` }] : []),
  ];
  const labels = Object.entries(g.commonLabels)
    .filter(([k]) => !HIDDEN_LABELS.has(k))
    .slice(0, 8)
    .map(([k, v]) => ({ title: plain(k), value: plain(v.slice(0, 200)) }));
  const body: unknown[] = [];
  if (opts.notice) body.push({ type: 'TextBlock', text: plain(opts.notice.text), wrap: true, weight: 'Bolder', color: opts.notice.tone === 'good' ? 'Good' : 'Attention' });
  body.push(
    { type: 'TextBlock', text: heading, wrap: true, size: 'Large', weight: 'Bolder', color: resolved ? 'Good' : 'Attention' },
    { type: 'FactSet', facts },
  );
  if (labels.length) body.push({ type: 'TextBlock', text: 'Labels', weight: 'Bolder', spacing: 'Medium' }, { type: 'FactSet', facts: labels });
  const shown = g.alerts.slice(0, 10);
  body.push({
    type: 'TextBlock',
    wrap: true,
    spacing: 'Medium',
    text: [...shown.map((a) => `- ${a.status === 'firing' ? 'Firing' : 'Resolved'}: ${plain(alertLine(a, g))}`), ...(g.alerts.length > shown.length ? [`- and ${g.alerts.length - shown.length} more`] : [])].join('\n'),
  });
  const data = { group: g.key };
  const links = [...(g.alerts.find((a) => a.generatorURL)?.generatorURL ? [{ title: 'Open in source', url: g.alerts.find((a) => a.generatorURL)!.generatorURL! }] : []), ...g.links].slice(0, 3);
  const actions: unknown[] = links.map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url }));
  if (!resolved && !g.incident) {
    actions.unshift(
      { type: 'Action.Execute', title: 'Declare incident', verb: 'alert.declare', data, style: 'destructive' },
      ...(g.acknowledged ? [] : [{ type: 'Action.Execute', title: 'Acknowledge', verb: 'alert.ack', data }]),
      {
        type: 'Action.ShowCard',
        title: 'Silence here',
        card: {
          type: 'AdaptiveCard',
          body: [
            {
              type: 'Input.ChoiceSet',
              id: 'minutes',
              label: 'Mute this alert group in Firebreak for',
              value: '60',
              choices: SILENCE_CHOICES.map((m) => ({ title: m < 60 ? `${m} minutes` : m === 60 ? '1 hour' : `${m / 60} hours`, value: String(m) })),
            },
          ],
          actions: [{ type: 'Action.Execute', title: 'Silence', verb: 'alert.silence', data }],
        },
      },
    );
  }
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, actions: actions.slice(0, 6) };
}

/** The card's summary line (notifications, screen readers). */
export function alertSummary(g: AlertGroup): string {
  return `${g.status === 'resolved' ? 'Resolved' : 'Firing'}: ${g.title}${g.service ? ` (${g.service})` : ''}`;
}

function alertLine(a: AlertGroup['alerts'][number], g: AlertGroup): string {
  const own = Object.entries(a.labels).filter(([k, v]) => g.commonLabels[k] !== v && !HIDDEN_LABELS.has(k)).map(([k, v]) => `${k}=${v}`).join(', ');
  const text = a.annotations.summary && a.annotations.summary !== g.title ? a.annotations.summary : a.labels.alertname ?? 'alert';
  return `${text}${own ? ` (${own})` : ''}`.slice(0, 300);
}

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
