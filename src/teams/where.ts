import { isAnnouncement, type Incident } from '../domain/incident';

/** Which incident a message in a conversation is about, or why that can't be told. */
export type Whereabouts = { incident: Incident } | { none: string };

/**
 * The incident a command typed in `conversationId` is about, among the incidents active in its channel or chat
 * (`active`, newest first). The incident whose card thread, own conversation or origin the message is in wins;
 * otherwise the only active incident of the place; with several, nobody guesses: the answer says where to ask.
 * In an announcements channel a command counts only in the thread of the incident's own card there, because such a
 * channel carries every incident's announcement and its readers are not its responders.
 */
export function incidentHere(active: readonly Incident[], conversationId: string): Whereabouts | null {
  const exact = active.find(
    (i) =>
      i.origin.id === conversationId ||
      i.cards.some((c) => c.postedIn === conversationId) ||
      i.places.some((p) => p.id === conversationId && !isAnnouncement(i, p.id)),
  );
  if (exact) return { incident: exact };
  const announcing = active.filter((i) => isAnnouncement(i, conversationId));
  const own = active.filter((i) => !isAnnouncement(i, conversationId));
  if (own.length === 1) return { incident: own[0] };
  if (own.length > 1) {
    return { none: `Several incidents are active here (${labels(own)}). Reply in the thread of the incident's card so I know which one.` };
  }
  if (announcing.length) {
    return { none: `This channel carries the announcements of ${labels(announcing)}. Reply in the thread of the incident's card, or use the incident's own channel.` };
  }
  return null;
}

const labels = (incidents: readonly Incident[]) => incidents.map((i) => `INC-${i.number}`).join(', ');
