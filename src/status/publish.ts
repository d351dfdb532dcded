import { createHash, randomBytes } from 'node:crypto';
import type { Incidents } from '../app/incidents';
import { updateIntervalMinutes } from '../domain/cadence';
import type { Incident, Person, Severity } from '../domain/incident';
import { utcTime } from '../domain/messages';
import type { Effect } from '../domain/react';
import { LIMITS } from '../domain/vocabulary';
import { publicAudience, type Moment, type OrgFile } from '../org/schema';
import { render } from '../org/template';
import type { ComponentStatus, Impact, PublicIncidentStatus, StatusPageStore } from '../store/status-page-store';
import type { StatusSnapshot } from './snapshot';

export const PUBLISH_USAGE =
  'publish [private] [identified|monitoring|resolved] [component, …:] <public text>   (IC or customer liaison; the status page; "private" publishes a private incident: IC only)';

/** Impact follows severity (sev1 is the most severe); a component's status follows the impact. */
export function impactOf(severity: Severity): Impact {
  return ({ 1: 'critical', 2: 'major', 3: 'minor', 4: 'none' } as const)[severity];
}
function componentStatusOf(impact: Impact): ComponentStatus {
  return ({ critical: 'major_outage', major: 'partial_outage', minor: 'degraded_performance', none: 'degraded_performance' } as const)[impact];
}

const STATUSES: readonly PublicIncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];

/** A public id, Statuspage-like: 12 lowercase letters and digits. From the inbound key when there is one (a re-delivery makes the same id). */
function publicId(seed?: string): string {
  const bytes = seed ? createHash('sha256').update(seed).digest() : randomBytes(16);
  return BigInt(`0x${bytes.subarray(0, 9).toString('hex')}`).toString(36).padStart(12, '0').slice(-12);
}

/** The card's "Publish to status page" form, as submitted: the text is published as written (it was drafted from the template). */
export interface PublishForm {
  title: string;
  body: string;
  status: PublicIncidentStatus;
  components: { id: string; status: ComponentStatus }[];
  /** The IC's explicit "publish although private". */
  privateOk: boolean;
}

export interface PublishRequest {
  incident: Incident;
  /** What followed `publish` (templated), or the card's form (as written). */
  text?: string;
  form?: PublishForm;
  by: Person;
  at: string;
  inboundKey?: string;
  /** The answer to a publication as an effect written with its timeline entry (src/teams/replies.ts). */
  reply?: (text: string, incident: Incident) => Effect[];
}

/**
 * What to answer: a reply, or nothing (a re-delivery already answered). `recorded`: the reply was written with the
 * publication (given `reply`), to be said by its effect.
 */
export type PublishAnswer = { reply: string; published?: true; recorded?: true } | { duplicate: true };
export type Publish = (req: PublishRequest) => Promise<PublishAnswer>;

/**
 * The one way onto the status page (the `publish` command now; the card's "Publish to status page" later): the public
 * name and body come from the organisation file's templates for the status page's audience, never the internal
 * title; each publication is recorded in the incident's timeline; the page's snapshot is refreshed at once.
 */
