import restify from 'restify';
import { jsonBody, KB, noBody, type OnRefused } from './http/body';
import { misdirected } from './http/hosts';
import type { Logger } from './log';
import type { HttpAnswer } from './teams/endpoint';
import { mountStatus } from './status/mount';
import type { ServeStatus } from './status/start';
import { mountExperts, type ServeExperts } from './oncall/routes';
import { mountReports, type ServeReports } from './reports/routes';
import { mountAlerts } from './alerts/mount';
import type { AlertWebhook } from './alerts/routes';

export interface Routes {
  messages(body: unknown, authorization: string | undefined): Promise<HttpAnswer>;
  /** The Google Workspace add-on (Docs sidebar). */
  addon(body: unknown, authorization: string | undefined): Promise<HttpAnswer>;
  health(): Promise<HttpAnswer>;
  /** Readiness (/readyz): 503 while starting, shutting down, or when the store does not answer. */
  ready?(): Promise<HttpAnswer>;
  /** Drive push notifications for watched incident docs (headers only; Drive sends no body for files). */
  googleNotify?(headers: Record<string, string | undefined>): Promise<HttpAnswer>;
  /** Local mode only: the sandbox pages (src/web/routes.ts) and the sidebar they show. */
  sandbox?: { get(rawUrl: string): Promise<{ status: number; headers: Record<string, string>; body: string }>; addon(body: unknown): Promise<HttpAnswer> };
  /** The public status page (src/status/): under /status, and at the root of its own host when it has one. */
  status?: { serve: ServeStatus; host?: string };
  /** The experts page and its list (src/oncall/routes.ts): Teams SSO in production, loopback in local mode. */
  experts?: ServeExperts;
  /** GET /metrics (src/metrics/endpoint.ts): the caller's Authorization header decides. */
  metrics?(authorization: string | undefined): Promise<{ status: number; headers: Record<string, string>; body: string }>;
  /** The reports page (src/reports/routes.ts): the same Teams SSO as the experts page, loopback in local mode. */
  reports?: ServeReports;
  /** The monitoring webhooks, /api/alerts/<source> (src/alerts/): bearer token; 404 while ALERT_WEBHOOK_TOKEN is unset. */
  alerts?: AlertWebhook;
}

/**
 * What each endpoint takes, one line each (docs/security.md lists them). Every JSON endpoint reads its own body,
 * application/json only, into memory up to its limit: nothing a client sends before authentication reaches the disk.
 */
function bodies(refused: OnRefused) {
  return {
    /**
     * Teams activities. Teams caps a message at about 100 KB counted in UTF-16, mentions and reactions included
     * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages); the rest is envelope.
     */
    messages: jsonBody(256 * KB, refused),
    /** A Docs add-on event: the sidebar's form inputs, the doc's ids and two Google ID tokens. */
    addon: jsonBody(128 * KB, refused),
    /** Drive push notifications for a file carry no body: their news is in the X-Goog-* headers. */
    googleNotify: noBody(4 * KB, refused),
    /** The local sandbox page's sidebar calls: a doc id and an action. */
    sandboxAddon: jsonBody(16 * KB, refused),
    /** The experts page: GETs, nothing to read. */
    experts: noBody(1 * KB, refused),
    /** Prometheus scrapes: GETs, nothing to read. */
    metrics: noBody(1 * KB, refused),
    /** The reports page: GETs, nothing to read. */
    reports: noBody(1 * KB, refused),
    /** Monitoring alerts: Alertmanager sends a whole group per notification, and groups can be large. */
    alerts: jsonBody(1024 * KB, refused),
  };
}

export interface ServerOptions {
  /**
   * Host names this server answers to; others get 421. Local mode serves unauthenticated endpoints: a web page that
   * rebinds its own name to this address could otherwise drive them from the browser.
   */
  allowedHosts?: ReadonlySet<string>;
  /** Told of every answered request by its route pattern (src/metrics/registry.ts); 'unmatched' when none matched. */
  observe?(route: string, method: string, status: number, seconds: number): void;
}

