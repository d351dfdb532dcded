import { readFileSync } from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import type { OrgPerson, Service } from '../org/services';
import { peopleText } from './card';
import type { Experts } from './experts';
import { directoryHtml, expertsPageHtml, PAGE_CSP, PAGE_CSS, PAGE_JS } from './page';
import { directory } from './source';
import { SsoRefused, type SsoVerifier } from './sso';

export interface ExpertsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const HEADERS = { 'content-security-policy': PAGE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

/** TeamsJS, served from this origin (the page's CSP allows no third-party script). */
export function teamsJs(): string {
  const file = require.resolve('@microsoft/teams-js');
  return readFileSync(path.join(path.dirname(file), 'MicrosoftTeams.min.js'), 'utf8');
}

/**
 * GET /experts (the page), /experts/directory (the list: in production only with a valid Teams SSO token),
 * /experts/page.js, /experts/page.css, /experts/teams-js.js. Local mode (`verify` undefined) renders the list into
 * the page: open on loopback, where the server's host check applies.
 */
export function expertsRoutes(experts: Experts, verify: SsoVerifier | undefined, now: () => Date) {
  const people = new Map<string, OrgPerson>(experts.org.people.map((p) => [p.id, p]));
  const escalation = (s: Service) => (s.escalation && people.has(s.escalation) ? peopleText([people.get(s.escalation)!]) : undefined);
  let script: string | undefined;
  const list = async (query: string) => {
    const at = now();
    return directoryHtml(await directory(experts.org, experts.source, at), query, escalation, at);
  };
  const html = (status: number, body: string): ExpertsAnswer => ({ status, headers: { ...HEADERS, 'content-type': 'text/html; charset=utf-8' }, body });
  const refused = (status: number, reason: string): ExpertsAnswer => ({ status, headers: { ...HEADERS, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: reason }) });

  return async function get(rawUrl: string, authorization: string | undefined): Promise<ExpertsAnswer> {
    const url = new URL(rawUrl, 'http://experts');
    const query = (url.searchParams.get('q') ?? '').slice(0, 200);
    switch (url.pathname) {
      case '/experts':
      case '/experts/':
        // The Teams shell holds no data: what is on call comes only with a token.
        return html(200, expertsPageHtml(verify ? undefined : await list(query), query));
      case '/experts/directory':
        if (verify) {
          try {
            await verify(authorization);
          } catch (err) {
            if (err instanceof SsoRefused) return refused(err.status, err.message);
            throw err;
          }
        }
        return html(200, await list(query));
      case '/experts/page.js':
        return { status: 200, headers: { ...HEADERS, 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: PAGE_JS };
      case '/experts/page.css':
        return { status: 200, headers: { ...HEADERS, 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: PAGE_CSS };
      case '/experts/teams-js.js':
        script ??= teamsJs();
        return { status: 200, headers: { ...HEADERS, 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }, body: script };
      default:
        return refused(404, `no page ${url.pathname.slice(0, 100)}`);
    }
  };
}

export type ServeExperts = ReturnType<typeof expertsRoutes>;

/** The routes on the main server; GETs only, no body taken (`noBody` declared by the caller). */
export function mountExperts(server: restify.Server, serve: ServeExperts, noBody: restify.RequestHandler): void {
  const handler = async (req: restify.Request, res: restify.Response) => {
    const answer = await serve(req.url ?? '/experts', req.header('authorization') || undefined);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
  server.get('/experts', noBody, handler);
  server.get('/experts/*', noBody, handler);
}
