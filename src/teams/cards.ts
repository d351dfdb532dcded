import type { Incident, ResourceKind, ResourceState } from '../domain/incident';
import { incidentLabel, missingRoles } from '../domain/messages';
import { PHASE_MEANING, ROLE_LABEL, SEVERITY_MEANING } from '../domain/vocabulary';
import { plain } from './text';

/** An Adaptive Card (schema 1.5) as plain JSON. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: unknown[] };

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

const SEVERITY_STYLE: Record<number, string> = { 1: 'attention', 2: 'warning', 3: 'accent', 4: 'default' };
const RESOURCE_TITLE: Record<ResourceKind, string> = { channel: 'Channel', bridge: 'Meeting bridge', doc: 'Incident doc' };

export interface CardOptions {
  now: Date;
  /** A copy shown outside the incident's own conversation: private incidents show only who leads. */
  redact?: boolean;
}

/** The live incident card: everything someone needs to know at a glance, updated in place. */
export function incidentCard(incident: Incident, opts: CardOptions): AdaptiveCard {
  const redacted = Boolean(opts.redact && incident.private);
  const title = redacted ? 'Private incident' : plain(incident.title);
  const facts = [
    { title: 'Severity', value: `${incident.severity}: ${SEVERITY_MEANING[incident.severity]}` },
    { title: 'Phase', value: `${incident.phase}: ${PHASE_MEANING[incident.phase]}` },
    { title: 'Commander', value: plain(incident.commander.name) },
  ];
  if (!redacted) {
    for (const role of ['comms', 'customer', 'business'] as const) {
      const person = incident.roles[role];
      if (person) facts.push({ title: ROLE_LABEL[role], value: plain(person.name) });
    }
    if (incident.roles.sme.length) {
      facts.push({ title: ROLE_LABEL.sme, value: incident.roles.sme.map((p) => plain(p.name)).join(', ') });
    }
    facts.push({ title: 'Customer impact', value: incident.customerImpact ? 'Yes' : 'No' });
  }
  facts.push({ title: 'Started', value: `${utc(incident.declaredAt)} (${elapsed(incident.declaredAt, opts.now)} ago)` });
  if (incident.status === 'resolved' && incident.resolvedAt) {
    facts.push({ title: 'Resolved', value: `${utc(incident.resolvedAt)} (after ${elapsed(incident.declaredAt, new Date(incident.resolvedAt))})` });
  }

  const body: unknown[] = [
    {
      type: 'Container',
      style: incident.status === 'resolved' ? 'good' : SEVERITY_STYLE[incident.severity],
      bleed: true,
      items: [
        {
          type: 'TextBlock',
          text: `${incidentLabel(incident)} · ${incident.status === 'resolved' ? 'Resolved' : `Severity ${incident.severity}`}`,
          weight: 'Bolder',
          size: 'Small',
          isSubtle: true,
          wrap: true,
        },
        { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Large', wrap: true },
      ],
    },
    { type: 'FactSet', facts },
  ];
  if (!redacted) {
    const places = coordination(incident);
    if (places.length) body.push({ type: 'TextBlock', text: 'Coordination', weight: 'Bolder', spacing: 'Medium' }, ...places);
    if (incident.description) {
      body.push({ type: 'TextBlock', text: plain(incident.description), wrap: true, spacing: 'Medium', maxLines: 8 });
    }
    if (incident.status === 'active') {
      for (const gap of missingRoles(incident)) {
        body.push({ type: 'TextBlock', text: `⚠ ${gap}`, color: 'Attention', wrap: true, spacing: 'Small' });
      }
    }
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
}

function coordination(incident: Incident): unknown[] {
  return (Object.entries(incident.resources) as [ResourceKind, ResourceState][]).map(([kind, r]) => ({
    type: 'TextBlock',
    wrap: true,
    spacing: 'Small',
    color: r.status === 'failed' ? 'Attention' : r.status === 'retrying' ? 'Warning' : 'Default',
    text: `${RESOURCE_TITLE[kind]}: ${resourceText(r)}`,
  }));
}

function resourceText(r: ResourceState): string {
  switch (r.status) {
    case 'ready':
      return r.url ? `[${plain(r.label ?? 'open')}](${r.url})` : plain(r.label ?? 'ready');
    case 'pending':
      return 'assembling…';
    case 'retrying':
      return `retrying (${plain(r.detail ?? 'failing')})`;
    case 'failed':
      return `could not be created: ${plain(r.detail ?? 'unknown error')}`;
  }
}

export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "1 h 12 min", "4 min", "less than a minute". */
export function elapsed(fromIso: string, to: Date): string {
  const minutes = Math.max(0, Math.floor((to.getTime() - new Date(fromIso).getTime()) / 60_000));
  if (minutes < 1) return 'less than a minute';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}