export function createPublisher(deps: { org?: OrgFile; store: StatusPageStore; incidents: Incidents; snapshot?: StatusSnapshot; statusUrl: string }) {
  /** One public update onto the page, in the timeline, the page refreshed at once. */
  async function record(req: PublishRequest, p: { name: string; status: PublicIncidentStatus; body: string; components: { id: string; status: ComponentStatus }[] }): Promise<PublishAnswer> {
    const { incident, by, at } = req;
    const result = await deps.store.publish({
      incidentId: incident.id,
      newPublicId: publicId(),
      name: p.name,
      status: p.status,
      impact: impactOf(incident.severity),
      startedAt: incident.declaredAt,
      update: { id: publicId(req.inboundKey), body: p.body },
      components: p.components,
      at,
    });
    const note = `Published to the status page (${p.status}): "${p.name}" — ${p.body}`;
    // While it runs, a publication is the customers' update: it is what resets their clock (at most an hour with
    // customer impact, seed 003) and the incident's. Told on the status page only: the audience's other channels (a
    // mail list, a Teams channel) get their own words through `update`. Once resolved, it is a note on the timeline.
    const audience = deps.org && publicAudience(deps.org);
    const command =
      audience && incident.status === 'active'
        ? {
            type: 'SendAudienceUpdate' as const,
            // The status page's audience is the customers' (org/audiences.ts isCustomers), built here: that module
            // imports this one.
            audiences: [{ id: audience.id, name: audience.name, text: note.slice(0, LIMITS.update), channels: {}, customers: true, ...(audience.everyMinutes !== undefined && { everyMinutes: audience.everyMinutes }) }],
            at,
            by,
          }
        : { type: 'AddNote' as const, kind: 'note' as const, text: note.slice(0, LIMITS.note), at, by };
    const reply = `Published INC-${incident.number} to the status page as "${p.name}" (${p.status}): ${p.body}\nIt is at ${deps.statusUrl}`;
    const said = req.reply;
    const recorded = await deps.incidents.run(incident.id, command, { inboundKey: req.inboundKey, ...(said && { alsoEffects: (next: Incident) => said(reply, next) }) });
    if (result === 'duplicate' && recorded.kind === 'duplicate') return { duplicate: true };
    await deps.snapshot?.refresh();
    return { published: true, reply, ...(said && recorded.kind === 'changed' && { recorded: true as const }) };
  }

  return async function publish(req: PublishRequest): Promise<PublishAnswer> {
    const { incident, by, at } = req;
    const org = deps.org;
    const audience = org && publicAudience(org);
    if (!org || !audience) return { reply: 'There is no status page here: the organisation file (FIREBREAK_ORG_FILE) names no audience whose channel is the status page.' };
    const privateOk = req.form ? req.form.privateOk : /^\s*private\b/i.test(req.text ?? '');
    const refused = mayPublish(incident, by, privateOk);
    if (refused) return { reply: refused };
    const published = await deps.store.publishedFor(incident.id);
    const impact = impactOf(incident.severity);

    if (req.form) {
      const f = req.form;
      const problem = formProblem(f, org, published);
      if (problem) return { reply: problem };
      const components = f.status === 'resolved' ? [...new Set([...(await deps.store.affectedBy(incident.id)), ...f.components.map((c) => c.id)])].map((id) => ({ id, status: 'operational' as const })) : f.components;
      return record(req, { name: f.title.trim(), status: f.status, body: f.body.trim(), components });
    }

    const parsed = parse((req.text ?? '').replace(/^\s*private\b/i, ''), org);
    if ('refused' in parsed) return { reply: parsed.refused };
    // After the public resolution, a further "resolved" publication is the postmortem's stakeholder summary (issue 18
    // item 7: `postmortem summary` drafts it), in the audience's postmortem_summary words.
    const moment: Moment = parsed.status === 'resolved' ? (published?.status === 'resolved' ? 'postmortem_summary' : 'resolution') : published ? 'update' : 'first_contact';
    if (parsed.status === 'resolved' && !published) return { reply: `INC-${incident.number} was never published, so there is nothing to resolve on the status page.` };
    if (published?.status === 'resolved' && parsed.status !== 'resolved') {
      // A reopened public incident would need its own wording; for now a new publication after resolution is refused.
      return { reply: `INC-${incident.number} is resolved on the status page already.` };
    }
    // A summary is not an update: without its own template it goes out as written (no "next update by").
    const template = audience.templates[moment] ?? (moment === 'postmortem_summary' ? undefined : audience.templates.update) ?? { body: '{{summary}}' };
    const values = templateValues(incident, org, parsed.components, parsed.text, at, deps.statusUrl);
    const firstTitle = audience.templates.first_contact?.title ?? 'Investigating an incident';
    const name = published?.name ?? render(firstTitle, values, 'text');
    const status: PublicIncidentStatus = parsed.status ?? (published ? (published.status as PublicIncidentStatus) : 'investigating');
    const body = render(template.body, values, 'text');
    const componentStatus: ComponentStatus = status === 'resolved' ? 'operational' : componentStatusOf(impact);
    // Resolving puts back every component the incident touched; otherwise those named now.
    const components = status === 'resolved' ? await deps.store.affectedBy(incident.id) : parsed.components;
    return record(req, { name, status, body, components: components.map((id) => ({ id, status: componentStatus })) });
  };
}

