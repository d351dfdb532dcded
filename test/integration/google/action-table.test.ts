import { createActionTable, findActions, type ActionTable } from '../../../src/google/action-table';
import { createPostmortemDocs } from '../../../src/google/postmortem-docs';
import { planTableRows } from '../../../src/google/timeline';
import { postmortemBlocks } from '../../../src/postmortem/content';
import { POSTMORTEM_TEMPLATE } from '../../../src/postmortem/template-text';
import { ALICE, FAST, googleWorld, incident, SHARE, type GoogleWorld } from './setup';

/** The postmortem doc's action table adapter against the sandbox over HTTP: tags, appends, rewrites, in UTF-16 indices. */
let world: GoogleWorld;
let actions: ActionTable;
beforeAll(async () => {
  world = await googleWorld();
  actions = createActionTable(world.clients, FAST);
});
afterAll(() => world?.close());

const writes = () => world.sandbox.calls.filter((c) => c.method === 'docs.documents.batchUpdate' && c.status === 200).length;
const get = async (id: string) => (await world.clients.docs.documents.get({ documentId: id })).data;
const cells = async (id: string) => findActions(await get(id))!.rows.slice(1).map((r) => r.cells);

test('rows are tagged once (a #n row as its item, a typed row with a key of its own); sync rewrites only cells nobody changed, appends only rows never there', async () => {
  const item = { n: 1, text: 'Add retries 🚀', owner: ALICE, due: '2099-01-10', horizon: 'planning' as const, status: 'open' as const, addedAt: '2026-03-15T00:00:00Z', addedBy: ALICE };
  const state = { ...incident(81), followUps: [item] };
  const doc = await createPostmortemDocs({ clients: world.clients, folderId: world.driveId, share: SHARE, retry: FAST }).create(state, postmortemBlocks(POSTMORTEM_TEMPLATE, { incident: state, events: [] }));
  expect(await cells(doc.id)).toEqual([['#1 Add retries 🚀', 'Alice Adams', '2099-01-10', 'open']]);

  // A person types a row at the end of the table.
  const table = findActions(await get(doc.id))!;
  const typed = planTableRows(table, 'x', [{ name: 'x', cells: ['Alert on lag ✅', 'Bob', 'friday', ''] }]).filter((r) => !r.createNamedRange);
  await world.clients.docs.documents.batchUpdate({ documentId: doc.id, requestBody: { requests: typed } });

  const first = await actions.read(doc.id, new Map([[1, 'n1']]));
  expect(first.tagged).toBe(true);
  expect(first.rows!.map((r) => r.key)).toEqual(['n1', expect.stringMatching(/^d[0-9a-f]{12}$/)]);
  const before = writes();
  const again = await actions.read(doc.id, new Map([[1, 'n1']]));
  expect(again).toEqual({ revisionId: first.revisionId, tagged: false, rows: first.rows });
  expect(writes()).toBe(before);

  // Meanwhile a person changes the owner of #1: Firebreak's new owner does not overwrite it; the other cells change.
  const el = (await get(doc.id)).body!.content!.find((e) => e.table && e.startIndex === table.start)!;
  const owner = el.table!.tableRows![1].tableCells![1];
  await world.clients.docs.documents.batchUpdate({ documentId: doc.id, requestBody: { requests: [{ insertText: { location: { index: owner.endIndex! - 1 }, text: ' (and Sam)' } }] } });
  const known = ['#1 Add retries 🚀', 'Alice Adams', '2099-01-10', 'open'];
  const typedKey = first.rows![1].key;
  const synced = await actions.sync(doc.id, [
    { key: 'n1', cells: ['#1 Add retries with backoff 🚀', 'Bob Brown', '2099-01-12', 'done'], known },
    { key: typedKey, cells: ['#2 Alert on lag ✅', 'nobody yet', 'planning', 'open'], known: ['Alert on lag ✅', 'Bob', 'friday', ''] },
    { key: 'gone', cells: ['#3 Deleted by a person', '', '', 'open'], known: ['#3 Deleted by a person', '', '', 'open'] },
    { key: 'n4', cells: ['#4 New from chat', 'nobody yet', '', 'open'] },
  ]);
  expect(await cells(doc.id)).toEqual([
    ['#1 Add retries with backoff 🚀', 'Alice Adams (and Sam)', '2099-01-12', 'done'],
    ['#2 Alert on lag ✅', 'nobody yet', 'planning', 'open'],
    ['#4 New from chat', 'nobody yet', '', 'open'],
  ]);
  expect(synced.written.map((r) => r.key)).toEqual(['n1', typedKey, 'n4']);
  expect((await actions.read(doc.id, new Map())).rows!.map((r) => r.key)).toEqual(['n1', typedKey, 'n4']);
});
