import { GraphError } from '@microsoft/microsoft-graph-client';
import { OutsideError } from '../outside-error';
import { retryAfterSeconds } from './client';

/** What a Graph call was for, so a failure can be told in plain words with the permission it needs. */
export interface Operation {
  /** "create the incident channel" */
  what: string;
  /** What a 403 means here: the permission (and any policy) the tenant admin must grant. */
  needs: string;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
// Sign-in failures no retry can fix: wrong secret, unknown app or tenant, app disabled (AADSTS codes).
const SIGN_IN_FIXED_BY_ADMIN = /invalid_client|unauthorized_client|invalid_tenant|AADSTS(7000215|700016|90002|7000222|7000112)/;

/** Graph failures in the workers' vocabulary (STYLE.md 5), told so the card can show them as they are. */
export function classifyGraphError(err: unknown, op: Operation): OutsideError {
  if (err instanceof OutsideError) return err;
  const e = err as Partial<GraphError> & { message?: string; name?: string };
  const status = typeof e.statusCode === 'number' ? e.statusCode : -1;
  // The transport names its errors NetworkError and puts the socket's code first in the message.
  const detail = e.code === 'NetworkError' ? e.message ?? '' : [e.code, e.message].filter(Boolean).join(': ');
  if (status === -1) {
    if (e.code === 'AuthenticationError' || e.code === 'CredentialUnavailableError' || SIGN_IN_FIXED_BY_ADMIN.test(detail)) {
      const permanent = SIGN_IN_FIXED_BY_ADMIN.test(detail);
      return new OutsideError(permanent ? 'permanent' : 'retryable', `could not sign in to Microsoft Graph to ${op.what}: ${firstLine(detail)}`);
    }
    return new OutsideError('retryable', `Microsoft Graph could not be reached to ${op.what}: ${firstLine(detail) || 'network error'}`);
  }
  const said = `HTTP ${status}${e.code ? ` ${e.code}` : ''}`;
  if (RETRYABLE.has(status)) {
    const wait = retryAfterSeconds(e.headers);
    const why = status === 429 ? 'Microsoft Graph is throttling' : 'Microsoft Graph is unavailable';
    return new OutsideError('retryable', `${why}: ${said}`, wait > 0 ? wait : undefined, status);
  }
  if (status === 401) return new OutsideError('retryable', `Microsoft Graph rejected the app's token (${said}): ${e.message ?? ''}`.trim(), undefined, status);
  if (status === 403) {
    return new OutsideError('permanent', `Microsoft Graph refused to ${op.what} (${said}): the app needs ${op.needs}.`, undefined, status);
  }
  if (status === 409) return new OutsideError('conflict', `Microsoft Graph reported a conflict while trying to ${op.what} (${said}): ${e.message ?? ''}`.trim(), undefined, status);
  return new OutsideError('permanent', `Microsoft Graph could not ${op.what} (${said}): ${e.message ?? ''}`.trim(), undefined, status);
}

/** Calls Graph and maps its failure; `op` names the permission a 403 would be about. */
export async function call<T>(op: Operation, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyGraphError(err, op);
  }
}

export function statusOf(err: unknown): number | undefined {
  return err instanceof GraphError ? err.statusCode : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}
