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

test('incidents stored before the lookup index are found by it once migrated (issue 15 item 7)', async () => {
  const sql = await openPglite();
  await migratedTo(sql, MIGRATIONS.length - 1);
  const thread = '19:old@thread.tacv2;messageid=1';
  const state = { id: 'old-1', number: 1, status: 'active', origin: { id: thread, serviceUrl: 'https://smba.example/' }, cards: [{ conversationId: thread, postedIn: thread, activityId: 'a1' }], places: [{ id: '19:own@thread.tacv2', serviceUrl: 'https://smba.example/' }], announcedIn: [], recorded: { 'said-1': { deleted: false } } };
  await sql.query(`INSERT INTO incidents (id, number, version, status, state, declared_at, updated_at) VALUES ('old-1', 1, 1, 'active', $1::jsonb, now(), now())`, [JSON.stringify(state)]);
  await sql.query(`INSERT INTO conversation_incidents (conversation_id, incident_id) VALUES ('19:old@thread.tacv2', 'old-1'), ('19:own@thread.tacv2', 'old-1')`);
  const store = await createSqlStore(sql, 'pglite');
  expect((await store.owningIn(thread, 10)).map((i) => i.id)).toEqual(['old-1']);
  expect((await store.owningIn('19:own@thread.tacv2;messageid=9', 10)).map((i) => i.id)).toEqual(['old-1']);
  expect(await store.owningIn('19:old@thread.tacv2;messageid=2', 10)).toEqual([]);
  expect((await store.recordedIn(thread, 'said-1'))?.id).toBe('old-1');
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
