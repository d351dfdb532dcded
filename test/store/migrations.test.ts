import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MIGRATIONS, SchemaTooNew } from '../../src/store/migrations';
import { openPglite } from '../../src/store/pglite';
import type { Sql } from '../../src/store/sql';
import { createSqlStore } from '../../src/store/store';
import { startFirebreak } from '../harness/firebreak';

/** Issue 19 item 11: forward-only, versioned migrations; an older build refuses a database a newer one migrated. */

const versions = async (sql: Sql) => (await sql.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version));
const all = MIGRATIONS.map((_, i) => i + 1);

async function migratedTo(sql: Sql, count: number): Promise<void> {
  await sql.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
  for (const [i, script] of MIGRATIONS.slice(0, count).entries()) {
    for (const statement of script.split(';').map((s) => s.trim()).filter(Boolean)) await sql.query(statement);
    await sql.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [i + 1]);
  }
}

test('a newer build on an older database applies the migrations it lacks, in order, keeping the data', async () => {
  const sql = await openPglite();
  await migratedTo(sql, 1);
  await sql.query(`INSERT INTO inbound (key, seen_at) VALUES ('kept', now())`);
  const store = await createSqlStore(sql, 'pglite');
  expect(await versions(sql)).toEqual(all);
  expect(await store.seenInbound('kept')).toBe(true);
  await store.close();
}, 60_000);

test('an older build on a newer database refuses, naming both versions, and changes nothing', async () => {
  const sql = await openPglite();
  await migratedTo(sql, MIGRATIONS.length);
  await sql.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [MIGRATIONS.length + 1]);
  const refused = await createSqlStore(sql, 'pglite').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(refused).toBeInstanceOf(SchemaTooNew);
  expect((refused as Error).message).toContain(`schema is at version ${MIGRATIONS.length + 1}`);
  expect((refused as Error).message).toContain(`knows versions up to ${MIGRATIONS.length}`);
  expect(await versions(sql)).toEqual([...all, MIGRATIONS.length + 1]);
  await sql.close();
}, 60_000);

test('the server process on a newer database exits at start with that message', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'firebreak-newer-db-'));
  try {
    const sql = await openPglite(dir);
    await migratedTo(sql, MIGRATIONS.length);
    await sql.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [MIGRATIONS.length + 1]);
    await sql.close();
    const started = await startFirebreak({ DATABASE_URL: `pglite:${dir}` }).then(
      async (running) => (await running.stop(), 'started'),
      (e: Error) => e.message,
    );
    expect(started).toMatch(/^firebreak exited with 1/);
    expect(started).toContain(`the database's schema is at version ${MIGRATIONS.length + 1}, but this build of Firebreak knows versions up to ${MIGRATIONS.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
