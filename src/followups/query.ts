import type { FollowUp } from '../domain/followups';
import { baseConversationId, type Incident, type Person } from '../domain/incident';
import type { Store } from '../store/store';

/** An open item with the incident it belongs to. */
export interface OpenItem {
  incident: Incident;
  item: FollowUp;
}

/**
 * How many incidents, newest first, are searched for open items. Read from the incidents' snapshots: enough for the
 * organisations Firebreak serves today; a larger one would want an index of open items (a table kept in the commit).
 */
const SEARCHED = 2000;

export async function openItems(store: Pick<Store, 'list'>): Promise<OpenItem[]> {
  const incidents = await store.list({ limit: SEARCHED });
  return incidents.flatMap((incident) => (incident.followUps ?? []).filter((item) => item.status === 'open').map((item) => ({ incident, item })));
}

/** The same person: the Teams id, or the Entra object id when both sides carry it (a person seen in two teams). */
export function samePerson(a: Person | undefined, b: Person): boolean {
  if (!a) return false;
  return a.id === b.id || Boolean(a.aadObjectId && a.aadObjectId === b.aadObjectId);
}

/**
 * Whether an item may be listed in a conversation, where everyone reads the answer: a private incident's items only in
 * that incident's own conversations, or to their owner in a 1:1 chat with the bot.
 */
export function listableIn(where: { id: string; conversationType?: string }, by: Person): (o: OpenItem) => boolean {
  const here = baseConversationId(where.id);
  return ({ incident, item }) => !incident.private || incident.places.some((p) => baseConversationId(p.id) === here) || (where.conversationType === 'personal' && samePerson(item.owner, by));
}

/** Open items first by due date (undated last), then by incident and number. */
export function byDue(a: OpenItem, b: OpenItem): number {
  return (a.item.due ?? '9999') .localeCompare(b.item.due ?? '9999') || a.incident.number - b.incident.number || a.item.n - b.item.n;
}
