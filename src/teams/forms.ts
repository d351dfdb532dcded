import type { Incident, Person, Severity } from '../domain/incident';
import { LIMITS, ROLE_LABEL, ROLE_NAMES, SEVERITY_MEANING } from '../domain/vocabulary';
import type { AdaptiveCard } from './cards';
import { markdownTarget } from './message-link';
import { plain } from './text';
import { detectionInput } from '../postmortem/detection';

const card = (body: unknown[], actions: unknown[]): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body,
  actions,
});

const peopleChoices = (people: Person[]) => people.map((p) => ({ title: p.name, value: p.id }));

export interface DeclareFormOptions {
  /** Identifies this form: a second submit of the same form never declares twice. */
  formId: string;
  declarer: Person;
  people: Person[];
  /** Invoked on a message: its text becomes the description and a link to it is kept. */
  description?: string;
  /** A Teams message link from the invoking activity (message-link.ts); never a value a form sent back. */
  sourceUrl?: string;
  /** After a refused submit: the values to keep and why it was refused. */
  values?: Record<string, string>;
  problem?: string;
  /** It looks like this active incident: the form offers "Join" it or "Declare anyway" instead of "Declare". */
  similar?: { incidentId: string; label: string };
  /** The organisation's severity words (its policy); today's by default. */
  severityMeaning?: Record<Severity, string>;
  /** The organisation file's services: the form asks which one it is about (optional); absent, it does not ask. */
  services?: string[];
}

/** The message extension's form: what we perceive, how bad, who leads. Severity can change later, so pick fast. */
export function declareForm(o: DeclareFormOptions): AdaptiveCard {
  const v = o.values ?? {};
  const people = o.people.some((p) => p.id === o.declarer.id) ? o.people : [o.declarer, ...o.people];
  const body: unknown[] = [];
  if (o.problem) body.push({ type: 'TextBlock', text: plain(o.problem), color: 'Attention', wrap: true, weight: 'Bolder' });
  body.push(
    { type: 'Input.Text', id: 'title', label: 'What do we perceive?', placeholder: 'e.g. Checkout API returning 500s', isRequired: true, maxLength: LIMITS.title, errorMessage: 'Say what you see, in a few words', value: v.title ?? '' },
    { type: 'Input.Text', id: 'description', label: 'Description', isMultiline: true, maxLength: LIMITS.description, value: v.description ?? o.description ?? '' },
    {
      type: 'Input.ChoiceSet',
      id: 'severity',
      label: 'Severity (pick fast; it can change later)',
      value: v.severity ?? '3',
      isRequired: true,
      choices: Object.entries(o.severityMeaning ?? SEVERITY_MEANING).map(([value, meaning]) => ({ title: `${value}: ${meaning}`, value })),
    },
    { type: 'Input.Toggle', id: 'customerImpact', title: 'Customers are affected', value: v.customerImpact ?? 'false', valueOn: 'true', valueOff: 'false' },
    detectionInput(v.detection),
    ...(o.services?.length
      ? [{ type: 'Input.ChoiceSet', id: 'service', label: 'Which service? (if you know; the postmortem names it)', placeholder: 'Not sure', value: v.service ?? '', choices: o.services.map((s) => ({ title: s, value: s })) }]
      : []),
    { type: 'Input.ChoiceSet', id: 'commander', label: 'Incident commander', value: v.commander ?? o.declarer.id, isRequired: true, choices: peopleChoices(people) },
    { type: 'Input.Toggle', id: 'private', title: 'Private: announce only that it exists and who leads it', value: v.private ?? 'false', valueOn: 'true', valueOff: 'false' },
  );
  if (o.sourceUrl) body.push({ type: 'TextBlock', text: `Declared from [this message](${markdownTarget(o.sourceUrl)})`, isSubtle: true, wrap: true, size: 'Small' });
  const data = { formId: o.formId, ...(o.sourceUrl ? { sourceUrl: o.sourceUrl } : {}) };
  if (o.similar) {
    return card(body, [
      { type: 'Action.Submit', title: `Join ${o.similar.label}`, data: { ...data, join: o.similar.incidentId } },
      { type: 'Action.Submit', title: 'Declare anyway', data: { ...data, declareAnyway: 'true' } },
    ]);
  }
  return card(body, [{ type: 'Action.Submit', title: 'Declare incident', data }]);
}

/** Choose the next commander, or who takes a role: from the people in this team. */
export function personForm(incident: Incident, kind: 'handoff' | 'role', people: Person[]): AdaptiveCard {
  const others = people.filter((p) => kind === 'role' || p.id !== incident.commander.id);
  const data = { incidentId: incident.id };
  const body: unknown[] = [{ type: 'TextBlock', text: `INC-${incident.number}: ${plain(incident.title)}`, weight: 'Bolder', wrap: true }];
  if (kind === 'role') {
    body.push({ type: 'Input.ChoiceSet', id: 'role', label: 'Role', isRequired: true, value: 'comms', choices: ROLE_NAMES.map((r) => ({ title: ROLE_LABEL[r], value: r })) });
  }
  body.push({
    type: 'Input.ChoiceSet',
    id: 'person',
    label: kind === 'handoff' ? `Hand command from ${plain(incident.commander.name)} to` : 'Person',
    isRequired: true,
    errorMessage: 'Choose someone',
    choices: peopleChoices(others),
  });
  return card(body, [
    { type: 'Action.Execute', title: kind === 'handoff' ? 'Hand off command' : 'Assign role', verb: kind === 'handoff' ? 'handoff' : 'assignRole', data },
    { type: 'Action.Execute', title: 'Cancel', verb: 'refresh', data },
  ]);
}
