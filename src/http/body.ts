import type { IncomingMessage } from 'node:http';
import type { Next, Request, RequestHandler, Response } from 'restify';

export const KB = 1024;

/**
 * What one endpoint takes, declared beside its route: `server.post('/api/x', jsonBody(1024 * KB), handler)`.
 * The body is read from the socket into memory, never to a file, and only up to `limit` bytes: restify's general
 * bodyParser (multipart and url-encoded parsers included) wrote uploads to the temp folder before any route or
 * authentication ran.
 */
export type BodyOutcome = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; reason: string };

/** Past the limit the rest of an upload is read and dropped up to this much, so the client can read its 413. */
const DRAIN_BYTES = 1024 * KB;

/** `application/json`, optionally `; charset=utf-8`: the only body the JSON endpoints take. */
export function isJsonType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || p.replace(/^charset=|"/g, '') === 'utf-8');
}

const size = (bytes: number) => (bytes >= KB ? `${Math.round(bytes / KB)} KB` : `${bytes} bytes`);

/** Reads at most `limit` bytes of a JSON body; a wrong type, a larger body or bad JSON is an outcome, not a throw. */
export async function readJson(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  const type = req.headers['content-type'];
  if (!isJsonType(type)) {
    return { ok: false, status: 415, reason: `this endpoint takes application/json only (got ${type ? `"${type.slice(0, 80)}"` : 'no content type'})` };
  }
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') return { ok: false, status: 415, reason: `compressed bodies are not accepted (content-encoding "${encoding.slice(0, 40)}")` };
  const read = await readBytes(req, limit);
  if (!read.ok) return read;
  if (read.bytes.length === 0) return { ok: false, status: 400, reason: 'the body is empty: expected JSON' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    return { ok: false, status: 400, reason: 'the body is not valid UTF-8 JSON' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, status: 400, reason: `the body is not valid JSON: ${(err as Error).message}` };
  }
}

/** Reads at most `limit` bytes of an HTML form's body (`application/x-www-form-urlencoded`, UTF-8): a page without script posts this. */
export async function readUrlEncoded(req: IncomingMessage, limit: number): Promise<{ ok: true; value: URLSearchParams } | Extract<BodyOutcome, { ok: false }>> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return { ok: false, status: 415, reason: `this endpoint takes a form (application/x-www-form-urlencoded) or JSON (got "${type.slice(0, 80) || 'no content type'}")` };
  const read = await readBytes(req, limit);
  if (!read.ok) return read;
  try {
    return { ok: true, value: new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes)) };
  } catch {
    return { ok: false, status: 400, reason: 'the form is not valid UTF-8' };
  }
}

/** Reads and drops a body the endpoint does not use (Drive's push notifications carry their news in headers). */
export async function skipBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  const read = await readBytes(req, limit);
  return read.ok ? { ok: true, value: undefined } : read;
}

async function readBytes(req: IncomingMessage, limit: number): Promise<{ ok: true; bytes: Buffer } | Extract<BodyOutcome, { ok: false }>> {
  const tooLarge = { ok: false as const, status: 413 as const, reason: `the body is larger than this endpoint's ${size(limit)}` };
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    drain(req);
    return tooLarge;
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.off('end', onEnd);
      drain(req);
      resolve(tooLarge);
    };
    const onEnd = () => resolve({ ok: true, bytes: Buffer.concat(chunks, length) });
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', () => resolve({ ok: false, status: 400, reason: 'the body was not received whole' }));
  });
}

/** Lets the client finish sending (so it reads the answer rather than a reset), dropping the bytes; then hangs up. */
function drain(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}

/** Told of every body refused, to log it. */
export type OnRefused = (req: Request, status: number, reason: string) => void;

/** A restify handler that puts the parsed body on `req.body`, or answers the outcome's status with its reason. */
export function jsonBody(limit: number, onRefused?: OnRefused): RequestHandler {
  return bodyHandler((req) => readJson(req, limit), onRefused);
}

/** A restify handler for an endpoint that takes no body: up to `limit` bytes are read and dropped. */
export function noBody(limit: number, onRefused?: OnRefused): RequestHandler {
  return bodyHandler((req) => skipBody(req, limit), onRefused);
}

function bodyHandler(read: (req: IncomingMessage) => Promise<BodyOutcome>, onRefused: OnRefused = () => undefined): RequestHandler {
  return (req: Request, res: Response, next: Next) => {
    read(req).then((outcome) => {
      if (outcome.ok) {
        req.body = outcome.value;
        return next();
      }
      onRefused(req, outcome.status, outcome.reason);
      // After a 413 the connection is not reused: the rest of the upload is still on its way.
      res.send(outcome.status, { error: outcome.reason }, outcome.status === 413 ? { connection: 'close' } : {});
      return next(false);
    }, next);
  };
}
