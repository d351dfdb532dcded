import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Host checks for the servers local mode runs without authentication (Firebreak itself, the Google sandbox, the
 * Graph emulator, the add-on's token issuer). A web page can rebind its own name to 127.0.0.1 and then drive a
 * loopback server from the browser (DNS rebinding); the browser still sends the page's name as Host, so a server
 * that answers only to the names it is really reached by cannot be driven that way.
 */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** Binding to these means "every interface", not a name anyone reaches the server by. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** `localhost:3978` -> `localhost`; `[::1]:3978` -> `::1`; `::1` -> `::1`; `LocalHost.` -> `localhost`. */
export function hostName(hostAndPort: string): string {
  const h = hostAndPort.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  if (h.indexOf(':') !== h.lastIndexOf(':')) return h; // a bare IPv6 address (a bind address, never a Host header)
  return h.split(':')[0].replace(/\.$/, '');
}

/** Loopback names plus each given name or address (a URL's host, an explicit bind address), wildcards left out. */
export function allowedHostNames(...names: (string | undefined)[]): ReadonlySet<string> {
  const given = names.filter((n): n is string => typeof n === 'string' && !WILDCARDS.has(n.trim())).map(hostName);
  return new Set([...LOOPBACK_NAMES, ...given]);
}

/** Undefined when the Host header names one of `allowed`; otherwise the one-line reason for a 421. */
export function misdirected(hostHeader: string | string[] | undefined, allowed: ReadonlySet<string>, what: string): string | undefined {
  const header = Array.isArray(hostHeader) ? hostHeader[0] : hostHeader;
  const name = header ? hostName(header) : '';
  if (name && allowed.has(name)) return undefined;
  return `${what} answers only to ${[...allowed].join(', ')}, not ${name ? `"${name.slice(0, 100)}"` : 'a request without a Host header'}`;
}

/** For node:http servers: answers 421 (in `shape`) and returns true when the Host is not one of `allowed`. */
export function refuseMisdirected(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: ReadonlySet<string>,
  shape: (reason: string) => unknown = (reason) => ({ error: reason }),
): boolean {
  const refused = misdirected(req.headers.host, allowed, 'this local emulator');
  if (!refused) return false;
  res.writeHead(421, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify(shape(refused)));
  return true;
}
