import type { Mode, Str } from './parse';

/**
 * `/metrics` (Prometheus text format). Production: off (404) until METRICS_TOKEN is set, then only for
 * `Authorization: Bearer <METRICS_TOKEN>`; what it shows (incident counts, outside systems' failures) is operational
 * detail, not for anyone who can reach the port. Local mode: open, like every local endpoint (loopback, host-checked).
 */
export interface MetricsConfig {
  /** 'off': production without a token. */
  mode: 'off' | 'token' | 'open';
  token: string;
}

/** Long enough that guessing is hopeless; Key Vault-generated secrets and `openssl rand -hex 32` are. */
const MIN_TOKEN = 32;

export function metricsConfig(mode: Mode, problems: string[], str: Str): MetricsConfig {
  const token = str('METRICS_TOKEN');
  if (token && token.length < MIN_TOKEN) problems.push(`METRICS_TOKEN must be at least ${MIN_TOKEN} characters (got ${token.length})`);
  if (token) return { mode: 'token', token };
  return { mode: mode === 'local' ? 'open' : 'off', token: '' };
}
