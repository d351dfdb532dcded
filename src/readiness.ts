import type { Store } from './store/store';
import type { HttpAnswer } from './teams/endpoint';

/**
 * `/readyz`: whether this replica should be sent work. `/healthz` stays liveness (the process answers at all), so a
 * replica whose database is away is taken out of rotation, not restarted. The bodies say nothing about what runs
 * behind them (the endpoint is as public as /healthz: docs/security.md).
 */
export function createReadiness(store: Pick<Store, 'list'>) {
  let state: 'starting' | 'up' | 'stopping' = 'starting';
  return {
    up: () => void (state = 'up'),
    down: () => void (state = 'stopping'),
    async answer(): Promise<HttpAnswer> {
      if (state !== 'up') return { status: 503, body: { ready: false, reason: state } };
      try {
        await store.list({ limit: 1 });
        return { status: 200, body: { ready: true } };
      } catch {
        return { status: 503, body: { ready: false, reason: 'the store does not answer' } };
      }
    },
  };
}
