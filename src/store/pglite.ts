import { PGlite } from '@electric-sql/pglite';
import type { Sql } from './sql';

/** Embedded PostgreSQL (WASM). `dataDir` undefined means in memory. */
export async function openPglite(dataDir?: string): Promise<Sql> {
  const db = await PGlite.create(dataDir);
  // PGlite runs one statement at a time on one connection; a transaction holds it until it ends.
  return {
    async query<T>(text: string, params?: unknown[]) {
      const result = await db.query<T>(text, params);
      return result.rows;
    },
    transaction(fn) {
      return db.transaction((tx) =>
        fn({
          async query<T>(text: string, params?: unknown[]) {
            return (await tx.query<T>(text, params)).rows;
          },
        }),
      );
    },
    close: () => db.close(),
  };
}
