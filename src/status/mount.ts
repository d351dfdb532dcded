import type restify from 'restify';
import { hostName } from '../http/hosts';
import type { ServeStatus } from './start';

/**
 * The status page on the main server: under /status, and, when STATUS_URL names a host of its own, at the root of
 * that host (routed by Host before restify's routes, so `/` and `/api/v2/…` there are the page's, not Firebreak's).
 */
export function mountStatus(server: restify.Server, serve: ServeStatus, statusHost?: string): void {
  if (statusHost) {
    server.pre((req, res, next) => {
      if (hostName(String(req.headers.host ?? '')) !== statusHost) return next();
      serve(new URL(req.url ?? '/', 'http://status').pathname, req, res);
      return next(false);
    });
  }
  const under = (req: restify.Request, res: restify.Response, next: restify.Next) => {
    serve(req.path().replace(/^\/status\/?/, ''), req, res);
    next();
  };
  for (const path of ['/status', '/status/*']) {
    server.get(path, under);
    server.head(path, under);
    server.opts(path, under);
  }
}
