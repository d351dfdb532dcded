import type restify from 'restify';
import { hostName } from '../http/hosts';
import type { ServeStatus } from './start';

/**
 * The status page on the main server: under /status, and, when STATUS_URL names a host of its own, at the root of
 * that host (so `/` and `/api/v2/…` there are the page's, not Firebreak's). Answered in a `pre` handler, before
 * restify's router and body parsers: these are GETs of documents rendered ahead of time, and the page is what
 * everyone refreshes during an incident (bench/status-summary.ts: about twice the rate through the router).
 */
export function mountStatus(server: restify.Server, serve: ServeStatus, statusHost?: string): void {
  server.pre((req, res, next) => {
    const path = new URL(req.url ?? '/', 'http://status').pathname;
    if (statusHost && hostName(String(req.headers.host ?? '')) === statusHost) {
      serve(path, req, res);
      return next(false);
    }
    if (path === '/status' || path.startsWith('/status/')) {
      serve(path.slice('/status'.length), req, res);
      return next(false);
    }
    return next();
  });
}
