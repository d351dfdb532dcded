import type { Incident } from '../domain/incident';

/** What the incident card (src/teams/cards.ts) shows of follow-ups; apart from the form, which imports the card's types. */
export const VERB_FORM = 'followupForm';
export const VERB_ADD = 'followupAdd';
export const VERB_DONE = 'followupDone';
export const VERB_CANCEL = 'followupCancel';
export const FOLLOW_UP_VERBS: readonly string[] = [VERB_FORM, VERB_ADD, VERB_DONE, VERB_CANCEL];

/** What the incident card shows of its follow-ups: how many are open, and the button that opens the form. */
export function followUpSummary(incident: Incident): unknown[] {
  const open = (incident.followUps ?? []).filter((i) => i.status === 'open');
  if (!open.length) return [];
  const unowned = open.filter((i) => i.horizon === 'now' && !i.owner).length;
  return [{ type: 'TextBlock', text: `Follow-ups: ${open.length} open${unowned ? `, ${unowned} due soon without an owner` : ''}`, wrap: true, spacing: 'Small', ...(unowned && { color: 'Warning' }) }];
}

export const followUpButton = (incident: Incident) => ({ type: 'Action.Execute', title: 'Follow-ups…', verb: VERB_FORM, data: { incidentId: incident.id } });

