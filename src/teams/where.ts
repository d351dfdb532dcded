import { isAnnouncement, type Incident } from '../domain/incident';
import { baseConversationId, type Store } from '../store/store';

/** Which incident a message in a conversation is about, or why that can't be told. */
export type Whereabouts = { incident: Incident } | { none: string };

/** The incidents a message could be about: one, several (then someone must choose), or why none. */
export type Candidates = { incidents: Incident[] } | { none: string };

type Lookup = Pick<Store, 'activeIn' | 'owningIn' | 'byNumber'>;

/** At most this many incidents that may own a thread are read (a chat where many were declared). */
const OWNERS = 100;
/**
 * Where no incident owns the thread, the newest this many active incidents of the channel are read: one is the
 * answer, several are named (this many at most) and nobody guesses. So a command costs the same whatever the number
 * of incidents a channel has seen (issue 15 item 7).
 */
const ACTIVE = 20;

/**
 * How surely `conversationId` (a chat, or one thread of a channel: `<channel>;messageid=<root>`) belongs to the
 * incident: 2 where it was declared or one of its cards' threads, 1 any other thread of its own channel, 0 not at
 * all. So an incident declared inside another's channel owns the thread it was declared in.
 */
export function threadRank(incident: Incident, conversationId: string): 0 | 1 | 2 {
  if (
    incident.origin.id === conversationId ||
    // A copy shown in an outside place ("Show card here" in a chat, the announcements channel) makes only the thread
    // it opened there the incident's, never the whole chat: that chat still belongs to the incidents declared in it.
    incident.cards.some((c) => c.postedIn === conversationId && (c.postedIn !== c.conversationId || !isAnnouncement(incident, c.conversationId))) ||
    incident.places.some((p) => p.id === conversationId && !isAnnouncement(incident, p.id))
  ) {
    return 2;
  }
  // The incident's own channel (made for it after the declaration): every thread of it is the incident's.
  const base = baseConversationId(conversationId);
  return incident.places.some((p) => p.id !== incident.origin.id && !isAnnouncement(incident, p.id) && baseConversationId(p.id) === base) ? 1 : 0;
}

/** The incidents whose conversation or thread it is, the surest first (each rank newest first, as given). */
function owners(incidents: readonly Incident[], conversationId: string): Incident[] {
  const ranked = incidents.map((incident) => ({ incident, rank: threadRank(incident, conversationId) })).filter((r) => r.rank > 0);
  const best = Math.max(0, ...ranked.map((r) => r.rank));
  return ranked.filter((r) => r.rank === best).map((r) => r.incident);
}

/**
 * The incident a command typed in `conversationId` is about, among the incidents of its channel or chat (`active`
 * and `all`, newest first). A thread belongs to its incident, resolved or not: an active incident whose thread it
 * is wins, then a resolved one (the command then learns it is resolved and what still makes sense); otherwise the
 * only active incident of the place; with several, nobody guesses: the answer says where to ask.
 * In an announcements channel a command counts only in the thread of the incident's own card there, because such a
 * channel carries every incident's announcement and its readers are not its responders.
 */
export function incidentHere(active: readonly Incident[], conversationId: string, all: readonly Incident[] = [], number?: number): Whereabouts | null {
  const named = (list: readonly Incident[]) => (number === undefined ? list : list.filter((i) => i.number === number));
  const candidates = named([...active, ...all.filter((i) => !active.some((a) => a.id === i.id))]);
  if (number !== undefined && !candidates.length) return { none: `INC-${number} is not an incident of this conversation.` };
  const theirs = owners(candidates, conversationId);
  // A thread or chat of several: the active ones count first (a resolved one is reached by its number).
  const live = theirs.filter((i) => i.status === 'active');
  const exact = live.length ? live : theirs;
  if (exact.length === 1) return { incident: exact[0] };
  if (exact.length > 1) return { none: several(exact) };
  const announcing = named(active).filter((i) => isAnnouncement(i, conversationId));
  const own = named(active).filter((i) => !isAnnouncement(i, conversationId));
  if (own.length === 1) return { incident: own[0] };
  if (own.length > 1) return { none: several(own) };
  if (announcing.length) {
    return { none: `This channel carries the announcements of ${labels(announcing)}. Reply in the thread of the incident's card, or use the incident's own channel.` };
  }
  return null;
}

/** Nobody guesses between incidents: the answer says both ways to tell (a chat has no threads, so the number). */
const several = (incidents: readonly Incident[]) =>
  `Several incidents are active here (${labels(incidents)}). Reply in the thread of the incident's card, or start the command with its number, e.g. "INC-${incidents[0].number} status".`;

/** `INC-7 sev 1`: the command and the incident it names, when it starts with a number. */
export function namedIncident(text: string): { number?: number; text: string } {
  const m = /^INC-(\d{1,9})\s+([\s\S]+)$/i.exec(text.trim());
  return m ? { number: Number(m[1]), text: m[2] } : { text };
}

/**
 * `incidentHere` against the store, by index: the incidents that may own the thread (and the one named by number,
 * when it belongs to this channel or chat); the channel's newest active ones only when none of those owns it.
 */
export async function incidentAt(store: Lookup, conversationId: string, number?: number): Promise<Whereabouts | null> {
  const [owning, named] = await Promise.all([store.owningIn(conversationId, OWNERS), number === undefined ? null : store.byNumber(number)]);
  const all = unique([...owning, ...(named && shownIn(named, conversationId) ? [named] : [])]);
  const asked = number === undefined ? all : all.filter((i) => i.number === number);
  const recent = owners(asked, conversationId).length ? [] : await store.activeIn(conversationId, ACTIVE);
  return incidentHere(newestFirst(unique([...all.filter((i) => i.status === 'active'), ...recent])), conversationId, all, number);
}

/**
 * The incidents whose timeline a message said at `sentAt` in `conversationId` could go on. The incidents whose
 * conversation or thread it is come first (resolved ones too: a late note belongs to its incident); among several
 * (a chat where more than one was declared), those that were still open when it was said. Without such an
 * incident, the active incidents of the channel (the newest few), unless it only carries their announcements.
 */
export async function timelineCandidates(store: Lookup, conversationId: string, sentAt?: string): Promise<Candidates | null> {
  const theirs = owners(await store.owningIn(conversationId, OWNERS), conversationId);
  if (theirs.length) {
    const said = sentAt ? Date.parse(sentAt) : NaN;
    const open = theirs.filter((i) => i.status === 'active' || !i.resolvedAt || Number.isNaN(said) || Date.parse(i.resolvedAt) >= said);
    return { incidents: open.length ? open : theirs };
  }
  const active = await store.activeIn(conversationId, ACTIVE);
  const own = active.filter((i) => !isAnnouncement(i, conversationId));
  if (own.length) return { incidents: own };
  const announcing = active.filter((i) => isAnnouncement(i, conversationId));
  if (announcing.length) {
    return { none: `This channel carries the announcements of ${labels(announcing)}: add messages from the incident's own conversation or the thread of its card.` };
  }
  return null;
}

/** Whether the incident is shown in this chat or channel (what the store links them by). */
const shownIn = (incident: Incident, conversationId: string) => [incident.origin, ...incident.places].some((p) => baseConversationId(p.id) === baseConversationId(conversationId));
const unique = (incidents: readonly Incident[]) => incidents.filter((i, n) => incidents.findIndex((j) => j.id === i.id) === n);
const newestFirst = (incidents: Incident[]) => incidents.sort((a, b) => b.number - a.number);
const labels = (incidents: readonly Incident[]) => incidents.map((i) => `INC-${i.number}`).join(', ');
