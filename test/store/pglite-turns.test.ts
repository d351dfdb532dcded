import { openPglite } from '../../src/store/pglite';
import { createIncidents } from '../../src/app/incidents';
import { createSqlStore } from '../../src/store/store';
import { declareCommand } from '../domain/fixtures';

/** PGlite has one connection: an urgent write (what an effect just did outside) goes before work queued earlier. */
test('an urgent query runs before the queries waiting ahead of it, and after the one under way', async () => {
  const sql = await openPglite();
  await sql.query('CREATE TABLE t (n integer)');
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const underWay = new Promise<void>((r) => (started = r));
  const order: string[] = [];
  const busy = sql.transaction(async (tx) => {
    await tx.query('INSERT INTO t VALUES (1)');
    started();
    await gate; // a transaction under way holds the connection
    order.push('transaction');
  });
  await underWay;
  const queued = sql.query('SELECT count(*) FROM t').then(() => order.push('queued'));
  const urgent = sql.query('INSERT INTO t VALUES (2)', [], { urgent: true }).then(() => order.push('urgent'));
  release();
  await Promise.all([busy, queued, urgent]);
  expect(order).toEqual(['transaction', 'urgent', 'queued']);
  await sql.close();
}, 60_000);

/** The same through the store, as the runner uses it: what an effect notes it has done goes before queued reads. */
test("through the store, an effect's progress is written before reads queued ahead of it", async () => {
  const sql = await openPglite();
  const store = await createSqlStore(sql, 'pglite');
  const { number, ...declare } = declareCommand({ incidentId: 'turns-1' });
  void number;
  expect((await createIncidents(store).declare(declare)).kind).toBe('changed');
  const [claim] = await store.claimEffects('2100-01-01T00:00:00.000Z', 1, 60_000);

  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const underWay = new Promise<void>((r) => (started = r));
  const order: string[] = [];
  const busy = sql.transaction(async () => {
    started();
    await gate; // another replica's or worker's transaction holds the one connection
  });
  await underWay;
  const read = store.list().then(() => order.push('read'));
  const progress = store.noteEffectProgress(claim, { posted: { activityId: 'a1' } }).then(() => order.push('progress'));
  release();
  await Promise.all([busy, read, progress]);
  expect(order).toEqual(['progress', 'read']);
  await store.close();
}, 60_000);

/** A webhook whose sender waits for the answer (the alert webhooks) writes in an urgent transaction. */
test('an urgent transaction goes before the operations queued ahead of it', async () => {
  const sql = await openPglite();
  const order: string[] = [];
  const underWay = sql.query('SELECT 3').then(() => order.push('under way'));
  const queued = sql.query('SELECT 5').then(() => order.push('queued'));
  const urgent = sql.transaction(async (tx) => tx.query('SELECT 4'), { urgent: true }).then(() => order.push('urgent'));
  await Promise.all([underWay, queued, urgent]);
  expect(order).toEqual(['under way', 'urgent', 'queued']);
  await sql.close();
}, 60_000);
