import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { allowedHostNames, refuseMisdirected } from '../../http/hosts';
import type { Reply } from '../http';

/** A reply, or "close the connection without answering" (a dropped connection, as a fault). */
export type HttpsReply = Reply | { drop: true };
export type HttpsHandler = (req: IncomingMessage, body: string) => Promise<HttpsReply> | HttpsReply;

export interface HttpsListening {
  url: string;
  /** PEM of the self-signed certificate; trust it to talk to this server. */
  ca: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

/**
 * An HTTPS server on loopback with a certificate made at start. Graph clients only attach tokens to https
 * hosts, so the Graph emulator must speak TLS; callers trust `ca` in-process or through NODE_EXTRA_CA_CERTS.
 * The certificate is its own CA (basicConstraints cA) so it can be put in a trust store as is.
 */
export async function listenHttps(handler: HttpsHandler, port = 0, host = '127.0.0.1'): Promise<HttpsListening> {
  const pems = await generate([{ name: 'commonName', value: 'Firebreak sandbox (Graph emulator)' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  // Like the plain emulators (../http.ts): only the names it is reached by on this machine, against DNS rebinding.
  const allowed = allowedHostNames(host);
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    if (refuseMisdirected(req, res, allowed, (message) => ({ error: { code: 'MisdirectedRequest', message } }))) return;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', async () => {
      let reply: HttpsReply;
      try {
        reply = size > MAX_BODY
          ? { status: 413, body: { error: { code: 'RequestEntityTooLarge', message: 'The request body is too large.' } } }
          : await handler(req, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        reply = { status: 500, body: { error: { code: 'InternalServerError', message: (err as Error).message } } };
      }
      if ('drop' in reply) return void req.socket.destroy();
      const isJson = reply.body !== undefined && typeof reply.body !== 'string';
      res.writeHead(reply.status, { ...(isJson ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...reply.headers });
      res.end(reply.body === undefined ? undefined : isJson ? JSON.stringify(reply.body) : (reply.body as string));
    });
  });
  server.keepAliveTimeout = 65_000; // idle sockets outlive the clients' own, as in ../http.ts
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `https://${host}:${actual}`,
    ca: pems.cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
