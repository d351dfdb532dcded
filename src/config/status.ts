import { loadOrgFile, OrgFileError, orgFilePath } from '../org/load';
import type { OrgFile } from '../org/schema';
import type { Mode, Str, Url } from './parse';

/**
 * The organisation file and the status page's addresses.
 * - FIREBREAK_ORG_FILE (default ./firebreak.org.yml; local mode falls back to firebreak.org.example.yml).
 * - STATUS_URL: the page's public address. When its host differs from PUBLIC_URL's, requests with that Host are
 *   the status origin (`/` the page, `/api/v2/...` the API: Statuspage clients expect to own the origin).
 * - STATUS_PORT (local mode): the status origin's own port, default PORT+2 (PORT+1 is the Google sandbox's).
 * - TRUSTED_PROXY_HOPS: how many reverse proxies in front of Firebreak append to X-Forwarded-For (App Service: 1),
 *   so that per-client limits (subscriptions) see the client, not the proxy (src/http/client-address.ts). Default 0.
 */
export interface StatusConfig {
  org?: OrgFile;
  /** Public base URL of the page (no trailing slash). */
  url: string;
  /** Production: the Host name that is the status origin, when STATUS_URL names its own host. */
  host?: string;
  /** Local mode: the status origin's port (0 = any free port). */
  port?: number;
  /** Reverse proxies whose X-Forwarded-For entries are believed (0: the socket's address). */
  trustedProxyHops: number;
}

export function statusConfig(mode: Mode, port: number, publicUrl: string, problems: string[], str: Str, url: Url, cwd: string): StatusConfig {
  let org: OrgFile | undefined;
  const hopsText = str('TRUSTED_PROXY_HOPS', '0');
  const trustedProxyHops = Number(hopsText);
  if (!/^[0-5]$/.test(hopsText)) problems.push(`TRUSTED_PROXY_HOPS must be 0-5, the number of reverse proxies in front of Firebreak (got "${hopsText}")`);
  const file = orgFilePath(str('FIREBREAK_ORG_FILE') || undefined, mode, cwd);
  if (file) {
    try {
      org = loadOrgFile(file);
    } catch (err) {
      if (!(err instanceof OrgFileError)) throw err;
      problems.push(...err.problems.map((p) => `FIREBREAK_ORG_FILE: ${p}`));
    }
  }
  if (mode === 'local') {
    const text = str('STATUS_PORT', port && port < 65534 ? String(port + 2) : '0');
    const statusPort = Number(text);
    if (!Number.isInteger(statusPort) || statusPort < 0 || statusPort > 65535) problems.push(`STATUS_PORT must be a port number 0-65535 (got "${text}")`);
    return { ...(org && { org }), url: url('STATUS_URL', `http://localhost:${statusPort}`), port: statusPort, trustedProxyHops };
  }
  const statusUrl = url('STATUS_URL', `${publicUrl}/status`);
  let host: string | undefined;
  try {
    const own = new URL(statusUrl);
    if (own.host !== new URL(publicUrl).host) host = own.hostname.toLowerCase();
  } catch {
    /* named by url() */
  }
  return { ...(org && { org }), url: statusUrl, ...(host && { host }), trustedProxyHops };
}
