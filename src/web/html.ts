import { PAGE_HEADERS } from '../sandbox/page-headers';

/**
 * What every sandbox page answers with. Pages are server-rendered; their only scripts and styles are the files under
 * /sandbox/assets, so the Content-Security-Policy allows no inline script or style at all: text that slipped through
 * unescaped still could not run. Everything a person or a document said is escaped with `esc` where it is written.
 */
export interface WebAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const SECURITY = PAGE_HEADERS;

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A link's href, only for http(s) addresses and this server's own paths (`/sandbox…`, not `//other.host`): anything
 * else (`javascript:`, `data:`) is no link at all.
 */
export function href(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/^\/(?![/\\])/.test(url)) return esc(url);
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? esc(u.href) : undefined;
  } catch {
    return undefined;
  }
}

/** `<a>` to an http(s) address, or the text alone when the address is anything else. */
export function link(url: string | undefined, text: string, attrs = ''): string {
  const h = href(url);
  return h ? `<a href="${h}"${attrs}>${esc(text)}</a>` : esc(text);
}

/** Escapes text and makes its http(s) addresses links (a mail's body, a posted message). */
export function linkify(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"')\]]*[^\s<>"')\].,;:!?])/)
    .map((part, i) => (i % 2 === 1 ? link(part, part) : esc(part)))
    .join('');
}

export function page(title: string, body: string, opts: { script?: string } = {}): WebAnswer {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/sandbox/assets/sandbox.css">${opts.script ? `<script src="/sandbox/assets/${esc(opts.script)}" defer></script>` : ''}</head>
<body>${body}</body></html>`;
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY }, body: html };
}

export function notFound(what: string): WebAnswer {
  return { ...page('Not found', `<main><h1>Not found</h1><p>${esc(what)}</p><p><a href="/sandbox">Back to the sandbox</a></p></main>`), status: 404 };
}

export function asset(type: 'css' | 'js', body: string): WebAnswer {
  const contentType = type === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
  return { status: 200, headers: { 'content-type': contentType, ...SECURITY }, body };
}

export function json(status: number, body: unknown): WebAnswer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY }, body: JSON.stringify(body) };
}

export function utcTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
