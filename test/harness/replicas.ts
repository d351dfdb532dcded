import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { backends, freshPostgresUrl } from './databases';

/**
 * Two replicas' stores on one database: PostgreSQL gets two connection pools on a fresh database; the embedded store
 * is one database, so both replicas share the one store, as two processes would share PostgreSQL.
 */
export async function twoReplicas(backend: 'pglite' | 'postgres'): Promise<{ stores: [Store, Store]; close(): Promise<void> }> {
  if (backend === 'pglite') {
    const one = await openStore('pglite:memory');
    return { stores: [one, one], close: () => one.close() };
  }
  const url = await freshPostgresUrl();
  const stores: [Store, Store] = [await openStore(url), await openStore(url)];
  return { stores, close: async () => void (await Promise.all(stores.map((s) => s.close()))) };
}

/**
 * `describe.each(backends())` for two replicas: the suite runs once per store backend; on a backend this machine
 * lacks, it says so and runs nothing. `stores()` gives the two replicas' stores inside the tests.
 */
export function onTwoReplicas(title: string, suite: (stores: () => [Store, Store], backend: 'pglite' | 'postgres') => void): void {
  describe.each(backends())(`${title} on $name`, ({ name, available }) => {
    if (!available) {
      test.todo(`PostgreSQL is not available on this machine: the ${name} half is skipped`);
      return;
    }
    let replicas: Awaited<ReturnType<typeof twoReplicas>> | undefined;
    beforeAll(async () => {
      replicas = await twoReplicas(name);
    }, 60_000);
    afterAll(() => replicas?.close());
    suite(() => replicas!.stores, name);
  });
}
