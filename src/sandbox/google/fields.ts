import { fail } from './errors';

/**
 * Partial responses: the `fields` system parameter (`files(id,name),nextPageToken`, `body/content`, `revisionId`)
 * keeps only the named parts of a response (https://developers.google.com/workspace/docs/api/how-tos/performance).
 */
type Selection = Map<string, Selection | true>;

export function selectFields(value: unknown, fields: string | null): unknown {
  if (!fields || fields.trim() === '*') return value;
  return apply(value, parse(fields.replace(/\s+/g, '')));
}

function apply(value: unknown, selection: Selection): unknown {
  if (Array.isArray(value)) return value.map((v) => apply(v, selection));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of selection) {
    if (key === '*') return value;
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out[key] = sub === true ? v : apply(v, sub);
  }
  return out;
}

export function parse(text: string): Selection {
  let i = 0;
  const fields = (): Selection => {
    const sel: Selection = new Map();
    for (;;) {
      const name = /^[A-Za-z0-9_*]+/.exec(text.slice(i))?.[0];
      if (!name) throw fail.badRequest(`Invalid field selection ${text}`, { reason: 'invalidParameter', location: 'fields' });
      i += name.length;
      let sub: Selection | true = true;
      if (text[i] === '/') {
        i++;
        sub = fields1();
      } else if (text[i] === '(') {
        i++;
        sub = fields();
        if (text[i++] !== ')') throw fail.badRequest(`Invalid field selection ${text}`, { reason: 'invalidParameter', location: 'fields' });
      }
      const prior = sel.get(name);
      sel.set(name, prior && prior !== true && sub !== true ? new Map([...prior, ...sub]) : prior === true ? true : sub);
      if (text[i] !== ',') return sel;
      i++;
    }
  };
  // `a/b` selects one nested path.
  const fields1 = (): Selection => {
    const name = /^[A-Za-z0-9_*]+/.exec(text.slice(i))?.[0];
    if (!name) throw fail.badRequest(`Invalid field selection ${text}`, { reason: 'invalidParameter', location: 'fields' });
    i += name.length;
    if (text[i] === '/') {
      i++;
      return new Map([[name, fields1()]]);
    }
    if (text[i] === '(') {
      i++;
      const sub = fields();
      i++;
      return new Map([[name, sub]]);
    }
    return new Map([[name, true]]);
  };
  const sel = fields();
  if (i !== text.length) throw fail.badRequest(`Invalid field selection ${text}`, { reason: 'invalidParameter', location: 'fields' });
  return sel;
}
