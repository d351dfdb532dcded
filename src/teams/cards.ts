import { audienceDues } from '../domain/audience-messages';
import type { Incident, ResourceKind, ResourceState } from '../domain/incident';
import { nextUpdateDue } from '../domain/cadence';
import { alertLine } from '../domain/alert-state';
import { commanderAlsoExpert, incidentLabel, missingRoles, utcTime } from '../domain/messages';
import { LIMITS, PHASE_MEANING, ROLE_LABEL } from '../domain/vocabulary';
import { policyOf } from '../domain/policy';
import { breakLine } from '../domain/breaks';
import { markdownTarget, teamsMessageLink } from './message-link';
import { plain } from './text';
import { postmortemFacts } from '../postmortem/card-facts';
import { followUpButton, followUpSummary } from '../followups/card-parts';

/** An Adaptive Card (schema 1.5) as plain JSON. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: unknown[] };

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

const SEVERITY_STYLE: Record<number, string> = { 1: 'attention', 2: 'warning', 3: 'accent', 4: 'default' };
const RESOURCE_TITLE: Record<ResourceKind, string> = { channel: 'Channel', bridge: 'Meeting bridge', doc: 'Incident doc', postmortem: 'Postmortem doc' };

export interface CardOptions {
  now: Date;
  /** A copy in an announcements channel: read-only, and a private incident shows only who leads. */
  redact?: boolean;
  /** A plain-words answer shown at the top, for the person who pressed a button (a refusal, a confirmation). */
  notice?: { text: string; tone: 'good' | 'attention' };
}

/** The live incident card: everything someone needs to know at a glance, updated in place. */
export function incidentCard(incident: Incident, opts: CardOptions): AdaptiveCard {
  const redacted = Boolean(opts.redact && incident.private);
  const title = redacted ? 'Private incident' : plain(incident.title);
  const facts = [
    { title: 'Severity', value: `${incident.severity}: ${plain(policyOf(incident).severityMeaning[incident.severity])}` },
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
  if (incident.alert && !redacted) facts.push({ title: 'Alert', value: alertLine(incident.alert) }); // declared from monitoring (src/domain/alert-state.ts)
  facts.push({ title: 'Started', value: `${utc(incident.declaredAt)} (${elapsed(incident.declaredAt, opts.now)} ago)` });
  const due = nextUpdateDue(incident);
  if (due) {
    const late = new Date(due).getTime() < opts.now.getTime();
    facts.push({ title: 'Next update due', value: `${utcTime(due, opts.now.toISOString())}${late ? ' (overdue)' : ''}` });
  }
  // Each audience told through `update` keeps its own cadence (src/domain/audiences.ts).
  if (!redacted) for (const a of audienceDues(incident)) facts.push({ title: `Next update to ${plain(a.name)}`, value: `${utcTime(a.due, opts.now.toISOString())}${new Date(a.due) < opts.now ? ' (overdue)' : ''}` });
  if (incident.status === 'resolved' && incident.resolvedAt) {
    facts.push({ title: 'Resolved', value: `${utc(incident.resolvedAt)} (after ${elapsed(incident.declaredAt, new Date(incident.resolvedAt))})` });
  }
  if (!redacted) facts.push(...postmortemFacts(incident, opts.now));

  const body: unknown[] = [];
  if (opts.notice) {
    body.push({ type: 'TextBlock', text: plain(opts.notice.text), wrap: true, weight: 'Bolder', color: opts.notice.tone === 'good' ? 'Good' : 'Attention' });
  }
  body.push(
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
  );
  // The team's break (issue 18): shown while it lasts, judged against the clock at render time (no timer to stop it).
  const onBreak = !redacted && incident.status === 'active' ? breakLine(incident, opts.now) : undefined;
  if (onBreak) body.push({ type: 'TextBlock', text: `☕ ${onBreak}`, weight: 'Bolder', color: 'Good', wrap: true, spacing: 'Small' });
  if (!redacted) {
    const places = coordination(incident);
    if (places.length) body.push({ type: 'TextBlock', text: 'Coordination', weight: 'Bolder', spacing: 'Medium' }, ...places);
    if (incident.description) {
      body.push({ type: 'TextBlock', text: plain(incident.description), wrap: true, spacing: 'Medium', maxLines: 8 });
    }
    // Incidents declared before links were checked may hold any https link: only a Teams message link is shown.
    const source = teamsMessageLink(incident.sourceMessageUrl);
    if (source) {
      body.push({ type: 'TextBlock', text: `Declared from [this message](${markdownTarget(source)})`, wrap: true, isSubtle: true, size: 'Small', spacing: 'Small' });
    }
    if (incident.status === 'active') {
      for (const gap of missingRoles(incident)) {
        body.push({ type: 'TextBlock', text: `⚠ ${gap}`, color: 'Attention', wrap: true, spacing: 'Small' });
      }
      // Gentle, not a warning: in a small team the commander may be the only expert for a while (DOMAIN.md).
      const both = commanderAlsoExpert(incident);
      if (both) body.push({ type: 'TextBlock', text: plain(both), wrap: true, spacing: 'Small', isSubtle: true });
    }
    body.push(...followUpSummary(incident));
  }
  if (opts.redact && incident.status === 'active') {
    body.push({ type: 'TextBlock', text: 'The responders steer this incident from its own conversation; this copy follows every change.', wrap: true, isSubtle: true, size: 'Small', spacing: 'Medium' });
  }
  const data = { incidentId: incident.id };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    // The announcement copy is for reading: its readers are the organisation, not the responders.
    ...(incident.status === 'active' && !opts.redact ? { actions: incidentActions(incident) } : {}),
    // Resolved: follow-ups are what is still written here (issue 18 item 8).
    ...(incident.status === 'resolved' && !opts.redact ? { actions: [followUpButton(incident)] } : {}),
    // Re-fetched when the card is viewed, so elapsed time and state are current for the people running it.
    refresh: { action: { type: 'Action.Execute', verb: 'refresh', data }, userIds: refreshUsers(incident) },
    msteams: { width: 'Full' },
  };
}

