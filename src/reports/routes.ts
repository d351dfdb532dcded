import type restify from 'restify';
import type { FollowUpSettings } from '../org/followups';
import { SsoRefused, type SsoVerifier } from '../oncall/sso';
import { teamsJs } from '../oncall/routes';
import type { Store } from '../store/store';
import { buildReport } from './figures';
import { planningRows, toCsv } from './export';
import { chartsHtml, PAGE_CSP, PAGE_CSS, PAGE_JS, reportsPageHtml } from './page';

export interface ReportsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const HEADERS = { 'content-security-policy': PAGE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
/** Incidents read for a report, newest first: twelve weeks of them for any organisation Firebreak serves today. */
const READ = 1000;

/**
 * GET /reports (the page), /reports/charts (the charts: in production only with a valid Teams SSO token, the same
 * check as the experts page), /reports/page.js, /reports/page.css, /reports/teams-js.js. Local mode (`verify`
 * undefined) renders the charts into the page: open on loopback, where the server's host check applies.
 */
export function reportsRoutes(store: Pick<Store, 'list' | 'events'>, verify: SsoVerifier | undefined, now: () => Date, settings: () => FollowUpSettings) {
  let script: string | undefined;
  const charts = async () => {
    const incidents = await store.list({ limit: READ });
    const logs = await Promise.all(incidents.map(async (incident) => ({ incident, events: (await store.events(incident.id)).map((r) => r.event) })));
    const at = now();
    const { timeZone } = settings();
    return chartsHtml(buildReport(logs, at, timeZone), at, timeZone);
  };
  const html = (status: number, body: string): ReportsAnswer => ({ status, headers: { ...HEADERS, 'content-type': 'text/html; charset=utf-8' }, body });
  const refused = (status: number, reason: string): ReportsAnswer => ({ status, headers: { ...HEADERS, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: reason }) });

  /** The refusal for a request without a valid Teams SSO token (production); undefined when it may have the figures. */
  const unauthorized = async (authorization: string | undefined): Promise<ReportsAnswer | undefined> => {
    if (!verify) return undefined; // local mode: loopback only, host-checked
    try {
      await verify(authorization);
      return undefined;
    } catch (err) {
      if (err instanceof SsoRefused) return refused(err.status, err.message);
      throw err;
    }
  };

  return async function get(rawUrl: string, authorization: string | undefined): Promise<ReportsAnswer> {
    const url = new URL(rawUrl, 'http://reports');
    switch (url.pathname) {
      case '/reports':
      case '/reports/':
        // The Teams shell holds no data: the figures come only with a token.
        return html(200, reportsPageHtml(verify ? undefined : await charts()));
      case '/reports/charts': {
        const no = await unauthorized(authorization);
        return no ?? html(200, await charts());
      }
      case '/reports/followups.csv':
      case '/reports/followups.json': {
        // Planning items for a planning tool: the same sign-in as the charts (a Teams SSO token in production).
        const no = await unauthorized(authorization);
        if (no) return no;
        const rows = planningRows(await store.list({ limit: READ }));
        return url.pathname.endsWith('.csv')
          ? { status: 200, headers: { ...HEADERS, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="followups.csv"' }, body: toCsv(rows) }
          : { status: 200, headers: { ...HEADERS, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ items: rows }) };
      }
      case '/reports/page.js':
        return { status: 200, headers: { ...HEADERS, 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: PAGE_JS };
      case '/reports/page.css':
        return { status: 200, headers: { ...HEADERS, 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: PAGE_CSS };
      case '/reports/teams-js.js':
        script ??= teamsJs();
        return { status: 200, headers: { ...HEADERS, 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }, body: script };
      default:
        return refused(404, `no page ${url.pathname.slice(0, 100)}`);
    }
  };
}

export type ServeReports = ReturnType<typeof reportsRoutes>;

/** The routes on the main server; GETs only, no body taken (`noBody` declared by the caller). */
export function mountReports(server: restify.Server, serve: ServeReports, noBody: restify.RequestHandler): void {
  const handler = async (req: restify.Request, res: restify.Response) => {
    const answer = await serve(req.url ?? '/reports', req.header('authorization') || undefined);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
  server.get('/reports', noBody, handler);
  server.get('/reports/*', noBody, handler);
}
