/**
 * What `npm run bench` reports: each measure of issue 15's table (and the issues' other targets) with its figure, its
 * goal and whether it passed. A measure that cannot run here says "skipped" with why; a bench that failed says so with
 * `pass: false` and the error: never a pass it did not earn.
 */
export interface Measure {
  /** Stable id, e.g. "chat-command-ack-p99" or "rss-1000-incidents". */
  id: string;
  /** What was measured, in words, e.g. '"@Firebreak declare" ack p99, outside calls +300 ms'. */
  measure: string;
  /** The store the product ran on. */
  store?: 'postgres' | 'embedded';
  /** The figure (a number in `unit`, or a short text such as "10/100/1000 -> 30/31/29 ms"); null when not measured. */
  figure: number | string | null;
  unit?: string;
  /** The goal in words, e.g. "<= 250 ms". */
  goal: string;
  pass: boolean | 'skipped';
  /** Why it was skipped or failed; anything worth knowing about the figure. */
  why?: string;
  /** Extra figures (percentiles, counts) for the README table. */
  details?: Record<string, unknown>;
}

/** A measure that could not run here. */
export function skipped(id: string, measure: string, goal: string, why: string, store?: Measure['store']): Measure {
  return { id, measure, ...(store && { store }), figure: null, goal, pass: 'skipped', why };
}

/** A measure whose bench threw: a failure with the reason, never a pass. */
export function failed(id: string, measure: string, goal: string, err: unknown, store?: Measure['store']): Measure {
  return { id, measure, ...(store && { store }), figure: null, goal, pass: false, why: `the bench failed: ${(err as Error)?.message ?? String(err)}`.slice(0, 500) };
}

/** `figure <= goal` (or >=), as a measure. */
export function atMost(id: string, measure: string, figure: number, limit: number, unit: string, extra: Partial<Measure> = {}): Measure {
  return { id, measure, figure, unit, goal: `<= ${limit} ${unit}`.trim(), pass: figure <= limit, ...extra };
}

export function atLeast(id: string, measure: string, figure: number, limit: number, unit: string, extra: Partial<Measure> = {}): Measure {
  return { id, measure, figure, unit, goal: `>= ${limit} ${unit}`.trim(), pass: figure >= limit, ...extra };
}

/** What a measure is before it has a figure: enough to say it failed or was skipped when its bench could not run. */
export interface MeasureDef {
  id: string;
  measure: string;
  goal: string;
}

/** A measured figure against its definition; `pass` is the caller's comparison with the goal. */
export function measured(def: MeasureDef, figure: number | string, unit: string | undefined, pass: boolean, extra: Partial<Measure> = {}): Measure {
  return { ...def, figure, ...(unit && { unit }), pass, ...extra };
}

/**
 * What a bench throws when it failed after measuring some of its figures (the timeline's steady rate, say, before
 * its burst failed): the runner keeps `measures` and fails the rest with `cause`.
 */
export class PartialFailure extends Error {
  constructor(
    readonly measures: Measure[],
    cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause), { cause });
  }
}

/** Runs a bench's body; a throw after some measures were pushed to `measures` keeps them (a PartialFailure). */
export async function keepingMeasured(measures: Measure[], body: () => Promise<Measure[]>): Promise<Measure[]> {
  try {
    return await body();
  } catch (err) {
    throw measures.length ? new PartialFailure([...measures], err) : err;
  }
}
