import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';

export interface StoreChecks {
  /** What the store must hold once the process has stopped; named after the test that adds it. */
  add(check: (store: Store) => Promise<void>): void;
  /** An incident the run's tests declared (and were told so): the store must hold each once and nothing else. */
  declared(title: string): void;
  /** Opens the store of the stopped process and runs every check; one error naming each test whose check failed. */
  run(databaseUrl: string): Promise<void>;
}

/**
 * A server process on PGlite holds its data directory alone, so what a test needs to see in the store is read after
 * the process stops (in `afterAll`). Each test adds checks about its own incidents, so the checks hold whatever
 * tests ran and in whatever order (`jest --randomize`). A failure here fails the file, naming the test.
 */
export function storeChecks(): StoreChecks {
  const checks: { test: string; check: (store: Store) => Promise<void> }[] = [];
  const titles: string[] = [];
  return {
    add(check) {
      checks.push({ test: expect.getState().currentTestName ?? '(outside a test)', check });
    },
    declared(title) {
      titles.push(title);
    },
    async run(databaseUrl) {
      const store = await openStore(databaseUrl);
      const failures: string[] = [];
      const attempt = async (test: string, check: (store: Store) => Promise<void>) => {
        try {
          await check(store);
        } catch (error) {
          failures.push(`${test}:\n${error instanceof Error ? error.message : String(error)}`);
        }
      };
      try {
        for (const { test, check } of checks) await attempt(test, check);
        await attempt('every declaration', async () => {
          expect((await store.list()).map((i) => i.title).sort()).toEqual([...titles].sort());
        });
        // No effect was given up. (One still waiting is no failure: it may have come due just before the stop, or
        // had its attempt cut short by it.)
        await attempt('every effect', async () => {
          const givenUp = (await store.effects()).filter((e) => e.outcome === 'failed');
          expect(givenUp.map((e) => `${e.key}: ${e.lastError}`)).toEqual([]);
        });
      } finally {
        await store.close();
      }
      if (failures.length) throw new Error(`the store after the run:\n\n${failures.join('\n\n')}`);
    },
  };
}
