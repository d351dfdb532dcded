/**
 * The fault switch the HTTP emulators share (Graph, the Bot Framework channel): one fault at a time, for the calls
 * whose `"<METHOD> <path>"` it matches.
 * - `status` answers with that status, in the emulator's own error format; `retryAfter` adds a Retry-After
 *   header in seconds, as the real services do when they throttle;
 * - `latencyMs` delays the answer (and the fault's own answer); `hold` delays it until a promise settles;
 * - `drop: 'before'` closes the connection without handling the call; `drop: 'after'` handles it (the channel is
 *   made, the message posted) and then closes the connection: the caller never learns it worked.
 */
export interface Fault {
  /** Tested against `<METHOD> <path>`; the emulator's own API calls when unset. */
  match?: RegExp;
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  /** Holds the answer until this settles: a test decides when the slow call comes, whatever the machine's load. */
  hold?: Promise<unknown>;
  drop?: 'before' | 'after';
  /** How many matching calls it applies to; undefined means until cleared. */
  times?: number;
}

export interface FaultSwitch<R> {
  /** Runs `handle` for one call with the current fault applied. */
  apply(route: string, handle: () => Promise<R>): Promise<R>;
  set(fault: Fault | undefined): void;
}

export function createFaultSwitch<R>(opts: { scope: RegExp; error: (status: number, retryAfter?: number) => R; dropped: () => R }): FaultSwitch<R> {
  let current: Fault | undefined;
  return {
    async apply(route, handle) {
      const fault = current;
      if (!fault || !(fault.match ?? opts.scope).test(route)) return handle();
      if (fault.times !== undefined && --fault.times <= 0) current = undefined;
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.hold) await fault.hold;
      if (fault.drop === 'before') return opts.dropped();
      if (fault.drop === 'after') {
        await handle();
        return opts.dropped();
      }
      if (fault.status) return opts.error(fault.status, fault.retryAfter);
      return handle();
    },
    set(fault) {
      current = fault ? { ...fault } : undefined;
    },
  };
}
