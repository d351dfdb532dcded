import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPglite, PGLITE_SHARED_BUFFERS } from '../../src/store/pglite';

/**
 * The embedded store's shared buffers are in Firebreak's own memory, all touched at start: they are kept small
 * (issue 15 item 6), on a fresh data directory and on one opened again, without replacing what initdb configured.
 */
test('PGlite runs with the small shared buffers, on a new data directory and when it is opened again', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'firebreak-pglite-memory-'));
  try {
    for (const round of ['new', 'reopened']) {
      const sql = await openPglite(path.join(dir, 'data'));
      const [{ shared_buffers }] = await sql.query<{ shared_buffers: string }>('SHOW shared_buffers');
      expect({ round, shared_buffers }).toEqual({ round, shared_buffers: PGLITE_SHARED_BUFFERS });
      await sql.close();
    }
    // initdb's postgresql.conf is still the one in force for everything else.
    expect(readFileSync(path.join(dir, 'data', 'postgresql.conf'), 'utf8')).toMatch(/max_connections/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
