/** Teams allows at most 50 characters in a channel name (Graph channel-post). */
export const MAX_CHANNEL_NAME = 50;

/**
 * The incident channel's name: `inc-42-checkout-api-500s`. Only letters, digits and hyphens, so none of
 * Teams' forbidden characters (~ # % & * { } + / \ : < > ? | ' " , .) or control ranges can appear, and
 * it never starts with _ or . (limits-specifications-teams, Channel names). The title is cut at a word
 * boundary to fit the 50 characters with any `suffix` ("-2" when the name is taken by something else).
 * @example channelName(42, 'Checkout API returning 500s!') // 'inc-42-checkout-api-returning-500s'
 */
export function channelName(number: number, title: string, suffix = ''): string {
  const prefix = `inc-${number}`;
  const slug = title
    // Accents come off Latin letters only (é -> e); marks are part of the letter in other scripts (が, हि).
    .normalize('NFKD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const budget = MAX_CHANNEL_NAME - prefix.length - suffix.length - 1;
  let cut = slug;
  if (cut.length > budget) {
    cut = cut.slice(0, budget);
    const boundary = cut.lastIndexOf('-');
    if (slug[budget] !== '-' && boundary > budget / 2) cut = cut.slice(0, boundary);
    cut = cut.replace(/-+$/, '');
  }
  return cut && budget > 0 ? `${prefix}-${cut}${suffix}` : `${prefix}${suffix}`;
}
