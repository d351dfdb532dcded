/** `followup …` and `followups …` as typed to the bot (mentions already removed from the text). */
export type FollowUpIntent =
  | { kind: 'add'; text: string; due?: string }
  | { kind: 'close'; n: number; outcome: 'done' | 'cancelled' }
  | { kind: 'owner'; n: number }
  | { kind: 'list'; scope: 'here' | 'mine' | 'all' }
  | { kind: 'usage' };

export const FOLLOWUP_USAGE =
  'followup <text> [@owner] [due <YYYY-MM-DD | in N days | weekday>]   (an action item for after the incident; "followup done <n>", "followup cancel <n>", "followup owner <n> @person")';
export const FOLLOWUPS_USAGE = "followups [mine|all]   (open follow-up items: this incident's, yours, or everyone's)";

/** Whether a message is one of these commands at all (so the caller hands it over). */
export const isFollowUpCommand = (text: string) => /^\/?follow-?ups?\b/i.test(text.trim());

export function parseFollowUp(text: string): FollowUpIntent {
  const m = /^\/?follow-?up(s?)\b\s*([\s\S]*)$/i.exec(text.trim());
  if (!m) return { kind: 'usage' };
  const rest = m[2].trim();
  if (m[1]) {
    const scope = rest.toLowerCase();
    if (!scope) return { kind: 'list', scope: 'here' };
    if (scope === 'mine' || scope === 'all') return { kind: 'list', scope };
    // `followups <text>`: one "s" too many is still an item.
  }
  if (!rest) return { kind: 'usage' };
  const close = /^(done|cancel|cancelled|canceled)\s+#?(\d{1,6})$/i.exec(rest);
  if (close) return { kind: 'close', n: Number(close[2]), outcome: close[1].toLowerCase() === 'done' ? 'done' : 'cancelled' };
  const owner = /^owner\s+#?(\d{1,6})$/i.exec(rest);
  if (owner) return { kind: 'owner', n: Number(owner[1]) };
  // The last "due …" of at most four words is the due date; anything before it is the item.
  const due = /^([\s\S]*\S)\s+due\s+(\S+(?:\s+\S+){0,3})$/i.exec(rest);
  return due ? { kind: 'add', text: due[1], due: due[2] } : { kind: 'add', text: rest };
}
