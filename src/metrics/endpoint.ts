import { timingSafeEqual, createHash } from 'node:crypto';
import type { MetricsConfig } from '../config/metrics';
import type { Metrics } from './registry';

export interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/**
 * GET /metrics. Production: 404 until METRICS_TOKEN is set, then 401 without `Authorization: Bearer <token>`
 * (compared in constant time); local mode: open (loopback, host-checked like every local endpoint).
 */
export function metricsEndpoint(config: MetricsConfig, metrics: Metrics): (authorization: string | undefined) => Promise<MetricsAnswer> {
  const expected = createHash('sha256').update(`Bearer ${config.token}`).digest();
  return async (authorization) => {
    if (config.mode === 'off') return { status: 404, headers: TEXT, body: 'metrics are off: set METRICS_TOKEN (docs/operations.md)\n' };
    if (config.mode === 'token') {
      const given = createHash('sha256').update(authorization ?? '').digest();
      if (!timingSafeEqual(given, expected)) return { status: 401, headers: { ...TEXT, 'www-authenticate': 'Bearer' }, body: 'a bearer token is required\n' };
    }
    return { status: 200, headers: { ...TEXT, 'content-type': metrics.registry.contentType }, body: await metrics.registry.metrics() };
  };
}
