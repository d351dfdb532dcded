import http from 'node:http';
import https from 'node:https';

export interface RawRequest {
  method?: string;
  path?: string;
  /** Sent as given; fetch() would not let a test set Host or leave out Content-Length. `host: ''` sends no Host. */
  headers?: Record<string, string>;
  /** Written as one piece (with Content-Length unless `chunked`). */
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked, in pieces of this many bytes. */
  chunked?: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): any;
}

/**
 * One HTTP(S) request with full control of the headers. The answer counts even when the server answered before
 * reading the whole body (a 413 on Content-Length) and the rest of the upload then failed.
 */
export function rawRequest(base: string, r: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(r.path ?? '/', base);
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  const headers: Record<string, string> = { ...r.headers };
  if (body && !r.chunked && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
  const noHost = headers.host === '';
  if (noHost) delete headers.host;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = client.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: r.method ?? 'GET', headers, setHost: !noHost, rejectUnauthorized: false, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (body && r.chunked) {
      for (let i = 0; i < body.length; i += r.chunked) req.write(body.subarray(i, i + r.chunked));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}