/** Automatic refresh is limited to 60 users per card; the people with a role in the incident matter most. */
function refreshUsers(incident: Incident): string[] {
  const people = [incident.commander, incident.declaredBy, incident.roles.comms, incident.roles.customer, incident.roles.business, ...incident.roles.sme];
  return [...new Set(people.filter((p) => p && !p.id.startsWith('google:')).map((p) => p!.id))].slice(0, 60);
}

const execute = (title: string, verb: string, incident: Incident, extra: Record<string, unknown> = {}) => ({
  type: 'Action.Execute',
  title,
  verb,
  data: { incidentId: incident.id, ...extra },
});

const showCard = (title: string, body: unknown[], actions: unknown[]) => ({
  type: 'Action.ShowCard',
  title,
  card: { type: 'AdaptiveCard', body, actions },
});

/** Six buttons (Teams shows at most six); each opens the smallest form that does its job. */
export function incidentActions(incident: Incident): unknown[] {
  const choices = <T extends number>(values: Record<T, string>) =>
    Object.entries(values).map(([value, meaning]) => ({ title: `${value}: ${meaning as string}`, value }));
  return [
    showCard(
      'Severity',
      [{ type: 'Input.ChoiceSet', id: 'severity', label: 'New severity', value: String(incident.severity), choices: choices(policyOf(incident).severityMeaning), isRequired: true, errorMessage: 'Pick a severity' }],
      [execute('Change severity', 'setSeverity', incident)],
    ),
    showCard(
      'Phase',
      [{ type: 'Input.ChoiceSet', id: 'phase', label: 'New phase', value: String(incident.phase), choices: choices(PHASE_MEANING), isRequired: true, errorMessage: 'Pick a phase' }],
      [execute('Change phase', 'setPhase', incident)],
    ),
    showCard(
      'Command',
      [{ type: 'TextBlock', text: `${plain(incident.commander.name)} is incident commander.`, wrap: true }],
      // Assembling the team is the commander's job too: "Page experts…" calls a service's on-call people (src/paging/).
      [execute('Take command', 'takeCommand', incident), execute('Hand off command…', 'handoffForm', incident), execute('Page experts…', 'page.form', incident)],
    ),
    execute('Assign a role…', 'roleForm', incident),
    showCard(
      'Add to timeline',
      [
        { type: 'Input.Text', id: 'note', label: 'What happened, or what you are about to do', isMultiline: true, maxLength: LIMITS.note, isRequired: true, errorMessage: 'Write the entry' },
        { type: 'Input.Toggle', id: 'destructive', title: 'This announces a destructive action (restart, failover, restore) before it is done', value: 'false' },
      ],
      [execute('Add', 'note', incident)],
    ),
    showCard(
      'Update / resolve',
      [
        { type: 'Input.Text', id: 'update', label: 'Stakeholder update (plain words, for people outside the team)', isMultiline: true, maxLength: LIMITS.update },
        { type: 'ActionSet', actions: [execute('Post update', 'update', incident), execute('Publish to status page…', 'publishForm', incident)] },
        { type: 'Input.Text', id: 'summary', label: 'Resolution summary (optional)', isMultiline: true, maxLength: LIMITS.note, separator: true },
        { type: 'ActionSet', actions: [execute('Resolve incident', 'resolve', incident)] },
        { type: 'ActionSet', actions: [followUpButton(incident)], separator: true },
      ],
      [],
    ),
  ];
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
