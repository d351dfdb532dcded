import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Structured one-line JSON logs. Values under secret-looking keys are never written. Lines written while handling an
 * activity or running an effect carry its ids (`activity`, `effect`, `incident`) from the log context, so one
 * incident's story can be read across requests, effects and replicas.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|authorization|private.?key|credential|cookie/i;
const BEARER = /Bearer\s+[A-Za-z0-9\-._~+/]+=*/g;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(BEARER, 'Bearer [redacted]');
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

const context = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `fn` with these fields on every log line written inside it (nested contexts add to the outer one). */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return context.run({ ...context.getStore(), ...defined }, fn);
}

/**
 * Adds fields to the context already running (a turn, an effect) from where they become known: the incident's number
 * once the incident is read (issue 19 item 9: people search logs for "INC-42", not for its id). No context: nothing.
 */
export function noteLogContext(fields: Record<string, unknown>): void {
  const store = context.getStore();
  if (store) Object.assign(store, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== '')));
}

export function createLogger(
  level: Level = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger {
  const emit = (l: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[l] < ORDER[level]) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: l, msg, ...(redact({ ...context.getStore(), ...fields }) as object) }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export function isLevel(s: string): s is Level {
  return s in ORDER;
}
