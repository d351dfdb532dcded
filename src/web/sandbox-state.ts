import { assertNever, type Incident, type ResourceKind, type ResourceState } from '../domain/incident';
import { severityMeaning } from '../domain/policy';
import { PHASE_MEANING } from '../domain/vocabulary';
import { docIdOf } from '../google/incident-docs';
import type { GraphEmulator } from '../sandbox/graph/server';
import type { ChannelRecord, MeetingRecord, SentMail } from '../sandbox/graph/state';
import type { Store } from '../store/store';

/** What the sandbox pages read: Firebreak's store and, in local mode, the Graph emulator in the same process. */
export interface SandboxSources {
  store: Store;
  graph?: GraphEmulator;
}

/**
 * A resource as the sandbox shows it: where Firebreak's incident says it is (the store is the truth: "being
 * assembled" only while it is), with what the emulator holds for it.
 */
export interface SandboxResource {
  state: 'assembling' | 'retrying' | 'failed' | 'ready';
  detail?: string;
  url?: string;
  label?: string;
}

export interface SandboxIncident {
  number: number;
  title: string;
  status: string;
  severity: string;
  phase: string;
  commander: string;
  doc?: SandboxResource & { id?: string; html?: string; problem?: string };
  channel?: SandboxResource & { name?: string; type?: string; missing?: boolean };
  bridge?: SandboxResource & { subject?: string; missing?: boolean };
  mails: { id: string; subject: string; to: string; body: string; sentAt: string }[];
}

export async function sandboxState(src: SandboxSources): Promise<{ incidents: SandboxIncident[] }> {
  const incidents = await src.store.list({ limit: 20 });
  return { incidents: await Promise.all(incidents.map((i) => describe(i, src))) };
}

export const channelOf = (graph: GraphEmulator | undefined, incidentId: string): ChannelRecord | undefined =>
  graph?.channels().find((c) => c.description?.includes(incidentId));
export const meetingOf = (graph: GraphEmulator | undefined, incidentId: string): MeetingRecord | undefined =>
  graph?.meetings().find((m) => m.externalId === incidentId);
/** The incident's mails: Firebreak stamps each with its effect key (`X-Firebreak-Key: mail.send:<incident id>:…`). */
export const mailsOf = (graph: GraphEmulator | undefined, incidentId: string): SentMail[] =>
  (graph?.mailbox() ?? []).filter((m) => m.headers['x-firebreak-key']?.split(':')[1] === incidentId);

function resource(r: ResourceState | undefined): SandboxResource | undefined {
  if (!r) return undefined;
  switch (r.status) {
    case 'pending':
      return { state: 'assembling' };
    case 'retrying':
      return { state: 'retrying', ...(r.detail ? { detail: r.detail } : {}) };
    case 'failed':
      return { state: 'failed', ...(r.detail ? { detail: r.detail } : {}) };
    case 'ready':
      return { state: 'ready', ...(r.url ? { url: r.url } : {}), ...(r.label ? { label: r.label } : {}) };
    default:
      return assertNever(r.status);
  }
}

async function describe(incident: Incident, src: SandboxSources): Promise<SandboxIncident> {
  const of = (kind: ResourceKind) => resource(incident.resources[kind]);
  const channel = of('channel');
  const bridge = of('bridge');
  const doc = of('doc');
  const record = channelOf(src.graph, incident.id);
  const meeting = meetingOf(src.graph, incident.id);
  return {
    number: incident.number,
    title: incident.title,
    status: incident.status,
    severity: `${incident.severity}: ${severityMeaning(incident, incident.severity)}`,
    phase: `${incident.phase}: ${PHASE_MEANING[incident.phase]}`,
    commander: incident.commander.name,
    ...(doc ? { doc: doc.state === 'ready' && doc.url ? { ...doc, id: docIdOf(doc.url), ...(await docArticle(doc.url)) } : doc } : {}),
    // Ready in the store but unknown to the emulator: its state was lost (a data folder from before it was kept).
    ...(channel ? { channel: { ...channel, ...(record ? { name: record.displayName, type: record.membershipType } : { missing: channel.state === 'ready' }) } } : {}),
    ...(bridge ? { bridge: { ...bridge, ...(meeting ? { subject: meeting.subject } : { missing: bridge.state === 'ready' }) } } : {}),
    mails: mailsOf(src.graph, incident.id).map((m) => ({ id: m.id, subject: m.subject, to: m.to.join(', '), body: m.body, sentAt: m.sentAt })),
  };
}

/** The doc as the Google sandbox renders it (only its <article>), fetched over HTTP like any other client. */
async function docArticle(url: string): Promise<{ html?: string; problem?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return { problem: `the Google sandbox answered ${res.status}` };
    const html = await res.text();
    const m = /<article[^>]*>([\s\S]*)<\/article>/.exec(html);
    return m ? { html: m[1] } : { problem: 'the Google sandbox page had no document' };
  } catch (err) {
    return { problem: `the Google sandbox did not answer: ${(err as Error).message}` };
  }
}
