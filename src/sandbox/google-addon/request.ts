import { randomBytes } from 'node:crypto';
import { addonResponseErrors } from './card-schema';
import type { AddonIssuer } from './issuer';

/**
 * What the Docs sidebar sends to an HTTP add-on, built the way Google builds it, so the sandbox page and the tests can
 * call /api/addon as the add-on host does: the event object of
 * https://developers.google.com/workspace/add-ons/reference/event-object and a Google-signed bearer token whose
 * audience is the endpoint URL from the deployment.
 * @example await callAddon(issuer, { endpoint, user: { email: 'ana@contoso.com' }, doc: { id: 'abc', hasFileScope: true } })
 */
export interface SidebarRequest {
  /** The URL the deployment names (the token's audience), and the one called unless `target` differs. */
  endpoint: string;
  /** Where to send it, when the public URL is not reachable from here (a proxy in front, a test). */
  target?: string;
  /** `hd` (the Workspace domain) defaults to the email's domain; null for a personal Google account. */
  user: { email: string; name?: string; hd?: string | null };
  /** The open document; without file scope only `addonHasFileScopePermission: false` is sent. */
  doc?: { id: string; title?: string; hasFileScope?: boolean };
  /** `action.parameters` of the widget that was used (none for homepage and file-scope triggers). */
  parameters?: Record<string, string>;
  /** The card's form inputs by name. */
  formInputs?: Record<string, string | string[]>;
  timeZone?: string;
}

export function sidebarEvent(issuer: AddonIssuer, r: SidebarRequest): Record<string, unknown> {
  const common: Record<string, unknown> = {
    userLocale: 'en',
    hostApp: 'DOCS',
    platform: 'WEB',
    timeZone: { id: r.timeZone ?? 'UTC', offset: offsetMs(r.timeZone ?? 'UTC') },
  };
  if (r.parameters) common.parameters = r.parameters;
  if (r.formInputs) {
    common.formInputs = Object.fromEntries(
      Object.entries(r.formInputs).map(([name, v]) => [name, { stringInputs: { value: Array.isArray(v) ? v : [v] } }]),
    );
  }
  // "If the add-on doesn't have drive.file scope authorization for the current user or document, the event object
  // only contains the docs.addonHasFileScopePermission field." (developers.google.com/workspace/add-ons/editors/gsao)
  const docs = r.doc?.hasFileScope === false || !r.doc
    ? { addonHasFileScopePermission: false }
    : { id: r.doc.id, title: r.doc.title ?? 'Untitled document', addonHasFileScopePermission: true };
  return {
    commonEventObject: common,
    authorizationEventObject: {
      userOAuthToken: `ya29.sandbox-${randomBytes(12).toString('base64url')}`,
      userIdToken: issuer.userToken({ email: r.user.email, name: r.user.name, hd: r.user.hd === null ? undefined : (r.user.hd ?? r.user.email.split('@')[1]) }),
      systemIdToken: issuer.systemToken({ audience: r.endpoint }),
    },
    docs,
  };
}

/** The HTTP request the host makes: method, headers (with the bearer token) and JSON body. */
export function sidebarRequest(issuer: AddonIssuer, r: SidebarRequest): { url: string; init: RequestInit } {
  const event = sidebarEvent(issuer, r);
  const bearer = (event.authorizationEventObject as { systemIdToken: string }).systemIdToken;
  return {
    url: r.target ?? r.endpoint,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'user-agent': 'Google-Workspace-Add-ons (sandbox)' },
      body: JSON.stringify(event),
    },
  };
}

/** Calls the add-on and checks its answer as the host's renderer would; `problems` lists what it would refuse. */
export async function callAddon(issuer: AddonIssuer, r: SidebarRequest): Promise<{ status: number; body: any; problems: string[] }> {
  const { url, init } = sidebarRequest(issuer, r);
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: the renderer refuses it, below */
  }
  const problems = res.status !== 200 ? [`HTTP ${res.status}`] : typeof body === 'object' ? addonResponseErrors(body) : ['the answer is not JSON'];
  return { status: res.status, body, problems };
}

/** The zone's current offset from UTC in milliseconds, as `timeZone.offset` carries it. */
function offsetMs(zone: string): number {
  const now = new Date();
  const local = new Date(now.toLocaleString('en-US', { timeZone: zone }));
  const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
  return Math.round((local.getTime() - utc.getTime()) / 60_000) * 60_000;
}