/** Routes only: each handler is given the parsed body and answers with a status and a body. */
export function createServer(routes: Routes, log: Logger, opts: ServerOptions = {}): restify.Server {
  const server = restify.createServer({ name: 'firebreak', handleUncaughtExceptions: false });
  const refused = (req: restify.Request, status: number, reason: string) => log.info('refused a request', { path: req.path(), status, reason });
  const BODY = bodies(refused);
  const allowed = opts.allowedHosts;
  if (allowed) {
    server.pre((req, res, next) => {
      const reason = misdirected(req.headers.host, allowed, 'this local Firebreak');
      if (!reason) return next();
      // A page that rebound its name to this address, most likely: worth a warning.
      log.warn('refused a request', { path: req.path(), status: 421, reason });
      res.send(421, { error: reason }, { connection: 'close' });
      return next(false);
    });
  }

  const observe = opts.observe;
  if (observe) {
    const started = new WeakMap<restify.Request, bigint>();
    server.pre((req, _res, next) => (started.set(req, process.hrtime.bigint()), next()));
    // 'after' fires for every answered request, refused and unrouted ones too (restify 11: "Server#after").
    server.on('after', (req: restify.Request, res: restify.Response, route?: { spec?: { path?: unknown } }) => {
      const t0 = started.get(req);
      const seconds = t0 === undefined ? 0 : Number(process.hrtime.bigint() - t0) / 1e9;
      observe(typeof route?.spec?.path === 'string' ? route.spec.path : 'unmatched', req.method ?? 'GET', res.statusCode, seconds);
    });
  }

  const send = (res: restify.Response, answer: HttpAnswer) => {
    if (answer.body === undefined) res.send(answer.status);
    else res.send(answer.status, answer.body);
  };

  server.post('/api/messages', BODY.messages, async (req: restify.Request, res: restify.Response) => {
    send(res, await routes.messages(req.body, req.header('authorization') || undefined));
  });
  server.post('/api/addon', BODY.addon, async (req: restify.Request, res: restify.Response) => {
    send(res, await routes.addon(req.body, req.header('authorization') || undefined));
  });
  server.get('/healthz', async (_req, res) => send(res, await routes.health()));
  server.get('/metrics', BODY.metrics, async (req: restify.Request, res: restify.Response) => {
    if (!routes.metrics) return send(res, { status: 404, body: { error: 'no metrics here' } });
    const answer = await routes.metrics(req.header('authorization') || undefined);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  server.get('/readyz', async (_req, res) => send(res, routes.ready ? await routes.ready() : { status: 404, body: { error: 'no readiness here' } }));
  server.post('/api/google/notify', BODY.googleNotify, async (req: restify.Request, res: restify.Response) => {
    if (!routes.googleNotify) return send(res, { status: 404, body: { error: 'the incident doc is not watched here: Google Docs is off' } });
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
    const answer = await routes.googleNotify(headers);
    if (answer.status === 401) log.warn('refused a request', { path: req.path(), status: 401, reason: (answer.body as { error?: string })?.error });
    send(res, answer);
  });
  if (routes.experts) mountExperts(server, routes.experts, BODY.experts);
  if (routes.reports) mountReports(server, routes.reports, BODY.reports);
  if (routes.alerts) mountAlerts(server, routes.alerts, BODY.alerts, send);
  if (routes.status) mountStatus(server, routes.status.serve, routes.status.host);
  const sandbox = routes.sandbox;
  if (sandbox) {
    // Pages, their state and assets: each answer names its own content type and security headers.
    const page = async (req: restify.Request, res: restify.Response) => {
      const answer = await sandbox.get(req.url ?? '/sandbox');
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    };
    server.get('/sandbox', page);
    server.get('/sandbox/*', page);
    // JSON only: a form posted from another site can't be JSON without asking (CORS), and this acts as a user.
    server.post('/sandbox/addon', BODY.sandboxAddon, async (req: restify.Request, res: restify.Response) => send(res, await sandbox.addon(req.body)));
  }

  // Restify's own errors (unknown route, wrong method) keep their 4xx status with a reason.
  server.on('restifyError', (req, res, err, callback) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) log.error('request failed', { path: req.path(), error: (err as Error).stack });
    err.toJSON = () => ({ error: status >= 500 ? 'internal error' : err.message || err.name });
    return callback();
  });
  return server;
}
