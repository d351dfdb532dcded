import { clientAddress } from '../http/client-address';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonType, KB, readJson, readUrlEncoded } from '../http/body';
import type { Logger } from '../log';
import type { OrgFile } from '../org/schema';
import type { BudgetStore } from '../store/budget-store';
import type { StatusSubscribersStore } from '../store/status-subscribers-store';

/** A subscription request is an address and a few component ids: 4 KB is plenty. */
export const SUBSCRIBE_BODY_LIMIT = 4 * KB;

/** Per client (its address): a few requests a minute; budgets live in the store, so they hold across replicas. */
export const SUBSCRIBE_PER_MINUTE = 3;
export const SUBSCRIBE_BURST = 5;
/** Per mail address, whoever asks: at most a few confirmation mails an hour, so nobody is mail-bombed through us. */
const ADDRESS_PER_MINUTE = 3 / 60;
const ADDRESS_BURST = 3;
/** A confirmation link works for a day. */
const CONFIRM_TTL_MS = 24 * 3_600_000;

/** The one answer to every acceptable request, whether or not the address was subscribed: it reveals nothing. */
export const SUBSCRIBE_ANSWER = 'Thank you. If this address can receive mail, a link to confirm the subscription is on its way; nothing is sent before it is followed.';

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export interface Subscriptions {
  /** Whether a path under the status root is one of the subscription endpoints. */
  handles(path: string): boolean;
  handle(path: string, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** 32 random bytes, URL-safe: unguessable; compared in constant time (status-subscribers-store.ts sameSecret). */
const secret = () => randomBytes(32).toString('base64url');

/**
 * Subscribing to the status page by mail (issue 16, item 8): `POST subscriptions` (the page's form, or JSON), then
 * the confirmation link (double opt-in), and the unsubscribe link every mail carries. Links open a page with a
 * button (a POST), so a mail scanner that fetches links confirms or unsubscribes nothing; the unsubscribe POST also
 * takes RFC 8058's one-click body. Public by design: docs/security.md lists these with their body limits.
 */
export function createSubscriptions(deps: { mailing: () => boolean; org: OrgFile; store: StatusSubscribersStore; budgets: BudgetStore; url: string; now: () => Date; newId: () => string; log: Logger; trustedProxyHops?: number }): Subscriptions {
  const paths = new Set(['subscriptions', 'subscriptions/confirm', 'subscriptions/unsubscribe']);
  const pageName = deps.org.statusPage.name;

  async function subscribe(req: IncomingMessage, res: ServerResponse, client: string): Promise<void> {
    const json = isJsonType(req.headers['content-type']);
    // The page's form is answered with a page; JSON, and anything else (refused), in JSON.
    const form = String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    const answer = (status: number, message: string, extra: Record<string, string> = {}) =>
      !form ? sendJson(res, status, status < 400 ? { message } : { error: message }, extra) : sendPage(res, status, pageName, message, deps.url, extra);
    let email: unknown;
    let components: unknown;
    if (json) {
      const body = await readJson(req, SUBSCRIBE_BODY_LIMIT);
      if (!body.ok) return answer(body.status, body.reason);
      const value = body.value as Record<string, unknown> | null;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return answer(400, 'expected {"email": "...", "components": ["component id", ...]}');
      email = value.email;
      components = value.components ?? [];
    } else {
      const body = await readUrlEncoded(req, SUBSCRIBE_BODY_LIMIT);
      if (!body.ok) return answer(body.status, body.reason);
      email = body.value.get('email') ?? '';
      components = body.value.getAll('component');
    }
    if (typeof email !== 'string' || email.length > 254 || !EMAIL.test(email.trim())) return answer(400, 'That is not a mail address: give one like name@example.com.');
    if (!Array.isArray(components) || components.length > 100 || !components.every((c) => typeof c === 'string')) return answer(400, 'components: a list of component ids.');
    const unknown = (components as string[]).find((c) => !deps.org.statusPage.components.some((k) => k.id === c));
    if (unknown !== undefined) return answer(400, `"${unknown.slice(0, 40)}" is not a component of this page; known: ${deps.org.statusPage.components.map((c) => c.id).join(', ')}.`);
    // Counted once the request is one that mails: a refusal above costs nothing and sends nothing.
    const now = deps.now();
    const wait = await deps.budgets.take(`status-subscribe:${client}`, SUBSCRIBE_PER_MINUTE, SUBSCRIBE_BURST, now.getTime());
    if (wait > 0) return answer(429, 'Too many subscription requests from here; try again in a minute.', { 'retry-after': String(Math.ceil(wait / 1000)) });
    const address = email.trim().toLowerCase();
    // The same answer either way; an address asked for too often is simply not mailed again for a while.
    const addressKey = createHash('sha256').update(address).digest('base64url');
    if ((await deps.budgets.take(`status-subscribe-address:${addressKey}`, ADDRESS_PER_MINUTE, ADDRESS_BURST, now.getTime())) === 0) {
      await deps.store.request({
        email: address,
        components: [...new Set(components as string[])].sort(),
        newId: deps.newId(),
        confirmSecret: secret(),
        unsubscribeSecret: secret(),
        expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS).toISOString(),
        at: now.toISOString(),
      });
    }
    return answer(202, SUBSCRIBE_ANSWER);
  }

  /** The confirm or unsubscribe link: GET shows a button, POST does it. */
  async function follow(action: 'confirm' | 'unsubscribe', req: IncomingMessage, res: ServerResponse): Promise<void> {
    let token = new URL(req.url ?? '/', 'http://status').searchParams.get('token') ?? '';
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (!token) return sendPage(res, 400, pageName, 'This link is incomplete: open the whole link from the mail.', deps.url);
      const what = action === 'confirm' ? 'Confirm the subscription' : 'Unsubscribe';
      return sendPage(res, 200, pageName, action === 'confirm' ? `Confirm that this address should receive ${pageName} updates.` : `Stop ${pageName} updates to this address.`, deps.url, {}, { action, token, label: what });
    }
    const form = await readUrlEncoded(req, SUBSCRIBE_BODY_LIMIT);
    if (!form.ok) return sendPage(res, form.status, pageName, form.reason, deps.url);
    token = form.value.get('token') ?? token;
    const [id, given] = token.split('.');
    if (!id || !given) return sendPage(res, 400, pageName, 'This link is incomplete: open the whole link from the mail.', deps.url);
    if (action === 'confirm') {
      const ok = await deps.store.confirm(id, given, deps.now().toISOString());
      return ok
        ? sendPage(res, 200, pageName, `Subscribed: this address receives ${pageName} updates. Every mail has a link to stop.`, deps.url)
        : sendPage(res, 404, pageName, 'This confirmation link is not valid any more (used, replaced by a newer one, or older than a day). Subscribe again from the status page.', deps.url);
    }
    // Unknown and known tokens read the same: nothing tells whether an address was subscribed.
    await deps.store.unsubscribe(id, given);
    return sendPage(res, 200, pageName, `Unsubscribed: no more ${pageName} updates go to this address.`, deps.url);
  }

  return {
    handles: (path) => paths.has(path.replace(/^\/+|\/+$/g, '')),
    async handle(path, req, res) {
      const key = path.replace(/^\/+|\/+$/g, '');
      if (!deps.mailing()) return sendJson(res, 404, { error: 'subscriptions are off here: no mail sender is configured (GRAPH_MAIL_SENDER)' });
      try {
        if (key === 'subscriptions') {
          if (req.method !== 'POST') return sendJson(res, 405, { error: 'subscribe with POST (the form on the status page, or JSON {"email", "components"})' }, { allow: 'POST' });
          return await subscribe(req, res, clientAddress(req, deps.trustedProxyHops ?? 0));
        }
        if (!['GET', 'HEAD', 'POST'].includes(req.method ?? '')) return sendJson(res, 405, { error: 'GET shows the button, POST follows the link' }, { allow: 'GET, HEAD, POST' });
        return await follow(key === 'subscriptions/confirm' ? 'confirm' : 'unsubscribe', req, res);
      } catch (err) {
        // The store unreachable: say so, never a 500 with a stack.
        deps.log.warn('status subscriptions: the store failed', { error: (err as Error).message });
        if (!res.headersSent) sendJson(res, 503, { error: 'subscriptions are unavailable right now; try again shortly' }, { 'retry-after': '30' });
      }
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  res.end(JSON.stringify(body));
}

const h = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const PAGE_STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color-scheme:light dark}button{font:inherit;padding:.4rem 1rem}';

/** A small page without script (strict CSP: its one stylesheet by hash; forms post only to the status origin). */
function sendPage(res: ServerResponse, status: number, pageName: string, message: string, url: string, extra: Record<string, string> = {}, button?: { action: string; token: string; label: string }): void {
  const form = button
    ? `<form method="post" action="${h(`${url}/subscriptions/${button.action}`)}"><input type="hidden" name="token" value="${h(button.token)}"><button type="submit">${h(button.label)}</button></form>`
    : `<p><a href="${h(url)}">Back to the status page</a></p>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(pageName)} status: subscription</title><style>${PAGE_STYLE}</style></head><body><main><h1>${h(pageName)} status</h1><p role="status">${h(message)}</p>${form}</main></body></html>`;
  const hash = createHash('sha256').update(PAGE_STYLE).digest('base64');
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action ${formOrigins(url)}; frame-ancestors 'none'`,
    ...extra,
  });
  res.end(html);
}

/** Where the page's forms may post: this origin and the status page's own (the page is also served under /status). */
export function formOrigins(url: string): string {
  try {
    return `'self' ${new URL(url).origin}`;
  } catch {
    return "'self'";
  }
}
