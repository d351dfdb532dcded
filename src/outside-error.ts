/**
 * How an outside call failed, decided by the adapter that made it (STYLE.md 5):
 * - retryable: try again later (timeouts, 429, 5xx, dropped connections);
 * - permanent: trying again cannot help (403 missing permission, 400 bad request);
 * - conflict: the target changed under us; re-read and try again at once;
 * - not-found: the thing we meant to change is gone.
 */
export type FailureKind = 'retryable' | 'permanent' | 'conflict' | 'not-found';

export class OutsideError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Seconds the outside system asked us to wait (Retry-After). */
    readonly retryAfterSeconds?: number,
    /** The HTTP status the outside system answered with; none when no answer came (a timeout, a dropped connection). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OutsideError';
  }
}

/** Errors nobody classified are treated as retryable: losing work is worse than retrying it. */
export function failureKind(err: unknown): FailureKind {
  return err instanceof OutsideError ? err.kind : 'retryable';
}

/**
 * The outside system answered that it did not do it: a 4xx (429 included) is a refusal before anything happened. A 5xx
 * or no answer at all leaves it unknown whether the request took effect.
 */
export function refusedOutright(err: unknown): boolean {
  return err instanceof OutsideError && err.status !== undefined && err.status >= 400 && err.status < 500;
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
