import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { freshPostgresUrl } from './databases';

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
