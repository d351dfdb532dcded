import type { Incident, Person, ResourceKind } from '../domain/incident';
import { severityMeaning } from '../domain/policy';
import { incidentLabel, joinAnd, rolesLine } from '../domain/messages';
import { PHASE_MEANING } from '../domain/vocabulary';

/**
 * Every `{{placeholder}}` a template may use, what it becomes, and whether Firebreak keeps it current.
 * docs/google-setup.md documents each one; a test keeps the two in step.
 *
 * Live placeholders are marked with a named range when filled, so later fills (a bridge link arriving, a new
 * commander) replace exactly that text. The others are filled once: after that the text belongs to the people
 * editing the doc (the summary evolves; Firebreak must not overwrite it).
 */
export interface FieldValue {
  text: string;
  /** Makes the text a link. */
  link?: string;
}

export interface Placeholder {
  name: string;
  meaning: string;
  live: boolean;
  value(incident: Incident): FieldValue;
}

const text = (t: string): FieldValue => ({ text: t });

export const PLACEHOLDERS: readonly Placeholder[] = [
  { name: 'incident', live: false, meaning: 'The incident label, e.g. `INC-42`.', value: (i) => text(incidentLabel(i)) },
  { name: 'title', live: false, meaning: 'The title given at declaration: what we perceive.', value: (i) => text(i.title) },
  {
    name: 'description',
    live: false,
    meaning: 'The description given at declaration, or a prompt to write the summary.',
    value: (i) => text(i.description || 'What do we know so far? Replace this with the current summary.'),
  },
  { name: 'declared_at', live: false, meaning: 'When it was declared, e.g. `2026-03-15 00:02 UTC`.', value: (i) => text(utc(i.declaredAt)) },
  { name: 'declared_by', live: false, meaning: 'Who declared it.', value: (i) => text(i.declaredBy.name) },
  { name: 'severity', live: true, meaning: 'Current severity with its meaning, e.g. `2 (Major: ...)`.', value: (i) => text(`${i.severity} (${severityMeaning(i, i.severity)})`) },
  { name: 'phase', live: true, meaning: 'Current phase with its meaning, e.g. `1 (Stop the bleeding: ...)`.', value: (i) => text(`${i.phase} (${PHASE_MEANING[i.phase]})`) },
  { name: 'commander', live: true, meaning: 'The current incident commander.', value: (i) => text(i.commander.name) },
  { name: 'roles', live: true, meaning: 'Every role filled so far, in one line.', value: (i) => text(rolesLine(i) ?? 'None assigned yet.') },
  { name: 'comms_lead', live: true, meaning: 'The communications lead, or `(unassigned)`.', value: (i) => text(nameOf(i.roles.comms)) },
  { name: 'customer_liaison', live: true, meaning: 'The customer liaison, or `(unassigned)`.', value: (i) => text(nameOf(i.roles.customer)) },
  { name: 'business_liaison', live: true, meaning: 'The business liaison, or `(unassigned)`.', value: (i) => text(nameOf(i.roles.business)) },
  { name: 'smes', live: true, meaning: 'The subject-matter experts, or `(none yet)`.', value: (i) => text(i.roles.sme.length ? joinAnd(i.roles.sme.map((p) => p.name)) : '(none yet)') },
  { name: 'customer_impact', live: true, meaning: '`Yes` or `No`.', value: (i) => text(i.customerImpact ? 'Yes' : 'No') },
  {
    name: 'status',
    live: true,
    meaning: '`Active`, or `Resolved <time>`.',
    value: (i) => text(i.status === 'resolved' && i.resolvedAt ? `Resolved ${utc(i.resolvedAt)}` : 'Active'),
  },
  {
    name: 'channel_url',
    live: true,
    meaning: "The incident channel's link once it exists; `(being set up…)`, `(could not be created)` or `(none)` until then.",
    value: (i) => resource(i, 'channel'),
  },
  {
    name: 'bridge_url',
    live: true,
    meaning: "The meeting bridge's link once it exists; `(being set up…)`, `(could not be created)` or `(none)` until then.",
    value: (i) => resource(i, 'bridge'),
  },
];

export function placeholderValues(incident: Incident): Map<string, FieldValue & { live: boolean }> {
  return new Map(PLACEHOLDERS.map((p) => [p.name, { ...p.value(incident), live: p.live }]));
}

function resource(incident: Incident, kind: ResourceKind): FieldValue {
  const r = incident.resources[kind];
  if (!r) return text('(none)');
  if (r.status === 'ready' && r.url) return { text: r.url, link: r.url };
  if (r.status === 'failed') return text('(could not be created)');
  return text('(being set up…)');
}

function nameOf(person: Person | undefined): string {
  return person?.name ?? '(unassigned)';
}

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
