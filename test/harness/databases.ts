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
  return createDatabase(process.env.TEST_DATABASE_URL!, `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`);
}

/** Makes database `name` on the server `adminUrl` names, and answers its URL (the tests' and the bench's). */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops database `name` on the server `adminUrl` names, whoever is still connected to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end());
}

export function skipNote(name: string): void {
  if (name === 'postgres' && !process.env.TEST_DATABASE_URL) {
    process.stdout.write('[firebreak] no PostgreSQL for this run: PostgreSQL store tests SKIPPED\n');
  }
}
