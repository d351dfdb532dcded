/** Shared by the config sections: how values are read and checked. */
export type Mode = 'local' | 'production';
export type Str = (name: string, fallback?: string) => string;
export type Url = (name: string, fallback: string) => string;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const EMAIL = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/;

/** A whole number within bounds, or the fallback when unset; a malformed value is named in `problems`. */
export function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const text = (env[name] ?? '').trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number ${min}-${max} (got "${text}")`);
    return fallback;
  }
  return n;
}
