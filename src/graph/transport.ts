import https from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export interface TransportOptions {
  /** Extra trust for one CA (the local emulator's) in this process; production uses the system store. */
  ca?: string;
  /** Give up on one request after this long; the caller classifies it as retryable. */
  timeoutMs: number;
}

/**
 * The last link of the Graph client's middleware chain, in place of its HTTPMessageHandler. That handler
 * calls the global fetch, which in Node 20 takes no agent and so no CA: local mode could not trust the
 * in-process emulator's self-signed certificate. This one sends the same request over node:https (which
 * honours NODE_EXTRA_CA_CERTS) and hands back a WHATWG Response, so the SDK's Retry/Redirect/Auth handlers
 * above it work unchanged.
 */
export class HttpsTransport implements Middleware {
  private readonly agent: https.Agent;

  constructor(private readonly opts: TransportOptions) {
    this.agent = new https.Agent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) });
  }

  async execute(context: Context): Promise<void> {
    const request = context.request;
    const url = typeof request === 'string' ? request : (request as Request).url;
    const options = context.options ?? {};
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    const body = typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : undefined;
    if (options.body !== undefined && options.body !== null && body === undefined) {
      throw new Error('HttpsTransport sends string or Buffer bodies only');
    }
    // A request's `signal` (GraphRequest.option('signal', ...)) cancels it: the effect's attempt ran out of time.
    context.response = await this.send(url, options.method ?? 'GET', headers, body, options.signal ?? undefined);
  }

  private send(url: string, method: string, headers: Headers, body: string | Buffer | undefined, signal?: AbortSignal): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, agent: this.agent, headers: Object.fromEntries(headers.entries()), timeout: this.opts.timeoutMs, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const payload = Buffer.concat(chunks);
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
          // A Response may not carry a body with these statuses, nor an empty one needlessly (202 sendMail).
          const empty = payload.length === 0 || status === 204 || status === 205 || status === 304;
          resolve(new Response(empty ? null : payload, { status, statusText: res.statusMessage, headers: responseHeaders }));
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer from Graph within ${this.opts.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => reject(networkError(err)));
      req.end(body);
    });
  }
}

/** The SDK keeps only an error's name and message, so both must say what happened. */
function networkError(err: NodeJS.ErrnoException): Error {
  const e = new Error(`${err.code ?? 'network error'}: ${err.message}`);
  e.name = 'NetworkError';
  return e;
}
