import type { AudienceMessage } from '../domain/audiences';
import { updateIntervalMinutes } from '../domain/cadence';
import type { Incident } from '../domain/incident';
import { utcTime } from '../domain/messages';
import type { Audience, Moment, OrgFile, Preselect } from './schema';
import { render, type TemplateValues } from './template';
import { impactOf } from '../status/publish';

/**
 * Who hears of an incident, from the organisation file: which audiences `update`'s card ticks, and each one's text
 * from its template. Pure: the file is already read; time comes in.
 */

/** Without `preselect`: the status page's audience when customers are affected, every other audience always. */
export function preselectOf(audience: Audience): Preselect[] {
  return audience.preselect ?? (audience.channels.statusPage ? ['customer_impact'] : ['always']);
}

export function isPreselected(audience: Audience, incident: Pick<Incident, 'severity' | 'customerImpact'>): boolean {
  return preselectOf(audience).some((p) => (p === 'always' ? true : p === 'customer_impact' ? incident.customerImpact : incident.severity <= Number(p.slice(3))));
}

/** Customers hear from it (the status page's, or one ticked because customers are affected): held to the hour. */
export function isCustomers(audience: Audience): boolean {
  return audience.channels.statusPage || preselectOf(audience).includes('customer_impact');
}

/** By id or by name, ignoring case: `update support: …`, `update Front-line support: …`. */
export function findAudience(org: OrgFile, name: string): Audience | undefined {
  const wanted = name.trim().toLowerCase();
  return org.audiences.find((a) => a.id === wanted || a.name.toLowerCase() === wanted);
}

/** The moments an audience has a template for, `update` first (the usual one during an incident). */
export function momentsOf(audience: Audience): Moment[] {
  const moments = Object.keys(audience.templates) as Moment[];
  return [...moments.filter((m) => m === 'update'), ...moments.filter((m) => m !== 'update')];
}

/** When this audience's next update will be due if it is told at `at` (what {{next_update_by}} promises). */
export function nextUpdateBy(incident: Incident, audience: Audience, at: string): string {
  const minutes = updateIntervalMinutes(incident, { customers: isCustomers(audience), ...(audience.everyMinutes !== undefined && { everyMinutes: audience.everyMinutes }) });
  return new Date(Date.parse(at) + minutes * 60_000).toISOString();
}

export function templateValues(incident: Incident, audience: Audience, summary: string, at: string, statusUrl?: string): TemplateValues {
  return {
    'incident.number': `INC-${incident.number}`,
    // A private incident's title stays with its people: audiences are lists and channels beyond them (DOMAIN.md).
    'incident.title': incident.private ? 'a private incident' : incident.title,
    commander: incident.commander.name,
    severity: `sev${incident.severity}`,
    impact: impactOf(incident.severity),
    summary,
    components: 'our service',
    next_update_by: utcTime(nextUpdateBy(incident, audience, at)),
    ...(statusUrl && { status_page_url: statusUrl }),
  };
}

/** The audience's text: its template for the moment, filled (the pure renderer of src/org/template.ts). */
export function audienceText(incident: Incident, audience: Audience, moment: Moment, summary: string, at: string, statusUrl?: string): string | undefined {
  const template = audience.templates[moment];
  return template && render(template.body, templateValues(incident, audience, summary, at, statusUrl), 'text');
}

/** What the domain needs to know of an audience to tell it (channels, cadence), with its text. */
export function audienceMessageOf(audience: Audience, text: string): AudienceMessage {
  return {
    id: audience.id,
    name: audience.name,
    text,
    channels: { ...(audience.channels.teams && { teams: audience.channels.teams }), ...(audience.channels.mail && { mail: audience.channels.mail }) },
    ...(audience.everyMinutes !== undefined && { everyMinutes: audience.everyMinutes }),
    customers: isCustomers(audience),
  };
}
