import { followUpLine, type FollowUp } from '../domain/followups';
import type { Incident, Person } from '../domain/incident';
import { LIMITS } from '../domain/vocabulary';
import type { AdaptiveCard } from '../teams/cards';
import { plain } from '../teams/text';

import { VERB_ADD, VERB_CANCEL, VERB_DONE } from './card-parts';

/**
 * The follow-up form (the card's "Follow-ups…"): the open items, each with Done and Cancel, and a new item's text,
 * owner (from the team) and due date. Done and Cancel send no inputs, so an empty new item does not stop them.
 */
export function followUpForm(incident: Incident, people: Person[], notice?: { text: string; tone: 'good' | 'attention' }): AdaptiveCard {
  const data = { incidentId: incident.id };
  const body: unknown[] = [{ type: 'TextBlock', text: `INC-${incident.number} follow-ups: ${plain(incident.title)}`, weight: 'Bolder', wrap: true }];
  if (notice) body.push({ type: 'TextBlock', text: plain(notice.text), wrap: true, color: notice.tone === 'good' ? 'Good' : 'Attention' });
  const open = (incident.followUps ?? []).filter((i) => i.status === 'open');
  if (!open.length) body.push({ type: 'TextBlock', text: 'No open follow-ups.', isSubtle: true, wrap: true });
  for (const item of open) body.push(...itemRow(item, data));
  body.push(
    { type: 'Input.Text', id: 'followup', label: 'New follow-up: what must be done?', maxLength: LIMITS.note, isMultiline: true, separator: true, spacing: 'Medium' },
    { type: 'Input.ChoiceSet', id: 'owner', label: 'Owner (needed when due within the next few working days)', choices: people.map((p) => ({ title: p.name, value: p.id })) },
    { type: 'Input.Text', id: 'due', label: 'Due (YYYY-MM-DD, "in 3 days" or a weekday; empty: planning)', maxLength: 40 },
  );
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [
      { type: 'Action.Execute', title: 'Add follow-up', verb: VERB_ADD, data },
      { type: 'Action.Execute', title: 'Back to the incident', verb: 'refresh', data, associatedInputs: 'none' },
    ],
  };
}

function itemRow(item: FollowUp, data: { incidentId: string }): unknown[] {
  const button = (title: string, verb: string) => ({ type: 'Action.Execute', title, verb, data: { ...data, n: String(item.n) }, associatedInputs: 'none' });
  return [
    { type: 'TextBlock', text: plain(followUpLine(item)), wrap: true, spacing: 'Small' },
    { type: 'ActionSet', actions: [button('Done', VERB_DONE), button('Cancel it', VERB_CANCEL)], spacing: 'None' },
  ];
}
