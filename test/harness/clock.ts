/**
 * The part of this process's environment that decides what time and timezone a child process sees. Child
 * processes get a minimal environment (PATH and what the test sets), so without these a run under `faketime`
 * would fake the clock of Jest only while the server under test reads the real one: the suite would test
 * nothing about the hour it claims to run at. libfaketime is an LD_PRELOAD library configured by FAKETIME*.
 */
export function clockEnv(): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'TZ' || name === 'LD_PRELOAD' || name.startsWith('FAKETIME') || name === 'DONT_FAKE_MONOTONIC')) passed[name] = value;
  }
  return passed;
}

/**
 * A clock that starts at `iso` and runs at the real pace, for code that takes `now`: what depends on the hour or
 * the day is fixed by the test (say, 23:40 UTC, when the next update falls on the next day), while backoffs and
 * deadlines measured against it still elapse.
 */
export function clockFrom(iso: string): () => Date {
  const start = Date.parse(iso);
  if (Number.isNaN(start)) throw new Error(`clockFrom: not a time: ${iso}`);
  const began = performance.now();
  return () => new Date(start + (performance.now() - began));
}
