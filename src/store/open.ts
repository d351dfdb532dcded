import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import { createSqlStore, type Store } from './store';

/**
 * Opens the store named by a database URL:
 * `postgres://...` (or `postgresql://`) for PostgreSQL, `pglite:<dir>` for the embedded store, `pglite:memory` for tests.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return createSqlStore(await openPostgres(databaseUrl), 'postgres');
  if (databaseUrl.startsWith('pglite:')) {
    const dir = databaseUrl.slice('pglite:'.length);
    return createSqlStore(await openPglite(dir === 'memory' ? undefined : dir), 'pglite');
  }
  throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or pglite: (got "${databaseUrl.split(':')[0]}:...")`);
}
