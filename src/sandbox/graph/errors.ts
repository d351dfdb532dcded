import { randomUUID } from 'node:crypto';
import type { Reply } from '../http';

/**
 * Every error the emulator answers, in Graph's shape (one factory, the Azurite way):
 * `{ "error": { "code", "message", "innerError": { "date", "request-id", "client-request-id" } } }`.
 * https://learn.microsoft.com/graph/errors
 */
export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'request-id': requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
      },
    },
  };
}

export const badRequest = (message: string, code = 'BadRequest') => graphError(400, code, message);

/** The OData error for a property the type does not have (Graph answers this for unknown body fields). */
export function unknownProperty(property: string, type: string): Reply {
  return badRequest(
    `The property '${property}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
}

/** Teams and cloud-communications APIs name the roles they need in their 403s. */
export function missingRoles(required: readonly string[], present: readonly string[]): Reply {
  return graphError(
    403,
    'Forbidden',
    `Missing role permissions on the request. API requires one of '${required.join(', ')}'. Roles on the request '${present.join(', ')}'.`,
  );
}

/** Exchange (mail, calendar) does not name the permission; real Graph answers exactly this. */
export const accessDenied = () => graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');

