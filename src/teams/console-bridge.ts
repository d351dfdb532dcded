import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { Logger } from '../log';

/**
 * botbuilder writes to the console on its own in a few places that Firebreak's Teams endpoint reaches:
 * botframework-connector's JwtTokenExtractor (`console.error(err)` for an expired token, and "Error finding key for
 * token. Available keys: <PEM>" for any other bad token), CloudAdapter.process (`console.warn`/`console.error`,
 * not used: the endpoint calls processActivity) and the inspection/transcript middleware (not installed). Within
 * `capture`, whatever it writes is collected as short single lines for the endpoint to log through the JSON logger
 * (folded into the one line of an auth refusal); outside a request it goes straight to the logger.
 */
interface Scope {
  said: string[];
  open: boolean;
  log: Logger;
}

const scope = new AsyncLocalStorage<Scope>();
const LEVELS = { error: 'error', warn: 'warn', log: 'info', info: 'info', debug: 'debug' } as const;
/** Where console output goes outside a request (a proactive post by the outbox, a timer). */
let fallback: Logger | undefined;

/**
 * Sends the process's console output through the JSON logger from now on: within `capture`, collected for the
 * request's log line; anywhere else, one line of its own. Firebreak's own code logs through the logger; only its
 * libraries (botbuilder above all) write to the console. Called once by the Teams endpoint; a later call changes
 * the logger.
 */
export function bridgeConsole(log: Logger): void {
  const first = !fallback;
  fallback = log;
  if (!first) return;
  for (const method of Object.keys(LEVELS) as (keyof typeof LEVELS)[]) {
    console[method] = (...args: unknown[]) => {
      const s = scope.getStore();
      const text = oneLine(args);
      if (!s) return fallback![LEVELS[method]]('a library wrote to the console', { text });
      // A promise started inside a request can write after it was answered: log it rather than lose it.
      if (s.open) s.said.push(text);
      else s.log[LEVELS[method]]('botbuilder wrote to the console', { text });
    };
  }
}

/** Runs `fn` with botbuilder's console output collected into `said` instead of printed. */
export async function capture<T>(log: Logger, fn: () => Promise<T>): Promise<{ said: string[] } & ({ ok: true; value: T } | { ok: false; error: unknown })> {
  bridgeConsole(log);
  const s: Scope = { said: [], open: true, log };
  try {
    const value = await scope.run(s, fn);
    return { said: s.said, ok: true, value };
  } catch (error) {
    return { said: s.said, ok: false, error };
  } finally {
    s.open = false;
  }
}

/** An Error as `Name: message` (no stack), public keys elided, one line, at most 300 characters. */
function oneLine(args: unknown[]): string {
  const parts = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : a));
  return format(...parts)
    .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '[key]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
