import { PGlite } from '@electric-sql/pglite';
import type { Sql } from './sql';

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined means in memory.
 *
 * PGlite runs one statement at a time on one connection, and a transaction holds it until it ends. Operations wait
 * their turn here rather than in PGlite, so an urgent one (an effect noting what it has just done outside, a webhook
 * whose sender waits for the answer) goes before those queued earlier: a crash while it waits would make the effect
 * do it again.
 *
 * PostgreSQL's shared buffers live in the process's memory here (in the WASM heap), and PostgreSQL touches all of them
 * at start: at PostgreSQL's default (128 MB) they alone were some 130 MB of Firebreak's RSS before any work. The store
 * is small (incidents, their events and the outbox) and its files stay in the OS's page cache, so a small pool of
 * buffers costs little speed.
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

export async function openPglite(dataDir?: string): Promise<Sql> {
  // A start parameter rather than `postgresqlconf`, which would replace the postgresql.conf initdb wrote.
  const db = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
  const turn = turns();
  return {
    query<T>(text: string, params?: unknown[], opts?: { urgent?: boolean }) {
      return turn(Boolean(opts?.urgent), async () => (await db.query<T>(text, params)).rows);
    },
    transaction(fn, opts) {
      return turn(Boolean(opts?.urgent), () =>
        db.transaction((tx) =>
          fn({
            async query<T>(text: string, params?: unknown[]) {
              return (await tx.query<T>(text, params)).rows;
            },
          }),
        ),
      );
    },
    close: () => turn(true, () => db.close()),
  };
}

/** One operation at a time; urgent ones before the others, each kind in the order asked. */
function turns(): <T>(urgent: boolean, work: () => Promise<T>) => Promise<T> {
  const urgentQueue: (() => void)[] = [];
  const queue: (() => void)[] = [];
  let busy = false;
  const next = () => {
    const start = urgentQueue.shift() ?? queue.shift();
    busy = Boolean(start);
    start?.();
  };
  return (urgent, work) =>
    new Promise((resolve, reject) => {
      (urgent ? urgentQueue : queue).push(() => work().then(resolve, reject).finally(next));
      if (!busy) next();
    });
}
