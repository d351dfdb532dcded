import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { parseJson, type Reply } from '../http';
import { PAGE_HEADERS } from '../page-headers';
import type { DriveData } from './drive-state';
import { applyPersonEdit, type PersonEdit, type PersonEditDeps, type TimelineCells } from './person-edits';
import { renderArticle, renderDoc, renderIndex } from './render';
import { timelineTable } from './timeline-table';

/**
 * The sandbox's own pages (not Google's API): the list of documents, a document with its timeline editor, the
 * document's state for that page to follow changes, and the editor's one write. Pages carry a strict
 * Content-Security-Policy (their script and style are files of this sandbox, never inline); the write takes JSON
 * only, so another site cannot post it from a form, nor from a script without a CORS preflight it never passes.
 */
export interface PagesDeps {
  data: () => DriveData;
  people: readonly { email: string; name: string }[];
  hasAccount(email: string): boolean;
  edit: Omit<PersonEditDeps, 'data'>;
  /** After a person's edit: persist the Drive. */
  onWrite(): void;
}

const SECURITY = PAGE_HEADERS;
const ASSETS: Record<string, { type: string; file: string }> = {
  'doc.js': { type: 'text/javascript; charset=utf-8', file: 'doc.js' },
  'doc.css': { type: 'text/css; charset=utf-8', file: 'doc.css' },
};
const assetText = new Map<string, string>();

const html = (body: string, status = 200): Reply => ({ status, body, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY } });
const json = (status: number, body: unknown): Reply => ({ status, body, headers: SECURITY });

/** Answers the sandbox's own paths, or undefined for everything else (Google's API). */
export function sandboxPage(deps: PagesDeps, req: IncomingMessage, url: URL, body: string): Reply | undefined {
  const p = url.pathname;
  if (!p.startsWith('/sandbox/')) return undefined;
  const method = req.method ?? 'GET';
  const asset = /^\/sandbox\/assets\/([a-z.]+)$/.exec(p);
  if (asset && method === 'GET') {
    const a = ASSETS[asset[1]];
    if (!a) return json(404, { error: `no asset ${asset[1]}` });
    if (!assetText.has(a.file)) assetText.set(a.file, readFileSync(path.join(__dirname, 'assets', a.file), 'utf8'));
    return { status: 200, body: assetText.get(a.file)!, headers: { 'content-type': a.type, ...SECURITY } };
  }
  if (p === '/sandbox/docs' && method === 'GET') return html(renderIndex(deps.data()));
  const m = /^\/sandbox\/docs\/([^/]+)(\/state|\/timeline)?$/.exec(p);
  if (!m) return json(404, { error: `the Google sandbox has no page ${p}` });
  const id = decodeURIComponent(m[1]);
  const data = deps.data();
  const file = data.files[id];
  const doc = data.docs[id];
  if (!file || !doc) return m[2] ? json(404, { error: 'No such document in the sandbox.' }) : html('<p>No such document in the sandbox.</p>', 404);
  if (!m[2] && method === 'GET') return html(renderDoc(id, file.name, doc, deps.people));
  if (m[2] === '/state' && method === 'GET') {
    return json(200, { revision: doc.revision, article: renderArticle(doc), timeline: timelineTable(doc.units)?.rows.slice(1) ?? null });
  }
  if (m[2] === '/timeline' && method === 'POST') return personEdit(deps, req, id, body);
  return json(405, { error: `${method} is not allowed on ${p}` });
}

function personEdit(deps: PagesDeps, req: IncomingMessage, id: string, body: string): Reply {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return json(415, { error: 'send application/json' });
  if (req.headers['sec-fetch-site'] === 'cross-site') return json(403, { error: 'only the sandbox page may edit the doc' });
  const parsed = parseJson(body);
  if (!parsed.ok) return json(400, { error: `not JSON: ${parsed.error}` });
  const input = (parsed.value ?? {}) as { by?: unknown; add?: unknown; edit?: unknown };
  const by = typeof input.by === 'string' ? input.by.trim().toLowerCase() : '';
  if (!by || !deps.hasAccount(by)) return json(400, { error: 'by must be the email of a person with a Google account here' });
  const edit = readEdit(input);
  if (typeof edit === 'string') return json(400, { error: edit });
  const result = applyPersonEdit({ ...deps.edit, data: deps.data() }, id, by, edit);
  if (!result.ok) return json(result.status, { error: result.reason });
  deps.onWrite();
  return json(200, { revision: result.revision });
}

function readEdit(input: { add?: unknown; edit?: unknown }): PersonEdit | string {
  const cells = (v: unknown): TimelineCells | undefined => {
    const o = v as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null) return undefined;
    const text = (k: string) => (o[k] === undefined ? '' : typeof o[k] === 'string' ? (o[k] as string) : undefined);
    const [time, who, entry] = ['time', 'who', 'entry'].map(text);
    return time === undefined || who === undefined || entry === undefined ? undefined : { time, who, entry };
  };
  if (input.add !== undefined) {
    const c = cells(input.add);
    return c ? { kind: 'add', cells: c } : 'add must be { time, who, entry } strings';
  }
  const e = input.edit as { row?: unknown; was?: unknown; cells?: unknown } | undefined;
  if (e && typeof e === 'object') {
    const was = cells(e.was);
    const now = cells(e.cells);
    if (!Number.isInteger(e.row) || !was || !now) return 'edit must be { row, was: { time, who, entry }, cells: { time, who, entry } }';
    return { kind: 'edit', row: e.row as number, was, cells: now };
  }
  return 'say what to do: add or edit';
}
