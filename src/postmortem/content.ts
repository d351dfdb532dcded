import type { Detection, Incident, IncidentEvent } from '../domain/incident';
import { incidentFigures, formatDuration } from '../domain/figures';
import { actionCells } from '../domain/followup-doc';
import { incidentLabel } from '../domain/messages';
import { timeline, type VersionedEvent } from '../domain/timeline';
import { SEVERITY_MEANING } from '../domain/vocabulary';
import { parseTemplate, type Block } from '../google/template';

/**
 * The postmortem doc's first draft (issue 18 item 4): the template (templates/postmortem-doc.md) with what the event
 * log already knows filled in — summary, impact, how it was found, the figures, the timeline with who joined when —
 * and the sections only people can write left to them, with blameless guidance. Pure: the same log gives the same doc.
 */
export interface PostmortemInput {
  incident: Incident;
  events: readonly VersionedEvent[];
}

export const DETECTION_TEXT: Record<Detection, string> = {
  monitoring: 'Monitoring: an alert fired.',
  colleague: 'A colleague noticed it, not our monitoring: a monitoring blind spot.',
  customer: 'A customer told us, not our monitoring: a monitoring blind spot.',
};

/** How it was found, naming the service whose alert fired when the incident records one. */
function detectionText(incident: Incident): string {
  if (!incident.detection) return 'Not recorded: say how it was found (monitoring, a colleague, a customer).';
  return incident.detection === 'monitoring' && incident.service ? `Monitoring: an alert fired for ${incident.service}.` : DETECTION_TEXT[incident.detection];
}

/**
 * The action item proposed when monitoring did not find it (issue 20 item 6); a suggestion in the text, not an item.
 * It names the incident's service (declared from an alert, or chosen on the form); only without one, the title.
 */
export function blindSpotSuggestion(input: PostmortemInput): string | undefined {
  const detection = input.incident.detection;
  if (detection === 'monitoring' || detection === undefined) return undefined;
  const what = input.incident.service ?? `the service behind "${input.incident.title}"`;
  // TODO(integrate): followups owns the items; this stays a suggestion until `followup` can be proposed from here.
  return `Suggested action item: close the monitoring blind spot for ${what} (found by ${detection === 'customer' ? 'a customer' : 'a colleague'}, not by an alert).`;
}

export function postmortemValues(input: PostmortemInput): { scalars: Record<string, string>; lists: Record<string, string[]>; timeline: string[][] } {
  const { incident, events } = input;
  const log = events.map((v) => v.event);
  const figures = incidentFigures(log);
  const at = (iso?: string) => (iso ? utc(iso) : 'not yet');
  const took = (seconds?: number) => (seconds === undefined ? 'not yet' : formatDuration(seconds));
  const resolution = [...log].reverse().find((e): e is Extract<IncidentEvent, { type: 'IncidentResolved' }> => e.type === 'IncidentResolved');
  const summary = [resolution?.summary, incident.description].filter(Boolean).join(' ') || 'What happened, in two or three sentences, for someone who was not there.';
  return {
    scalars: {
      incident: incidentLabel(incident),
      title: incident.title,
      owner: incident.postmortem?.owner.name ?? incident.commander.name,
      due: incident.postmortem ? `${incident.postmortem.due} (${incident.postmortem.timeZone})` : 'not set',
      summary,
      customer_impact: customerImpact(log),
      duration: figures?.timeToResolveSeconds === undefined ? 'still open' : formatDuration(figures.timeToResolveSeconds),
      detection: detectionText(incident),
      detected_at: at(figures?.detectedAt),
      declared_at: at(figures?.declaredAt),
      mitigated_at: at(figures?.mitigatedAt),
      resolved_at: at(figures?.resolvedAt),
      time_to_detect: took(figures?.timeToDetectSeconds),
      time_to_mitigate: took(figures?.timeToMitigateSeconds),
      time_to_resolve: took(figures?.timeToResolveSeconds),
    },
    lists: {
      severity_history: severityHistory(log),
      suggested_actions: [blindSpotSuggestion(input)].filter((s): s is string => Boolean(s)),
    },
    timeline: timelineRows(input),
  };
}

/** The template's blocks with the values in: scalar placeholders replaced, list paragraphs and the timeline row expanded. */
export function postmortemBlocks(markdown: string, input: PostmortemInput): Block[] {
  const { scalars, lists, timeline: rows } = postmortemValues(input);
  const fill = (text: string) => text.replace(/\{\{([a-z_]+)\}\}/g, (whole, name: string) => scalars[name] ?? whole);
  const out: Block[] = [];
  for (const block of parseTemplate(markdown)) {
    if (block.kind === 'paragraph') {
      const list = /^\{\{([a-z_]+)\}\}$/.exec(block.text.trim())?.[1];
      if (list && lists[list]) {
        out.push(...lists[list].map((text) => ({ ...block, text })));
        continue;
      }
      out.push({ ...block, text: fill(block.text) });
      continue;
    }
    const filled = block.rows.flatMap((row) => (row[0] === '{{timeline}}' ? rows : [row.map(fill)]));
    // The "Action items" table (its header starts with "Action") lists the incident's follow-up items as they stood
    // when the doc was made; from then on it is kept in step with them both ways (src/workers/actions/).
    out.push({ kind: 'table', rows: filled[0]?.[0] === 'Action' && filled.length === 1 ? [...filled, ...actionRows(input.incident)] : filled });
  }
  return out;
}

/** One row per follow-up item: what, who, when, and where it stands ("now" items are due within the window). */
function actionRows(incident: Incident): string[][] {
  return (incident.followUps ?? []).map(actionCells);
}

/** The timeline people read (notes, decisions, destructive actions, changes) with who joined when, in time order. */
function timelineRows(input: PostmortemInput): string[][] {
  const entries = timeline(input.incident.id, input.events).map((e) => ({ at: e.at, who: e.who, text: e.deleted ? `(deleted in chat) ${e.text}` : e.text }));
  for (const { event } of input.events) {
    if (event.type === 'PersonJoined') entries.push({ at: event.at, who: event.by.name, text: `${event.by.name} joined the response.` });
  }
  return entries
    .map((e, i) => ({ ...e, i, t: Date.parse(e.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((e) => [utc(e.at), oneLine(e.who), oneLine(e.text)]);
}

function severityHistory(log: readonly IncidentEvent[]): string[] {
  const lines: string[] = [];
  for (const e of log) {
    if (e.type === 'IncidentDeclared') lines.push(`${utc(e.at)}: declared at severity ${e.severity} (${SEVERITY_MEANING[e.severity]}).`);
    if (e.type === 'SeverityChanged') lines.push(`${utc(e.at)}: severity ${e.from} → ${e.to}, by ${e.by.name}.`);
  }
  return lines;
}

function customerImpact(log: readonly IncidentEvent[]): string {
  const spans: string[] = [];
  let since: string | undefined;
  for (const e of log) {
    if (e.type === 'IncidentDeclared' && e.customerImpact) since = e.at;
    if (e.type === 'CustomerImpactChanged') {
      if (e.to && !since) since = e.at;
      if (!e.to && since) {
        spans.push(`${utc(since)} to ${utc(e.at)}`);
        since = undefined;
      }
    }
    if (e.type === 'IncidentResolved' && since) {
      spans.push(`${utc(since)} to ${utc(e.at)}`);
      since = undefined;
    }
  }
  if (since) spans.push(`since ${utc(since)}`);
  return spans.length ? `Yes: ${spans.join('; ')}. What did customers see?` : 'None recorded.';
}

/** A table cell is one paragraph here: a line break would start another. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
