import { mayHoldIllFormedEscape, wellFormed, wellFormedJson } from '../text-safety';
import type { Sql, SqlTx } from './sql';

/**
 * The store never is where a NUL or an unpaired surrogate crashes a request: every text parameter is made well-formed
 * before PostgreSQL sees it, and every `$n::jsonb` parameter (JSON text, where JSON.stringify writes such characters
 * as `\u0000` and `\ud800` escapes) is parsed and written again with them replaced. The edges already do this for
 * what they take in; this catches whatever path a later change opens.
 */
export function wellFormedSql(sql: Sql): Sql {
  return {
    query: (text, params, opts) => sql.query(text, clean(text, params), opts),
    transaction: (fn) => sql.transaction((tx) => fn(wellFormedTx(tx))),
    close: () => sql.close(),
  };
}

function wellFormedTx(tx: SqlTx): SqlTx {
  return { query: (text, params, opts) => tx.query(text, clean(text, params), opts) };
}

function clean(text: string, params: unknown[] | undefined): unknown[] | undefined {
  if (!params) return params;
  const json = jsonParams(text);
  return params.map((p, i) => {
    if (typeof p !== 'string') return p;
    if (json.has(i + 1) && mayHoldIllFormedEscape(p)) return JSON.stringify(wellFormedJson(JSON.parse(p)));
    return wellFormed(p);
  });
}

const cache = new Map<string, Set<number>>();

/** The positions of parameters cast to jsonb in a statement (`$5::jsonb`), remembered per statement text. */
function jsonParams(text: string): Set<number> {
  let found = cache.get(text);
  if (!found) {
    found = new Set([...text.matchAll(/\$(\d+)::jsonb/g)].map((m) => Number(m[1])));
    if (cache.size < 500) cache.set(text, found);
  }
  return found;
}
