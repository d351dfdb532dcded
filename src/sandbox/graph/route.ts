import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from '../http';
import type { Caller } from './entra';
import type { GraphLinks } from './links';
import type { GraphState, GraphTenant } from './state';

/** What a Graph route sees: the caller (its token checked), the tenant, the state, the parsed request. */
export interface RouteContext {
  tenant: GraphTenant;
  state: GraphState;
  caller: Caller;
  /** The emulator's own origin, for `@odata.context` and the like. */
  base: string;
  method: string;
  /** Path segments after `/v1.0`, decoded. */
  segments: string[];
  query: URLSearchParams;
  /** The JSON body, or undefined. */
  body: unknown;
  /** The web links handed out for channels and meetings. */
  links: GraphLinks;
  /** The request's headers (Planner's If-Match and Prefer). */
  headers?: IncomingHttpHeaders;
  /** Planner's fixed page size for a plan's tasks (GraphEmulatorOptions.plannerPageSize). */
  plannerPageSize?: number;
}

/** A route answers, or returns undefined when the path is not its own. */
export type Route = (ctx: RouteContext) => Reply | undefined;

export function hasRole(caller: Caller, allowed: readonly string[]): boolean {
  return caller.roles.some((r) => allowed.includes(r));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
