import { followUpLine, type FollowUp } from './followups';
import type { Incident, Person } from './incident';
import type { Message } from './messages';

/**
 * What owners are told about their follow-ups (issue 18 item 9, seed 001: follow up on open items weekly until done).
 * Pure: the caller says to whom and when.
 */

/** The reminder the working day before an item is due, or once it is overdue. Without an owner the IC hears of it. */
export function followUpReminder(incident: Pick<Incident, 'number' | 'title'>, item: FollowUp, when: 'dayBefore' | 'overdue'): Message {
  const label = `INC-${incident.number}`;
  const subject = when === 'dayBefore' ? `${label}: follow-up #${item.n} is due ${item.due}` : `${label}: follow-up #${item.n} is overdue (it was due ${item.due})`;
  const lines = [followUpLine(item)];
  if (!item.owner) lines.push(`It has no owner: who will do it? "followup owner ${item.n} @person" in the incident's conversation.`);
  lines.push(`When it is done: "followup done ${item.n}" (or "followup cancel ${item.n}" if it no longer makes sense).`);
  return { subject, lines };
}

export interface DigestEntry {
  incident: Pick<Incident, 'number' | 'title'>;
  item: FollowUp;
}

/** The Monday digest: one per owner (what they own) and one per incident commander (the open items of their incidents). */
export function followUpDigest(to: Person, role: 'owner' | 'commander', entries: readonly DigestEntry[], date: string): Message {
  const subject = role === 'owner' ? `Your open follow-ups, week of ${date} (${entries.length})` : `Open follow-ups of the incidents you led, week of ${date} (${entries.length})`;
  const lines = entries.map(({ incident, item }) => `INC-${incident.number} ${followUpLine(item)}${item.due && item.due < date ? ' · OVERDUE' : ''}`);
  lines.push(role === 'owner' ? 'Close each when it is done: "followup done <n>" in its incident\'s conversation.' : 'Items without an owner need one: "followup owner <n> @person".');
  return { subject: `${to.name}: ${subject}`, lines };
}
