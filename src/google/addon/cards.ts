import { nextUpdateDue } from '../../domain/cadence';
import { policyOf, severityMeaning } from '../../domain/policy';
import type { Incident, ResourceKind } from '../../domain/incident';
import { incidentLabel, missingRoles } from '../../domain/messages';
import type { TimelineEntry } from '../../domain/timeline';
import { LIMITS, PHASE_MEANING, ROLE_LABEL } from '../../domain/vocabulary';
import { resolvedSections, resolvedSubtitle } from './resolved';
import { localTime, shortTime } from './time';
import { buttons, checkbox, divider, dropdown, escape, fact, paragraph, textInput, type Card, type Section, type Widget } from './widgets';

export interface CardContext {
  /** The endpoint URL: every button calls it back with its parameters. */
  endpoint: string;
  now: Date;
  timeZone?: string;
  /** New for each card shown: its buttons carry it, so a double click on one card counts once. */
  nonce?: string;
}

const LINK_TITLE: Partial<Record<ResourceKind, string>> = { channel: 'Open the channel', bridge: 'Join the bridge' };
const PENDING: Record<string, string> = { pending: 'assembling…', retrying: 'retrying…', failed: 'could not be created' };

/** The incident as the doc's readers need it: where it stands, where to talk, what happened last, what they can do. */
export function incidentCard(incident: Incident, recent: TimelineEntry[], ctx: CardContext): Card {
  const facts: Widget[] = [
    fact('Severity', escape(`${incident.severity}: ${severityMeaning(incident, incident.severity)}`)),
    fact('Phase', escape(`${incident.phase}: ${PHASE_MEANING[incident.phase]}`)),
    fact('Incident commander', escape(incident.commander.name)),
  ];
  for (const role of ['comms', 'customer', 'business'] as const) {
    const person = incident.roles[role];
    if (person) facts.push(fact(ROLE_LABEL[role], escape(person.name)));
  }
  if (incident.roles.sme.length) facts.push(fact(ROLE_LABEL.sme, escape(incident.roles.sme.map((p) => p.name).join(', '))));
  if (incident.status === 'active') for (const gap of missingRoles(incident)) facts.push(paragraph(`<font color="#b3261e">${escape(gap)}</font>`));
  facts.push(fact('Customer impact', incident.customerImpact ? 'Yes' : 'No'));
  const due = nextUpdateDue(incident);
  if (due) {
    const late = new Date(due).getTime() < ctx.now.getTime();
    facts.push(fact('Next update due', `${escape(localTime(due, ctx.timeZone, ctx.now))}${late ? ' <font color="#b3261e">(overdue)</font>' : ''}`));
  }
  if (incident.resolvedAt) facts.push(fact('Resolved', escape(localTime(incident.resolvedAt, ctx.timeZone, ctx.now))));

  const sections: Section[] = [{ widgets: facts }, coordination(incident), timelineSection(recent, ctx)];
  const act = (text: string, action: string, filled = false) => ({ text, endpoint: ctx.endpoint, parameters: { action, incidentId: incident.id, ...(ctx.nonce && { nonce: ctx.nonce }) }, filled });
  const title = `${incidentLabel(incident)}: ${incident.title}`;
  if (incident.status === 'resolved') {
    return { header: { title, subtitle: resolvedSubtitle(incident, ctx.timeZone, ctx.now) }, sections: [...sections, ...resolvedSections(incident, ctx.timeZone, ctx.now)] };
  }
  const choices = <T extends number>(meanings: Record<T, string>, current: number) =>
    Object.entries(meanings).map(([value, meaning]) => ({ text: `${value}: ${meaning as string}`, value, selected: Number(value) === current }));
  sections.push({
    header: 'Change',
    widgets: [
      dropdown('severity', 'Severity', choices(policyOf(incident).severityMeaning, incident.severity)),
      buttons([act('Change severity', 'setSeverity')]),
      dropdown('phase', 'Phase', choices(PHASE_MEANING, incident.phase)),
      buttons([act('Change phase', 'setPhase')]),
    ],
  });
  sections.push({
    header: 'Add to the timeline',
    widgets: [
      textInput('entry', 'What happened, or what you are about to do', `Up to ${LIMITS.note} characters`),
      checkbox('destructive', 'Announces a destructive step (restart, failover, restore) before it is done'),
      buttons([act('Add to timeline', 'addEntry', true)]),
    ],
  });
  sections.push({
    header: 'Stakeholder update',
    widgets: [
      textInput('update', 'For people outside the team, in plain words', `Up to ${LIMITS.update} characters; the next one is promised automatically`),
      buttons([act('Post update', 'postUpdate', true)]),
    ],
  });
  return { header: { title, subtitle: `Severity ${incident.severity} · Phase ${incident.phase}` }, sections };
}

function coordination(incident: Incident): Section {
  const links: { text: string; url: string }[] = [];
  const widgets: Widget[] = [];
  for (const kind of ['bridge', 'channel'] as const) {
    const r = incident.resources[kind];
    if (!r) continue;
    if (r.status === 'ready' && r.url) links.push({ text: LINK_TITLE[kind]!, url: r.url });
    else widgets.push(fact(kind === 'bridge' ? 'Meeting bridge' : 'Channel', escape(PENDING[r.status] ?? r.status)));
  }
  if (links.length) widgets.unshift(buttons(links));
  if (!widgets.length) widgets.push(paragraph('Coordination happens in the Teams conversation where it was declared.'));
  return { header: 'Where to coordinate', widgets };
}

function timelineSection(recent: TimelineEntry[], ctx: CardContext): Section {
  const rows = recent.map((e) => {
    const text = escape(e.text) + (e.edited ? ' <i>(edited)</i>' : '');
    return paragraph(`<b>${escape(shortTime(e.at, ctx.timeZone, ctx.now))}</b> ${escape(e.who)}: ${e.deleted ? `<s>${text}</s> <i>(deleted in chat)</i>` : text}`);
  });
  return { header: 'Timeline (latest five)', widgets: rows.length ? rows : [paragraph('Nothing on the timeline yet.')] };
}

/** An open doc that no incident owns. */
export function notIncidentCard(declareUrl: string | undefined): Card {
  const how = 'Declare one in Teams: mention <b>@Firebreak</b> with <i>declare sev2 what you see</i>, or use "Declare incident" on a message.';
  return {
    header: { title: 'Firebreak', subtitle: 'This is not an incident doc' },
    sections: [{ widgets: [paragraph('This document does not belong to any incident Firebreak runs.'), paragraph(how), ...(declareUrl ? [buttons([{ text: 'Declare in Teams', url: declareUrl }])] : [])] }],
  };
}

/** Without drive.file for this doc, Google does not tell the add-on which doc is open; ask for it. */
export function fileAccessCard(endpoint: string): Card {
  return {
    header: { title: 'Firebreak', subtitle: 'Is this an incident doc?' },
    sections: [
      {
        widgets: [
          paragraph('To show the incident this document belongs to, Firebreak needs access to this document only (no other files).'),
          buttons([{ text: 'Allow access to this document', endpoint, parameters: { action: 'requestFileScope' }, filled: true }]),
        ],
      },
    ],
  };
}

/** A request Firebreak cannot act on, said plainly, with a way back to the home card. */
export function errorCard(message: string, endpoint: string): Card {
  return {
    header: { title: 'Firebreak', subtitle: 'Something is not right' },
    sections: [{ widgets: [paragraph(`<font color="#b3261e">${escape(message)}</font>`), divider(), buttons([{ text: 'Back to the incident', endpoint, parameters: { action: 'home' } }])] }],
  };
}
