import { baseConversationId, type Conversation, type Incident } from './incident';

/** How recent an active incident must be for a new declaration to be asked "is it this one?" (issue 14 item 3). */
export const SIMILAR_WINDOW_MINUTES = 30;
/** Share of title words two titles must have in common (Dice coefficient) to count as the same perception. */
export const SIMILAR_OVERLAP = 0.6;

/** A declaration about to be made: what it says, where, when, and the Teams message it was made from. */
export interface DeclarationProbe {
  title: string;
  origin: Conversation;
  at: string;
  sourceMessageUrl?: string;
}

/** Words that say nothing about what is wrong; left out so "the API is down" and "API down" read alike. */
const FILLER = new Set(
  'a an the is are was were be been being it its this that these those of on in at to for from by with and or but not no we our us they their there here again still now just very all some any has have had do does did can cannot cant seems seem looks look'.split(' '),
);

/**
 * The words of a title as compared: lower case, accents and punctuation gone, filler words dropped, a plural or
 * "500s" reduced to its stem ("errors" → "error", "500s" → "500").
 * @example normalisedWords('Checkout API returning 500s!') // ['checkout', 'api', 'returning', '500']
 */
export function normalisedWords(title: string): string[] {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !FILLER.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  return [...new Set(words)];
}

/** How much two titles say the same (0 to 1): twice the shared words over all words (Dice). */
export function titleOverlap(a: string, b: string): number {
  const x = normalisedWords(a);
  const y = new Set(normalisedWords(b));
  if (!x.length || !y.size) return 0;
  const shared = x.filter((w) => y.has(w)).length;
  return (2 * shared) / (x.length + y.size);
}


/** Same team (or, outside teams, the same chat): where the same people would declare the same thing. */
export function sameTeam(a: Conversation, b: Conversation): boolean {
  if (a.teamId && b.teamId) return a.teamId === b.teamId;
  return baseConversationId(a.id) === baseConversationId(b.id);
}

/**
 * The active incident a declaration most likely duplicates: declared in the last 30 minutes (or as set) in the same team, from
 * the same Teams message or with a title that says the same. The closest title wins; undefined when none is close.
 */
export function similarIncident(active: readonly Incident[], probe: DeclarationProbe, windowMinutes = SIMILAR_WINDOW_MINUTES): Incident | undefined {
  const at = new Date(probe.at).getTime();
  const recent = active.filter((i) => {
    const age = at - new Date(i.declaredAt).getTime();
    return i.status === 'active' && age >= 0 && age <= windowMinutes * 60_000 && sameTeam(i.origin, probe.origin);
  });
  const sameSource = probe.sourceMessageUrl ? recent.find((i) => i.sourceMessageUrl === probe.sourceMessageUrl) : undefined;
  if (sameSource) return sameSource;
  const scored = recent.map((i) => ({ i, score: titleOverlap(i.title, probe.title) })).filter((s) => s.score >= SIMILAR_OVERLAP);
  scored.sort((p, q) => q.score - p.score || q.i.number - p.i.number);
  return scored[0]?.i;
}
