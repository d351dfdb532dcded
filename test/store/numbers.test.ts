import { createIncidents, type Incidents } from '../../src/app/incidents';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { backends, freshPostgresUrl } from '../harness/databases';
import { AT, declareCommand } from '../domain/fixtures';

/** Incident numbers are taken in the declaring transaction: nothing that fails, repeats or races spends one. */
describe.each(backends())('incident numbers on $name', ({ name, available }) => {
  if (!available) {
    test.todo(`PostgreSQL is not available on this machine: the ${name} half is skipped`);
    return;
  }
  let store: Store;
  let incidents: Incidents;
  let n = 0;
  beforeAll(async () => {
    store = await openStore(name === 'pglite' ? 'pglite:memory' : await freshPostgresUrl());
    incidents = createIncidents(store);
  }, 60_000);
  afterAll(async () => store?.close());

  async function declare(opts: { id?: string; inboundKey?: string } = {}) {
    const { number, ...command } = declareCommand({ incidentId: opts.id ?? `${name}-n${++n}`, at: AT });
    void number;
    return incidents.declare(command, { inboundKey: opts.inboundKey });
  }
  const numberOf = async (outcome: Awaited<ReturnType<typeof declare>>) => (outcome.kind === 'changed' ? outcome.incident.number : undefined);

  test('a declaration whose commit fails spends no number', async () => {
    const first = await declare({ id: `${name}-taken` });
    await expect(declare({ id: `${name}-taken` })).rejects.toThrow('already exists');
    const next = await declare();
    expect(await numberOf(next)).toBe((await numberOf(first))! + 1);
  });

  test('a re-delivered declaration spends no number and declares nothing', async () => {
    const first = await declare({ inboundKey: `${name}-form-1` });
    expect(await declare({ inboundKey: `${name}-form-1` })).toEqual({ kind: 'duplicate' });
    const next = await declare({ inboundKey: `${name}-form-2` });
    expect(await numberOf(next)).toBe((await numberOf(first))! + 1);
  });

  test('declarations at the same moment get consecutive numbers, each once', async () => {
    const before = (await store.list({ limit: 1 }))[0]?.number ?? 0;
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => declare()));
    const numbers = await Promise.all(outcomes.map(numberOf));
    expect(numbers.sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6].map((i) => before + i));
    const stored = await Promise.all(numbers.map((x) => store.byNumber(x!)));
    expect(stored.every(Boolean)).toBe(true);
  });
});

test('an install upgraded from the sequence carries on after its highest number, skipping none of its own', async () => {
  const { openPglite } = await import('../../src/store/pglite');
  const { MIGRATIONS } = await import('../../src/store/migrations');
  const { createSqlStore } = await import('../../src/store/store');
  const sql = await openPglite();
  // The schema as released before numbers moved into the transaction, with INC-7 declared and the sequence run ahead.
  await sql.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
  for (const [i, script] of MIGRATIONS.slice(0, 2).entries()) {
    for (const statement of script.split(';').map((s) => s.trim()).filter(Boolean)) await sql.query(statement);
    await sql.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [i + 1]);
  }
  const old = declareCommand({ incidentId: 'old-7', number: 7 });
  await sql.query(`INSERT INTO incidents (id, number, version, status, state, declared_at, updated_at) VALUES ('old-7', 7, 1, 'active', $1::jsonb, $2, $2)`, [JSON.stringify({ id: 'old-7', number: 7 }), old.at]);
  await sql.query("SELECT setval('incident_number_seq', 40)");
  const store = await createSqlStore(sql, 'pglite');
  const { number, ...command } = declareCommand({ incidentId: 'new-1', at: AT });
  void number;
  const outcome = await createIncidents(store).declare(command);
  expect(outcome.kind === 'changed' && outcome.incident.number).toBe(8);
  await store.close();
}, 60_000);
