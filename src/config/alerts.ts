import { randomBytes } from 'node:crypto';
import type { Mode, Str } from './parse';

/**
 * The monitoring webhooks (src/alerts/): one bearer token, ALERT_WEBHOOK_TOKEN, for every source. Production: the
 * endpoints are off (404) until it is set. Local mode: one is generated at start when unset and printed, so a local
 * Alertmanager can be pointed at it.
 */
export interface AlertsConfig {
  /** Undefined: the endpoints answer 404 (production without a token). */
  token?: string;
  /** True when local mode made the token up at start (it is printed once). */
  generated: boolean;
}

export function alertsConfig(mode: Mode, problems: string[], str: Str): AlertsConfig {
  const token = str('ALERT_WEBHOOK_TOKEN');
  if (token && (token.length < 16 || /\s/.test(token))) problems.push('ALERT_WEBHOOK_TOKEN must be at least 16 characters, without spaces');
  if (token) return { token, generated: false };
  if (mode === 'local') return { token: randomBytes(24).toString('base64url'), generated: true };
  return { generated: false };
}
