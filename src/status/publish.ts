import { createHash, randomBytes } from 'node:crypto';
import type { Incidents } from '../app/incidents';
import { updateIntervalMinutes } from '../domain/cadence';
import type { Incident, Person, Severity } from '../domain/incident';
import { utcTime } from '../domain/messages';
import { LIMITS } from '../domain/vocabulary';
import { publicAudience, type Moment, type OrgFile } from '../org/schema';
import { render } from '../org/template';
import type { ComponentStatus, Impact, PublicIncidentStatus, StatusPageStore } from '../store/status-page-store';
import type { StatusSnapshot } from './snapshot';

export const PUBLISH_USAGE = 'publish [identified|monitoring|resolved] [component, …:] <public text>   (IC; the status page)';

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

export interface PublishRequest {
  incident: Incident;
  /** What followed `publish`. */
  text: string;
  by: Person;
  at: string;
  inboundKey?: string;
}

/** What to answer: a reply, or nothing (a re-delivery already answered). */
export type PublishAnswer = { reply: string; published?: true } | { duplicate: true };
export type Publish = (req: PublishRequest) => Promise<PublishAnswer>;

/**
 * The one way onto the status page (the `publish` command now; the card's "Publish to status page" later): the public
 * name and body come from the organisation file's templates for the status page's audience, never the internal
 * title; each publication is recorded in the incident's timeline; the page's snapshot is refreshed at once.
 */
export function createPublisher(deps: { org?: OrgFile; store: StatusPageStore; incidents: Incidents; snapshot?: StatusSnapshot; statusUrl: string }) {
  return async function publish(req: PublishRequest): Promise<PublishAnswer> {
    const { incident, by, at } = req;
    const org = deps.org;
    const audience = org && publicAudience(org);
    if (!org || !audience) return { reply: 'There is no status page here: the organisation file (FIREBREAK_ORG_FILE) names no audience whose channel is the status page.' };
    if (incident.commander.id !== by.id) return { reply: `Only the incident commander (${incident.commander.name}) publishes INC-${incident.number} to the status page.` };
    if (incident.private) {
      return { reply: `INC-${incident.number} is private, so it is not published to the status page. If customers must hear of it, declare a public incident for what they see and publish that one.` };
    }
    const parsed = parse(req.text, org);
    if ('refused' in parsed) return { reply: parsed.refused };
    const published = await deps.store.publishedFor(incident.id);
    const moment: Moment = parsed.status === 'resolved' ? 'resolution' : published ? 'update' : 'first_contact';
    if (parsed.status === 'resolved' && !published) return { reply: `INC-${incident.number} was never published, so there is nothing to resolve on the status page.` };
    if (published?.status === 'resolved' && parsed.status !== 'resolved') {
      // A reopened public incident would need its own wording; for now a new publication after resolution is refused.
      return { reply: `INC-${incident.number} is resolved on the status page already.` };
    }
    const template = audience.templates[moment] ?? audience.templates.update ?? { body: '{{summary}}' };
    const impact = impactOf(incident.severity);
    const names = parsed.components.map((id) => org.statusPage.components.find((c) => c.id === id)!.name);
    const values = {
      summary: parsed.text,
      severity: `sev${incident.severity}`,
      impact,
      components: names.length ? names.join(' and ') : 'our service',
      next_update_by: utcTime(new Date(new Date(at).getTime() + updateIntervalMinutes({ ...incident, customerImpact: true }) * 60_000).toISOString(), at),
      status_page_url: deps.statusUrl,
    };
    const firstTitle = audience.templates.first_contact?.title ?? 'Investigating an incident';
    const name = published?.name ?? render(firstTitle, values, 'text');
    const status: PublicIncidentStatus = parsed.status ?? (published ? (published.status as PublicIncidentStatus) : 'investigating');
    const body = render(template.body, values, 'text');
    const componentStatus: ComponentStatus = status === 'resolved' ? 'operational' : componentStatusOf(impact);
    // Resolving puts back every component the incident touched; otherwise those named now.
    const components = status === 'resolved' ? await deps.store.affectedBy(incident.id) : parsed.components;
    const result = await deps.store.publish({
      incidentId: incident.id,
      newPublicId: publicId(),
      name,
      status,
      impact,
      startedAt: incident.declaredAt,
      update: { id: publicId(req.inboundKey), body },
      components: components.map((id) => ({ id, status: componentStatus })),
      at,
    });
    const note = `Published to the status page (${status}): "${name}" — ${body}`;
    const recorded = await deps.incidents.run(incident.id, { type: 'AddNote', kind: 'note', text: note.slice(0, LIMITS.note), at, by }, { inboundKey: req.inboundKey });
    if (result === 'duplicate' && recorded.kind === 'duplicate') return { duplicate: true };
    await deps.snapshot?.refresh();
    return { published: true, reply: `Published INC-${incident.number} to the status page as "${name}" (${status}): ${body}\nIt is at ${deps.statusUrl}` };
  };
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
