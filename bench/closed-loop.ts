import { Agent, request } from 'node:http';

export interface LoadResult {
  /** 200 answers per second over the measured window. */
  perSecond: number;
  ok: number;
  /** Answers other than 200, by status. */
  statuses: Record<number, number>;
  /** Requests that got no answer: connection errors and timeouts. */
  errors: number;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** A fresh body for each request. */
  body: () => string;
  connections: number;
  seconds: number;
  /** Not counted: connections opened, keys fetched, code warm. */
  warmupSeconds?: number;
  timeoutMs?: number;
  /** Called as the measured window opens, when no request is in flight: to count what happens inside it. */
  measuring?: () => void;
}

/**
 * Closed-loop POST load over keep-alive connections: each connection sends its next request when the last answer is
 * read, so the rate is what the server sustains at that concurrency. The window ends when every request started
 * inside it is answered. The generator shares the machine's cores with the server.
 */
export async function closedLoop(opts: LoadOptions): Promise<LoadResult> {
  const { hostname, port } = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  let ok = 0;
  let errors = 0;
  let statuses: Record<number, number> = {};
  const once = () =>
    new Promise<void>((resolve) => {
      const body = opts.body();
      const req = request(
        { hostname, port, path: opts.path, method: 'POST', agent, timeout: opts.timeoutMs ?? 30_000, headers: { ...opts.headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) ok++;
            else statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const run = async (seconds: number) => {
    const until = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: opts.connections }, async () => { while (Date.now() < until) await once(); }));
  };
  try {
    await run(opts.warmupSeconds ?? 1);
    ok = errors = 0;
    statuses = {};
    opts.measuring?.();
    const started = performance.now();
    await run(opts.seconds);
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: ok / seconds, ok, statuses, errors, seconds };
  } finally {
    agent.destroy();
  }
}
