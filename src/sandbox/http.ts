import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowedHostNames, refuseMisdirected } from '../http/hosts';

export type Handler = (req: http.IncomingMessage, body: string) => Promise<Reply> | Reply;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the connection instead of answering (a fault switch: the client sees a dropped connection). */
  drop?: boolean;
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/**
 * A plain node:http server for the emulators: one handler, JSON in and out, loopback only. It answers only to the
 * names it is reached by on this machine (421 otherwise, before reading the body): local mode serves the Google
 * sandbox's pages and APIs unauthenticated, and a page rebinding its own name to 127.0.0.1 must not drive them.
 */
export async function listen(handler: Handler, port = 0, host = '127.0.0.1'): Promise<Listening> {
  const allowed = allowedHostNames(host);
  const server = http.createServer((req, res) => {
    if (refuseMisdirected(req, res, allowed)) return;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', async () => {
      let reply: Reply;
      try {
        reply = size > MAX_BODY ? { status: 413, body: { error: 'body too large' } } : await handler(req, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        reply = { status: 500, body: { error: { code: 'InternalError', message: (err as Error).message } } };
      }
      if (reply.drop) return void req.socket.destroy();
      const isJson = reply.body !== undefined && typeof reply.body !== 'string';
      res.writeHead(reply.status, {
        ...(isJson ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...reply.headers,
      });
      res.end(reply.body === undefined ? undefined : isJson ? JSON.stringify(reply.body) : (reply.body as string));
    });
  });
  // Idle keep-alive sockets outlive the clients' own (Node's agent drops them after 5 s): with equal timeouts a request
  // could be written on a socket the server was closing that moment (ECONNRESET, seen once in the suite). Google's
  // and Microsoft's front ends also keep idle connections far longer than 5 s.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. EADDRINUSE, so a caller can pick another port
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function parseJson(body: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: body ? JSON.parse(body) : undefined };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
