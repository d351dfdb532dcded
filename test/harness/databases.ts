import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** The backends every store suite runs on. PostgreSQL is absent when no cluster could be started. */
export function backends(): { name: 'pglite' | 'postgres'; available: boolean }[] {
  return [
    { name: 'pglite', available: true },
    { name: 'postgres', available: Boolean(process.env.TEST_DATABASE_URL) },
  ];
}

/** A fresh, empty database on the test cluster, so each suite starts from nothing. */
export async function freshPostgresUrl(): Promise<string> {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export function skipNote(name: string): void {
  if (name === 'postgres' && !process.env.TEST_DATABASE_URL) {
    process.stdout.write('[firebreak] no PostgreSQL for this run: PostgreSQL store tests SKIPPED\n');
  }
}
