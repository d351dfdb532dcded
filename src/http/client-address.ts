import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for per-client budgets. Behind a reverse proxy (Azure App Service's front end,
 * Container Apps' ingress, a load balancer) every request arrives from the proxy, so one client's budget would be
 * everyone's: with TRUSTED_PROXY_HOPS = n, the address is the n-th from the right of X-Forwarded-For — each proxy
 * appends the address it was reached from, so entries left of the trusted ones are whatever the client chose to send
 * and are never believed. App Service writes "ip:port"; the port is dropped. 0 (the default): the socket's address.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustedProxyHops: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => h.trim()).filter(Boolean);
  const entry = hops[hops.length - trustedProxyHops];
  return entry ? withoutPort(entry) : socket;
}

/** "203.0.113.5:54321" → "203.0.113.5"; "[2001:db8::1]:443" → "2001:db8::1"; a bare IPv6 address stays whole. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  return /^[^:]+:\d+$/.test(entry) ? entry.slice(0, entry.lastIndexOf(':')) : entry;
}
