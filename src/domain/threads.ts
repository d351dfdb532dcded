import { baseConversationId, isAnnouncement, type Incident } from './incident';

/**
 * The conversations an incident can own, as index keys: rank 2 for an exact chat or thread (where it was declared, a
 * card's thread, a place), rank 1 for a channel of its own (any thread of it). A superset of what
 * src/teams/where.ts `threadRank` gives more than 0 for, which decides on the incidents read; the store keeps these
 * keys so a command finds those incidents without reading every incident of its channel.
 */
export function threadKeys(incident: Pick<Incident, 'origin' | 'cards' | 'places' | 'announcedIn'>): { conversationId: string; rank: 1 | 2 }[] {
  const exact = new Set([incident.origin.id, ...incident.cards.map((c) => c.postedIn), ...incident.places.map((p) => p.id)]);
  const channels = new Set(incident.places.filter((p) => p.id !== incident.origin.id && !isAnnouncement(incident, p.id)).map((p) => baseConversationId(p.id)));
  return [...[...exact].map((conversationId) => ({ conversationId, rank: 2 as const })), ...[...channels].map((conversationId) => ({ conversationId, rank: 1 as const }))];
}
