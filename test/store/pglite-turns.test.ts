import { openPglite } from '../../src/store/pglite';

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
