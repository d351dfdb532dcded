import type { IncomingMessage } from 'node:http';
import { parseJson, type Reply } from '../http';
import { checkBody, checkQuery, matchRoute, type ApiSpec } from './discovery';
import { docsHandlers } from './docs-api';
import { driveHandlers, type DriveCall } from './drive-api';
import type { Directory } from './directory';
import type { DriveData } from './drive-state';
import { errorReply, fail, SandboxError, type Api } from './errors';
import type { Faults } from './faults';
import { selectFields } from './fields';
import type { TokenIssuer } from './oauth';
import type { Push } from './push';
import type { WriteQuota } from './quota';

/**
 * One API request through the sandbox, in the order the real front end applies things: injected faults, route
 * (from discovery), authentication, scopes, quota, query and body validation, the method, partial response.
 */
export interface RouterDeps {
  apis: Record<Api, ApiSpec>;
  data: () => DriveData;
  issuer: TokenIssuer;
  faults: Faults;
  quota: WriteQuota;
  base: () => string;
  now: () => number;
  newRevision: () => string;
  onWrite: () => void;
  record: (call: { method: string; status: number; at: number; documentId?: string; requests?: string[] }) => void;
  push: Push;
  directory: Directory;
}

const HANDLERS = { ...docsHandlers, ...driveHandlers };
const WRITES = new Set(['docs.documents.batchUpdate', 'docs.documents.create']);

export async function route(deps: RouterDeps, req: IncomingMessage, url: URL, body: string): Promise<Reply> {
  const api: Api = url.pathname.startsWith('/drive/') || url.pathname.startsWith('/upload/') ? 'drive' : 'docs';
  const matched = matchRoute(deps.apis[api], req.method ?? 'GET', url.pathname);
  const method = matched?.spec.id ?? `${req.method} ${url.pathname}`;
  let reply: Reply;
  try {
    const fault = await deps.faults.take(method, body);
    if (fault?.status) throw deps.faults.error(api, fault);
    reply = fault?.drop === 'before' ? { status: 0, drop: true } : await handle(deps, api, req, url, body, matched);
    await fault?.after?.();
    if (fault?.drop === 'after') reply = { status: 0, drop: true };
  } catch (err) {
    if (!(err instanceof SandboxError)) throw err;
    reply = errorReply(api, err);
  }
  const documentId = matched?.params.documentId ?? matched?.params.fileId;
  const requests = method === 'docs.documents.batchUpdate' ? requestKinds(body) : undefined;
  deps.record({ method, status: reply.drop ? 0 : reply.status, at: deps.now(), ...(documentId && { documentId }), ...(requests && { requests }) });
  return reply;
}

/** A batchUpdate's request kinds, for the record of calls (GoogleCall.requests). */
function requestKinds(body: string): string[] | undefined {
  const parsed = parseJson(body);
  const requests = parsed.ok ? (parsed.value as { requests?: unknown } | null)?.requests : undefined;
  if (!Array.isArray(requests)) return undefined;
  return requests.flatMap((r) =>
    typeof r === 'object' && r ? Object.entries(r as Record<string, { name?: unknown }>).map(([kind, v]) => (kind === 'createNamedRange' && typeof v?.name === 'string' ? `${kind} ${v.name}` : kind)) : [],
  );
}

async function handle(deps: RouterDeps, api: Api, req: IncomingMessage, url: URL, body: string, matched: ReturnType<typeof matchRoute>): Promise<Reply> {
  if (url.pathname.startsWith('/upload/')) throw fail.notEmulated('media upload');
  if (!matched) throw fail.notFound(`No ${api} method answers ${req.method} ${url.pathname}.`);
  const { spec, params } = matched;
  const handler = HANDLERS[spec.id];
  if (!handler) throw fail.notEmulated(spec.id);
  const caller = deps.issuer.caller(req.headers.authorization);
  if (!spec.scopes.some((s) => caller.scopes.includes(s))) {
    throw new SandboxError(403, 'Request had insufficient authentication scopes.', {
      reason: 'insufficientPermissions',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com' }],
    });
  }
  if (WRITES.has(spec.id)) deps.quota.charge(caller.email);
  const queryProblem = checkQuery(deps.apis[api], spec, url.searchParams);
  if (queryProblem) throw queryProblem;
  let json: Record<string, unknown> = {};
  if (spec.requestSchema) {
    const parsed = parseJson(body);
    if (!parsed.ok) throw fail.badRequest(`Invalid JSON payload received. ${parsed.error}`);
    const problem = checkBody(deps.apis[api], spec.requestSchema, parsed.value ?? {}, spec.id);
    if (problem) throw problem;
    json = (parsed.value ?? {}) as Record<string, unknown>;
  }
  const call: DriveCall = { data: deps.data(), caller, params, query: url.searchParams, body: json, base: deps.base(), now: deps.now, newRevision: deps.newRevision, push: deps.push, directory: deps.directory };
  const answer = handler(call);
  if (spec.httpMethod !== 'GET') deps.onWrite();
  return { status: answer.status, body: selectFields(answer.body, url.searchParams.get('fields') ?? answer.defaultFields ?? null) };
}
