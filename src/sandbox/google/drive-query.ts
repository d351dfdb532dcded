import type { DriveFile } from './drive-state';
import { fail, SandboxError } from './errors';

/**
 * The `q` search language of `files.list` for the terms Firebreak uses
 * (https://developers.google.com/workspace/drive/api/guides/ref-search-terms):
 * `appProperties has { key='k' and value='v' }`, `properties has {...}`, `'<id>' in parents`,
 * `name = | != | contains '...'`, `mimeType = | != '...'`, `trashed = true|false`, joined by and / or / not and
 * parentheses. A malformed query answers Drive's 400 "Invalid Value" on `q`; a well-formed term the sandbox does
 * not model answers 501 naming it.
 */
export type Predicate = (file: DriveFile) => boolean;

type Token = { kind: 'string' | 'word' | 'symbol'; text: string };

export function parseQuery(q: string, opts: { root?: string } = {}): Predicate {
  const tokens = tokenize(q);
  let i = 0;
  const peek = () => tokens[i];
  const take = () => tokens[i++] ?? invalid();
  const expect = (text: string) => {
    const t = take();
    if (t.text.toLowerCase() !== text) invalid();
  };
  const isWord = (text: string) => peek()?.kind === 'word' && peek().text.toLowerCase() === text;

  const or = (): Predicate => {
    let left = and();
    while (isWord('or')) {
      i++;
      const l = left;
      const r = and();
      left = (f) => l(f) || r(f);
    }
    return left;
  };
  const and = (): Predicate => {
    let left = unary();
    while (isWord('and')) {
      i++;
      const l = left;
      const r = unary();
      left = (f) => l(f) && r(f);
    }
    return left;
  };
  const unary = (): Predicate => {
    if (isWord('not')) {
      i++;
      const inner = unary();
      return (f) => !inner(f);
    }
    if (peek()?.text === '(') {
      i++;
      const inner = or();
      expect(')');
      return inner;
    }
    return condition();
  };
  const condition = (): Predicate => {
    const first = take();
    if (first.kind === 'string') {
      expect('in');
      const collection = take().text;
      if (collection !== 'parents') throw fail.notEmulated(`the Drive search term "in ${collection}"`);
      // `root` is Drive's alias for the caller's own My Drive folder.
      const parent = first.text === 'root' && opts.root ? opts.root : first.text;
      return (f) => f.parents.includes(parent);
    }
    const field = first.text;
    if (field === 'appProperties' || field === 'properties') {
      expect('has');
      expect('{');
      expect('key');
      expect('=');
      const key = take();
      expect('and');
      expect('value');
      expect('=');
      const value = take();
      expect('}');
      if (key.kind !== 'string' || value.kind !== 'string') invalid();
      return (f) => f[field][key.text] === value.text;
    }
    const op = take().text;
    const value = take();
    if (field === 'trashed' && op === '=' && (value.text === 'true' || value.text === 'false')) return (f) => f.trashed === (value.text === 'true');
    if ((field === 'name' || field === 'mimeType') && value.kind === 'string') {
      if (op === '=') return (f) => f[field] === value.text;
      if (op === '!=') return (f) => f[field] !== value.text;
      if (op === 'contains' && field === 'name') return (f) => f.name.toLowerCase().includes(value.text.toLowerCase());
    }
    if (['fullText', 'modifiedTime', 'createdTime', 'starred', 'visibility', 'sharedWithMe', 'viewedByMeTime'].includes(field)) {
      throw fail.notEmulated(`the Drive search term "${field} ${op}"`);
    }
    return invalid();
  };

  const predicate = or();
  if (i !== tokens.length) invalid();
  return predicate;
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let text = '';
      i++;
      while (i < q.length && q[i] !== "'") {
        if (q[i] === '\\') i++;
        text += q[i++] ?? '';
      }
      if (q[i] !== "'") invalid();
      i++;
      tokens.push({ kind: 'string', text });
    } else if (/[(){}]/.test(c)) {
      tokens.push({ kind: 'symbol', text: c });
      i++;
    } else if (/[=!<>]/.test(c)) {
      const op = /^(!=|<=|>=|=|<|>)/.exec(q.slice(i))?.[0] ?? invalid();
      tokens.push({ kind: 'symbol', text: op });
      i += op.length;
    } else {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i))?.[0] ?? invalid();
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}

function invalid(): never {
  throw new SandboxError(400, 'Invalid Value', { reason: 'invalid', location: 'q' });
}
