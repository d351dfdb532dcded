import { baseConversationId, isAnnouncement, type Incident } from '../domain/incident';
import { nextUpdateDue } from '../domain/cadence';
import { coordinationLinks, incidentLabel, utcTime } from '../domain/messages';
import { PHASE_MEANING } from '../domain/vocabulary';
import { elapsed, type AdaptiveCard } from './cards';
import { plain } from './text';

/** The verb of the list's "Show card here" button (bot.ts routes it here, not to the incident card's buttons). */
export const SHOW_CARD_HERE = 'showCardHere';


/**
 * Whether `conversationId` is one of the incident's own conversations (where it was declared, its channel): only
 * there does a private incident show more than its card shows outside (number, who leads, when the next update is).
 */
export function isOwnConversation(incident: Incident, conversationId: string): boolean {
  const here = baseConversationId(conversationId);
  return baseConversationId(incident.origin.id) === here || incident.places.some((p) => baseConversationId(p.id) === here && !isAnnouncement(incident, p.id));
}

/** One incident as a list line: what `incidents` and the message-extension search show. */
export function incidentSummary(incident: Incident, opts: { here: string; now: Date }): { title: string; lines: string[]; links: { label: string; url: string }[] } {
  const redacted = incident.private && !isOwnConversation(incident, opts.here);
  const due = nextUpdateDue(incident);
  const late = due && new Date(due).getTime() < opts.now.getTime() ? ' (overdue)' : '';
  return {
    title: `${incidentLabel(incident)}: ${redacted ? 'Private incident' : incident.title}`,
    lines: [
      `Severity ${incident.severity} · phase ${incident.phase} (${PHASE_MEANING[incident.phase].split(':')[0]}) · IC ${incident.commander.name}`,
      `Declared ${elapsed(incident.declaredAt, opts.now)} ago${due ? ` · next update by ${utcTime(due, opts.now.toISOString())}${late}` : ''}`,
    ],
    links: redacted ? [] : coordinationLinks(incident).map(({ label, url }) => ({ label, url })),
  };
}

/** The active incidents, newest first, each with a "Show card here" button; user text escaped. */
export function incidentListCard(incidents: readonly Incident[], opts: { here: string; now: Date; notice?: string }): AdaptiveCard {
  const body: unknown[] = [];
  if (opts.notice) body.push({ type: 'TextBlock', text: plain(opts.notice), wrap: true, weight: 'Bolder', color: 'Good' });
  body.push({ type: 'TextBlock', text: incidents.length ? `Active incidents (${incidents.length})` : 'No incident is active.', weight: 'Bolder', size: 'Medium', wrap: true });
  for (const incident of incidents) body.push(incidentItem(incident, opts));
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body };
}

/** One incident of the list, as a card of its own (a message-extension search result is one card per incident). */
export function incidentItemCard(incident: Incident, opts: { here: string; now: Date }): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [incidentItem(incident, opts)] };
}

function incidentItem(incident: Incident, opts: { here: string; now: Date }): unknown {
  const summary = incidentSummary(incident, opts);
  const links = summary.links.map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url }));
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: plain(summary.title), weight: 'Bolder', wrap: true },
      ...summary.lines.map((line) => ({ type: 'TextBlock', text: plain(line), wrap: true, spacing: 'None', isSubtle: true })),
      {
        type: 'ActionSet',
        actions: [{ type: 'Action.Execute', title: 'Show card here', verb: SHOW_CARD_HERE, data: { incidentId: incident.id } }, ...links],
      },
    ],
  };
}
