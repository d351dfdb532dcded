import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusSnapshot } from './snapshot';
import { formOrigins } from './subscriptions';

/** Browsers and widgets poll; a few seconds of staleness is fine and takes load off (Statuspage's own is short too). */
const MAX_AGE = 'public, max-age=10';

const csps = new WeakMap<Buffer, string>();

/** The page's own CSP: nothing but its inline stylesheet (by hash), no script, no outside asset; its subscribe form posts to the status origin only. Once per rendering. */
function pageCsp(html: Buffer, statusUrl: string): string {
  const known = csps.get(html);
  if (known) return known;
  const csp = cspOf(html, statusUrl);
  csps.set(html, csp);
  return csp;
}

function cspOf(html: Buffer, statusUrl: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(html.toString('utf8'))?.[1] ?? '';
  const hash = createHash('sha256').update(style).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action ${formOrigins(statusUrl)}`;
}

/**
 * Answers a request for `path` under the status root ('' or '/' is the page, 'api/v2/summary.json' …) from the
 * snapshot. GET and HEAD only; CORS open (public data, no credentials); ETag with If-None-Match → 304.
 */
export function serveStatus(snapshot: StatusSnapshot, path: string, req: IncomingMessage, res: ServerResponse, statusUrl = ''): void {
  const key = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/^index\.html$/, '');
  const common: Record<string, string> = { 'access-control-allow-origin': '*', 'x-content-type-options': 'nosniff' };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...common, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'If-None-Match', 'access-control-max-age': '86400' });
    return void res.end();
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...common, allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' });
    return void res.end(JSON.stringify({ error: 'the status page is read-only: GET only' }));
  }
  const found = snapshot.get(key);
  if (!found) {
    res.writeHead(404, { ...common, 'content-type': 'application/json; charset=utf-8' });
    return void res.end(JSON.stringify({ error: `no such status page resource: /${key.slice(0, 100)}` }));
  }
  const headers: Record<string, string> = { ...common, etag: found.etag, 'cache-control': MAX_AGE, vary: 'Accept-Encoding' };
  if (key === '') {
    headers['content-security-policy'] = pageCsp(found.body, statusUrl);
    headers['referrer-policy'] = 'no-referrer';
  }
  const validators = String(req.headers['if-none-match'] ?? '')
    .split(',')
    .map((v) => v.trim().replace(/^W\//, ''));
  if (validators.includes(found.etag) || validators.includes('*')) {
    res.writeHead(304, headers);
    return void res.end();
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? found.gzip : found.body;
  res.writeHead(200, { ...headers, 'content-type': found.type, 'content-length': String(body.length), ...(gzip && { 'content-encoding': 'gzip' }) });
  res.end(req.method === 'HEAD' ? undefined : body);
}
