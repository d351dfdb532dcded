import restify from 'restify';
import type { Logger } from './log';
import type { HttpAnswer } from './teams/endpoint';

export interface Routes {
  messages(body: unknown, authorization: string | undefined): Promise<HttpAnswer>;
  /** The Google Workspace add-on (Docs sidebar). */
  addon(body: unknown, authorization: string | undefined): Promise<HttpAnswer>;
  health(): Promise<HttpAnswer>;
  /** Drive push notifications for watched incident docs (headers only; Drive sends no body for files). */
  googleNotify?(headers: Record<string, string | undefined>): Promise<HttpAnswer>;
  /** Local mode only: the sandbox page and its state. */
  sandbox?: { page(): string; state(): Promise<unknown>; addon(body: unknown): Promise<HttpAnswer> };
}

const MAX_BODY_BYTES = 256 * 1024;

export interface ServerOptions {
  /**
   * Host names this server answers to; others get 421. Local mode serves unauthenticated endpoints on loopback: a
   * web page that rebinds its own name to 127.0.0.1 could otherwise drive them from the browser.
   */
  allowedHosts?: readonly string[];
}

/** Routes only: each handler is given the parsed body and answers with a status and a body. */
export function createServer(routes: Routes, log: Logger, opts: ServerOptions = {}): restify.Server {
  const server = restify.createServer({ name: 'firebreak', handleUncaughtExceptions: false });
  const allowed = opts.allowedHosts && new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  if (allowed) {
    server.pre((req, res, next) => {
      const host = hostName(req.headers.host ?? '');
      if (allowed.has(host)) return next();
      res.send(421, { error: `this local Firebreak answers only to ${[...allowed].join(', ')}, not "${host}"` });
      return next(false);
    });
  }
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  const send = (res: restify.Response, answer: HttpAnswer) => {
    if (answer.body === undefined) res.send(answer.status);
    else res.send(answer.status, answer.body);
  };

  server.post('/api/messages', async (req, res) => {
    if (!req.is('json')) return send(res, { status: 415, body: { error: 'activities must be sent as application/json' } });
    send(res, await routes.messages(req.body, req.header('authorization') || undefined));
  });
  server.post('/api/addon', async (req, res) => {
    if (!req.is('json')) return send(res, { status: 415, body: { error: 'add-on events must be sent as application/json' } });
    send(res, await routes.addon(req.body, req.header('authorization') || undefined));
  });
  server.get('/healthz', async (_req, res) => send(res, await routes.health()));
  server.post('/api/google/notify', async (req, res) => {
    if (!routes.googleNotify) return send(res, { status: 404, body: { error: 'the incident doc is not watched here: Google Docs is off' } });
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
    send(res, await routes.googleNotify(headers));
  });
  const sandbox = routes.sandbox;
  if (sandbox) {
    server.get('/sandbox', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(sandbox.page());
    });
    server.get('/sandbox/state', async (_req, res) => send(res, { status: 200, body: await sandbox.state() }));
    server.post('/sandbox/addon', async (req, res) => {
      // JSON only: a form posted from another site can't be JSON without asking (CORS), and this acts as a user.
      if (!req.is('json')) return send(res, { status: 415, body: { error: 'sidebar calls must be sent as application/json' } });
      send(res, await sandbox.addon(req.body));
    });
  }

  // Restify's own errors (bad JSON, too large, unknown route) keep their 4xx status with a reason.
  server.on('restifyError', (req, res, err, callback) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) log.error('request failed', { path: req.path(), error: (err as Error).stack });
    err.toJSON = () => ({ error: status >= 500 ? 'internal error' : err.message || err.name });
    return callback();
  });
  return server;
}

/** `localhost:3978` -> `localhost`; `[::1]:3978` -> `::1`. */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  return h.split(':')[0];
}
