import type { Incident } from '../domain/incident';
import { LIMITS } from '../domain/vocabulary';
import { publicAudience, type OrgFile } from '../org/schema';
import { render } from '../org/template';
import type { AdaptiveCard } from '../teams/cards';
import { plain } from '../teams/text';
import type { ComponentStatus, PublicIncidentStatus, StatusPageStore } from '../store/status-page-store';
import { impactOf, templateValues, type PublishForm } from './publish';

/** What the form's inputs are called; card-publish.ts reads them back. */
export const FORM = { title: 'publicTitle', body: 'publicBody', status: 'publicStatus', privateOk: 'privateOk', componentPrefix: 'component_' } as const;
const UNAFFECTED = 'unaffected';

const STATUS_CHOICES: { title: string; value: PublicIncidentStatus }[] = [
  { title: 'Investigating', value: 'investigating' },
  { title: 'Identified', value: 'identified' },
  { title: 'Monitoring', value: 'monitoring' },
  { title: 'Resolved', value: 'resolved' },
];
const COMPONENT_CHOICES: { title: string; value: ComponentStatus | typeof UNAFFECTED }[] = [
  { title: 'Not affected', value: UNAFFECTED },
  { title: 'Operational', value: 'operational' },
  { title: 'Degraded performance', value: 'degraded_performance' },
  { title: 'Partial outage', value: 'partial_outage' },
  { title: 'Major outage', value: 'major_outage' },
  { title: 'Under maintenance', value: 'under_maintenance' },
];

export interface PublishFormOptions {
  /** The resolution: status resolved, drafted from the resolution template (resolve offers it). */
  resolution?: boolean;
  /** After a refused submit: why, and what was typed. */
  problem?: string;
  values?: Record<string, string>;
  /** Shown above the form (e.g. "INC-4 is resolved."). */
  lead?: string;
}

export interface PublishCards {
  form(incident: Incident, at: string, opts?: PublishFormOptions): Promise<AdaptiveCard>;
  /** Whether the incident is on the page and not resolved there yet (resolve then offers the public resolution). */
  awaitsResolution(incident: Incident): Promise<boolean>;
}

/**
 * The card's "Publish to status page" form: a public title separate from the internal one, the affected components
 * and their status, the public status, and the update drafted from the organisation file's status page template
 * ({{summary}} left for the author to fill). What is submitted is published as written.
 */
export function createPublishCards(deps: { org: OrgFile; store: StatusPageStore; statusUrl: string }): PublishCards {
  return {
    async awaitsResolution(incident) {
      const published = await deps.store.publishedFor(incident.id);
      return Boolean(published && published.status !== 'resolved');
    },
    async form(incident, at, opts = {}) {
      const audience = publicAudience(deps.org);
      const published = await deps.store.publishedFor(incident.id);
      const affected = await deps.store.affectedBy(incident.id);
      const moment = opts.resolution ? 'resolution' : published ? 'update' : 'first_contact';
      const template = audience?.templates[moment] ?? audience?.templates.update ?? { body: '{{summary}}' };
      const values = templateValues(incident, deps.org, affected, '…', at, deps.statusUrl);
      const draft = render(template.body, values, 'text');
      const title = published?.name ?? render(audience?.templates.first_contact?.title ?? 'Investigating an incident', values, 'text');
      const status: PublicIncidentStatus = opts.resolution ? 'resolved' : ((published?.status as PublicIncidentStatus | undefined) ?? 'investigating');
      const defaultComponent: ComponentStatus = opts.resolution ? 'operational' : ({ critical: 'major_outage', major: 'partial_outage', minor: 'degraded_performance', none: 'degraded_performance' } as const)[impactOf(incident.severity)];
      const v = opts.values ?? {};
      const body: unknown[] = [];
      if (opts.lead) body.push({ type: 'TextBlock', text: plain(opts.lead), wrap: true, weight: 'Bolder' });
      if (opts.problem) body.push({ type: 'TextBlock', text: plain(opts.problem), color: 'Attention', wrap: true, weight: 'Bolder' });
      body.push(
        { type: 'TextBlock', text: `Publish INC-${incident.number} to the status page`, weight: 'Bolder', size: 'Medium', wrap: true },
        { type: 'TextBlock', text: 'Customers read this: the internal title, names and links stay inside.', isSubtle: true, wrap: true, size: 'Small' },
        { type: 'Input.Text', id: FORM.title, label: 'Public title', isRequired: true, maxLength: LIMITS.title, errorMessage: 'Give the public title', value: v[FORM.title] ?? title },
        { type: 'Input.Text', id: FORM.body, label: 'Public update', isMultiline: true, isRequired: true, maxLength: LIMITS.update, errorMessage: 'Write the update', value: v[FORM.body] ?? draft },
        { type: 'Input.ChoiceSet', id: FORM.status, label: 'Public status', isRequired: true, value: v[FORM.status] ?? status, choices: STATUS_CHOICES },
        ...deps.org.statusPage.components.map((c) => ({
          type: 'Input.ChoiceSet',
          id: `${FORM.componentPrefix}${c.id}`,
          label: c.name,
          value: v[`${FORM.componentPrefix}${c.id}`] ?? (affected.includes(c.id) ? defaultComponent : UNAFFECTED),
          choices: COMPONENT_CHOICES,
        })),
      );
      if (incident.private) {
        body.push({ type: 'Input.Toggle', id: FORM.privateOk, title: 'Publish although private (incident commander only)', value: v[FORM.privateOk] ?? 'false', valueOn: 'true', valueOff: 'false' });
      }
      const data = { incidentId: incident.id };
      return {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.5',
        body,
        actions: [
          { type: 'Action.Execute', title: opts.resolution ? 'Publish the resolution' : 'Publish', verb: 'publish', style: 'positive', data },
          { type: 'Action.Execute', title: 'Cancel', verb: 'refresh', data },
        ],
        msteams: { width: 'Full' },
      };
    },
  };
}

/** The submitted form's inputs → what to publish. Unknown component ids are kept, so the publisher names them. */
export function readForm(inputs: Record<string, unknown>): PublishForm {
  const text = (name: string) => (typeof inputs[name] === 'string' ? (inputs[name] as string) : '');
  const components = Object.keys(inputs)
    .filter((k) => k.startsWith(FORM.componentPrefix) && text(k) && text(k) !== UNAFFECTED)
    .map((k) => ({ id: k.slice(FORM.componentPrefix.length), status: text(k) as ComponentStatus }));
  return { title: text(FORM.title), body: text(FORM.body), status: (text(FORM.status) || 'investigating') as PublicIncidentStatus, components, privateOk: text(FORM.privateOk) === 'true' };
}
