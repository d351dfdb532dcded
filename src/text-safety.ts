/**
 * Text that PostgreSQL (and PGlite) cannot store: the NUL character, which neither `text` nor `jsonb` accepts, and
 * UTF-16 surrogates without their pair, which have no UTF-8 form (`jsonb` answers "unsupported Unicode escape
 * sequence"). Neither is anything a person meant to say, so each becomes U+FFFD, the replacement character, where the
 * text enters: at the edge for Teams activities and add-on events, where the doc's rows are read, and in the store.
 */
const ILL_FORMED = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const REPLACEMENT = '\ufffd';

/** The text with every NUL and unpaired surrogate replaced by U+FFFD; the same string when there is none. */
export function wellFormed(text: string): string {
  return text.replace(ILL_FORMED, REPLACEMENT);
}

/** Nesting deeper than this is not a Teams activity or an add-on event; refused rather than walked. */
export const MAX_DEPTH = 64;

export class TooDeep extends Error {
  override name = 'TooDeep';
}

/**
 * A copy of a parsed JSON value with every string (values and keys) made well-formed. Keys are copied as own data
 * properties, so a `__proto__` key stays a key. Throws `TooDeep` beyond `MAX_DEPTH` levels instead of overflowing the
 * stack on a body like `[[[[…]]]]`.
 * @example wellFormedJson({ text: 'a\u0000b' }) // { text: 'a\ufffdb' }
 */
export function wellFormedJson<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) throw new TooDeep(`nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((v) => wellFormedJson(v, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormedJson(v, depth + 1)])) as T;
}

/** Whether JSON text carries an escaped NUL or surrogate (`\u0000`, `\ud83d`), the only way JSON.stringify writes them. */
export function mayHoldIllFormedEscape(json: string): boolean {
  return /\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(json);
}
