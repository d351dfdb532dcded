import { createSqlStore, type Store } from './store';

/**
 * Opens the store named by a database URL:
 * `postgres://...` (or `postgresql://`) for PostgreSQL, `pglite:<dir>` for the embedded store, `pglite:memory` for tests.
 * Each backend's driver is loaded only when it is the one named: PGlite's module (with its WASM loader) is memory a
 * process on PostgreSQL never needs, and `pg` the other way round.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { openPostgres } = await import('./postgres');
    return createSqlStore(await openPostgres(databaseUrl), 'postgres');
  }
  if (databaseUrl.startsWith('pglite:')) {
    const { openPglite } = await import('./pglite');
    const dir = databaseUrl.slice('pglite:'.length);
    return createSqlStore(await openPglite(dir === 'memory' ? undefined : dir), 'pglite');
  }
  throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or pglite: (got "${databaseUrl.split(':')[0]}:...")`);
}