/**
 * Who publishes (seed 003: the communication lead is the public face): the incident commander or the customer
 * liaison. A private incident only when the commander says so explicitly (`publish private …`, or the card form's
 * "Publish although private"): a refusal names how.
 */
export function mayPublish(incident: Incident, by: Person, privateOk: boolean): string | undefined {
  const isCommander = incident.commander.id === by.id;
  const liaison = incident.roles.customer;
  if (!isCommander && liaison?.id !== by.id) {
    return `Only the incident commander (${incident.commander.name}) or the customer liaison${liaison ? ` (${liaison.name})` : ''} publishes INC-${incident.number} to the status page.`;
  }
  if (!incident.private) return undefined;
  if (!isCommander) return `INC-${incident.number} is private: only its incident commander (${incident.commander.name}) can decide to publish it.`;
  if (!privateOk) {
    return `INC-${incident.number} is private, so it is not published unless you say so explicitly: type "publish private <public text>", or tick "Publish although private" on the card's form.`;
  }
  return undefined;
}

/** The template's values; the summary is the public text (never the internal title). */
export function templateValues(incident: Incident, org: OrgFile, componentIds: readonly string[], summary: string, at: string, statusUrl: string) {
  const names = componentIds.map((id) => org.statusPage.components.find((c) => c.id === id)?.name ?? id);
  return {
    summary,
    severity: `sev${incident.severity}`,
    impact: impactOf(incident.severity),
    components: names.length ? names.join(' and ') : 'our service',
    next_update_by: utcTime(new Date(new Date(at).getTime() + updateIntervalMinutes({ ...incident, customerImpact: true }) * 60_000).toISOString(), at),
    status_page_url: statusUrl,
  };
}

const COMPONENT_STATUSES: readonly ComponentStatus[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];

function formProblem(f: PublishForm, org: OrgFile, published: { status: string } | undefined): string | undefined {
  if (!f.title.trim()) return 'Give the public title: what customers see, in a few words.';
  if (f.title.trim().length > LIMITS.title) return `The public title is ${f.title.trim().length} characters; keep it under ${LIMITS.title}.`;
  if (!f.body.trim()) return 'Write the public update: what customers should read.';
  if (f.body.trim().length > LIMITS.update) return `That public update is ${f.body.trim().length} characters; keep it under ${LIMITS.update}.`;
  if (!(STATUSES as readonly string[]).includes(f.status)) return `Choose a public status: ${STATUSES.join(', ')}.`;
  if (f.status === 'resolved' && !published) return 'It was never published, so there is nothing to resolve on the status page.';
  if (published?.status === 'resolved' && f.status !== 'resolved') return 'It is resolved on the status page already.';
  for (const c of f.components) {
    if (!org.statusPage.components.some((k) => k.id === c.id)) return `"${c.id.slice(0, 40)}" is not a component of the status page.`;
    if (!COMPONENT_STATUSES.includes(c.status)) return `Choose a status for ${c.id}: ${COMPONENT_STATUSES.join(', ')}.`;
  }
  return undefined;
}

/** `[status] [components:] text` → its parts; components are the org file's ids or names. */
function parse(text: string, org: OrgFile): { status?: PublicIncidentStatus; components: string[]; text: string } | { refused: string } {
  let rest = text.trim();
  const word = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  let status: PublicIncidentStatus | undefined;
  if (word && (STATUSES as readonly string[]).includes(word[1].toLowerCase())) {
    status = word[1].toLowerCase() as PublicIncidentStatus;
    rest = word[2].trim();
  }
  let components: string[] = [];
  const prefix = /^([^:\n]{1,200}):\s*([\s\S]*)$/.exec(rest);
  if (prefix) {
    const named = prefix[1].split(',').map((s) => s.trim().toLowerCase());
    const ids = named.map((n) => org.statusPage.components.find((c) => c.id === n || c.name.toLowerCase() === n)?.id);
    if (ids.every(Boolean)) {
      components = [...new Set(ids as string[])];
      rest = prefix[2].trim();
    }
  }
  if (!rest) return { refused: `Say what the public should read: ${PUBLISH_USAGE}` };
  if (rest.length > LIMITS.update) return { refused: `That public update is ${rest.length} characters; keep it under ${LIMITS.update}.` };
  return { ...(status && { status }), components, text: rest };
}
