import { generateKeyPairSync } from 'node:crypto';
import { googleClients, type GoogleClients } from '../../../src/google/clients';
import { DOC_MIME } from '../../../src/google/template';
import { clientsFor, googleWorld, SERVICE_ACCOUNT, SUBJECT, type GoogleWorld } from './setup';

/**
 * The sandbox's contract, driven through the real @googleapis clients: the index arithmetic, structure rules
 * and errors of Docs v1 and Drive v3 that Firebreak's adapter (and issue 6's timeline sync) rely on.
 */
let world: GoogleWorld;
let c: GoogleClients;
beforeAll(async () => {
  world = await googleWorld();
  c = world.clients;
});
afterAll(() => world?.close());

async function newDoc(): Promise<string> {
  const res = await c.drive.files.create({ requestBody: { name: 'scratch', mimeType: DOC_MIME } });
  return res.data.id!;
}
const update = (documentId: string, requests: object[], writeControl?: object) =>
  c.docs.documents.batchUpdate({ documentId, requestBody: { requests, ...(writeControl ? { writeControl } : {}) } });
const get = async (documentId: string) => (await c.docs.documents.get({ documentId })).data;
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e) => ({ status: e.response?.status, error: e.response?.data?.error }));

test('an empty doc, then a 2x2 table: the index offsets of Google\'s table guide (S .. S+12)', async () => {
  const id = await newDoc();
  expect((await get(id)).body!.content).toEqual([
    { endIndex: 1, sectionBreak: expect.any(Object) }, // no startIndex: proto3 JSON omits 0
    expect.objectContaining({ startIndex: 1, endIndex: 2 }),
  ]);
  await update(id, [{ insertTable: { location: { index: 1 }, rows: 2, columns: 2 } }]);
  const [, before, table, after] = (await get(id)).body!.content!;
  expect([before.startIndex, before.endIndex]).toEqual([1, 2]); // the newline insertTable puts before the table
  const S = table.startIndex!;
  expect(S).toBe(2);
  expect(table.endIndex).toBe(S + 12);
  const rows = table.table!.tableRows!;
  expect(rows.map((r) => [r.startIndex, r.endIndex])).toEqual([[S + 1, S + 6], [S + 6, S + 11]]);
  expect(rows[0].tableCells!.map((x) => [x.startIndex, x.endIndex, x.content![0].startIndex])).toEqual([[S + 2, S + 4, S + 3], [S + 4, S + 6, S + 5]]);
  expect(after.startIndex).toBe(S + 12);

  // insertTableRow below row 0 adds 1 + 2 * columns units there; everything after moves by 5.
  await update(id, [{ insertTableRow: { tableCellLocation: { tableStartLocation: { index: S }, rowIndex: 0, columnIndex: 0 }, insertBelow: true } }]);
  const moved = (await get(id)).body!.content![2];
  expect(moved.endIndex).toBe(S + 17);
  expect(moved.table!.tableRows!.map((r) => r.startIndex)).toEqual([S + 1, S + 6, S + 11]);
});

test('indices count UTF-16 code units; a surrogate pair cannot be split', async () => {
  const id = await newDoc();
  await update(id, [{ insertText: { location: { index: 1 }, text: 'a🔥b' } }]);
  const p = (await get(id)).body!.content![1];
  expect(p.endIndex).toBe(1 + 4 + 1);
  expect(await failure(update(id, [{ insertText: { location: { index: 3 }, text: 'x' } }]))).toMatchObject({ status: 400 });
  expect(await failure(update(id, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } }]))).toMatchObject({ status: 400 });
  await update(id, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 4 } } }]);
  expect((await get(id)).body!.content![1].paragraph!.elements![0].textRun!.content).toBe('ab\n');
});

test('deleteContentRange keeps structure whole: not the last newline, not part of a table, not the newline before it', async () => {
  const id = await newDoc();
  await update(id, [{ insertTable: { location: { index: 1 }, rows: 1, columns: 2 } }, { insertText: { location: { index: 5 }, text: 'cell' } }]);
  const content = (await get(id)).body!.content!;
  const end = content[content.length - 1].endIndex!;
  const bad = [
    [end - 1, end], // the body's last newline
    [2, 6], // the table's start and part of its cells
    [1, 2], // the newline before the table
    [5, 11], // from inside a cell into the next one
    [9, 10], // a cell's last newline ('cell' is 5..9, its newline 9)
  ];
  for (const [s, e] of bad) {
    const f = await failure(update(id, [{ deleteContentRange: { range: { startIndex: s, endIndex: e } } }]));
    expect({ s, e, ...f }).toMatchObject({ status: 400, error: { status: 'INVALID_ARGUMENT', message: expect.stringMatching(/^Invalid requests\[0\]\.deleteContentRange: /) } });
  }
  await update(id, [{ deleteContentRange: { range: { startIndex: 5, endIndex: 9 } } }]); // text inside a cell: fine
  await update(id, [{ deleteContentRange: { range: { startIndex: 1, endIndex: 9 } } }]); // the newline before and the whole table: fine
  expect((await get(id)).body!.content!.map((el) => Object.keys(el).find((k) => k !== 'startIndex' && k !== 'endIndex'))).toEqual(['sectionBreak', 'paragraph']);
});

test('named ranges move with edits: shift before, grow inside, vanish when their text is deleted', async () => {
  const id = await newDoc();
  await update(id, [{ insertText: { location: { index: 1 }, text: 'alpha beta gamma' } }, { createNamedRange: { name: 'b', range: { startIndex: 7, endIndex: 11 } } }]);
  const range = async () => (await get(id)).namedRanges?.b?.namedRanges?.[0]?.ranges?.[0];
  await update(id, [{ insertText: { location: { index: 1 }, text: '🔥 ' } }]);
  expect(await range()).toEqual({ startIndex: 10, endIndex: 14 });
  await update(id, [{ insertText: { location: { index: 12 }, text: 'XY' } }]);
  expect(await range()).toEqual({ startIndex: 10, endIndex: 16 });
  await update(id, [{ deleteContentRange: { range: { startIndex: 9, endIndex: 17 } } }]);
  expect(await range()).toBeUndefined();
});

test('revisionId changes on every write; a write locked to an old revision is refused', async () => {
  const id = await newDoc();
  const r1 = (await get(id)).revisionId!;
  const res = await update(id, [{ insertText: { location: { index: 1 }, text: 'one' } }], { requiredRevisionId: r1 });
  const r2 = res.data.writeControl!.requiredRevisionId!;
  expect(r2).not.toBe(r1);
  expect((await get(id)).revisionId).toBe(r2);
  expect(await failure(update(id, [{ insertText: { location: { index: 1 }, text: 'two' } }], { requiredRevisionId: r1 }))).toMatchObject({ status: 400 });
  // A batch is all or nothing: the second request's error leaves the first unapplied.
  expect(await failure(update(id, [{ insertText: { location: { index: 1 }, text: 'x' } }, { insertText: { location: { index: 999 }, text: 'y' } }]))).toMatchObject({
    status: 400,
    error: { message: expect.stringMatching(/^Invalid requests\[1\]\.insertText: Index 999/) },
  });
  expect((await get(id)).revisionId).toBe(r2);
});

test('replaceAllText counts occurrences, respects matchCase, and answers {} for none (proto3 omits zero)', async () => {
  const id = await newDoc();
  await update(id, [{ insertText: { location: { index: 1 }, text: 'Sev {{x}} / sev {{X}}\n{{x}}' } }]);
  const res = await update(id, [
    { replaceAllText: { containsText: { text: '{{x}}', matchCase: true }, replaceText: '🔥' } },
    { replaceAllText: { containsText: { text: 'SEV' }, replaceText: 'Severity' } },
    { replaceAllText: { containsText: { text: 'absent' }, replaceText: '-' } },
  ]);
  expect(res.data.replies).toEqual([{ replaceAllText: { occurrencesChanged: 2 } }, { replaceAllText: { occurrencesChanged: 2 } }, { replaceAllText: {} }]);
  const text = (await get(id)).body!.content!.slice(1).map((el) => el.paragraph!.elements!.map((e) => e.textRun!.content).join('')).join('');
  expect(text).toBe('Severity 🔥 / Severity {{X}}\n🔥\n');
});

test('strict like the real front end: unknown fields, query parameters and methods answer loudly', async () => {
  const id = await newDoc();
  expect(await failure(update(id, [{ insertText: { location: { index: 1 }, text: 'x', colour: 'red' } }]))).toMatchObject({
    status: 400,
    error: { message: 'Invalid JSON payload received. Unknown name "colour" at \'requests[0].insert_text\': Cannot find field.' },
  });
  expect(await failure(update(id, [{ insertText: { location: { index: 'one' }, text: 'x' } }]))).toMatchObject({
    status: 400,
    error: { message: expect.stringContaining("Invalid value at 'requests[0].insert_text.location.index' (TYPE_INT32)") },
  });
  expect(await failure(c.drive.files.list({ q: 'appProperties has key', fields: 'files(id)' }))).toMatchObject({ status: 400, error: { errors: [{ reason: 'invalid', location: 'q' }] } });
  expect(await failure(c.drive.files.export({ fileId: id, mimeType: 'text/plain' }))).toMatchObject({ status: 501, error: { message: expect.stringContaining('drive.files.export is not emulated') } });
  expect(await failure(c.docs.documents.get({ documentId: id, colour: 'red' } as never))).toMatchObject({ status: 400, error: { message: expect.stringContaining('Unknown name "colour"') } });
  expect(await failure(update(id, [{ insertInlineImage: { uri: 'https://x', endOfSegmentLocation: {} } }]))).toMatchObject({ status: 501 });
});

test('shared drives need supportsAllDrives; Drive answers only the fields asked for', async () => {
  const inDrive = await c.drive.files.create({ supportsAllDrives: true, requestBody: { name: 'in drive', mimeType: DOC_MIME, parents: [world.driveId] } });
  expect(inDrive.data).toEqual({ kind: 'drive#file', id: expect.any(String), name: 'in drive', mimeType: DOC_MIME }); // v3's default fields
  expect(await failure(c.drive.files.get({ fileId: inDrive.data.id! }))).toMatchObject({ status: 404, error: { errors: [{ reason: 'notFound', location: 'fileId' }] } });
  expect(await failure(c.drive.files.copy({ fileId: world.templateId, requestBody: { parents: [world.driveId] } }))).toMatchObject({ status: 404 });
  const got = await c.drive.files.get({ fileId: inDrive.data.id!, supportsAllDrives: true, fields: 'id,driveId,capabilities(canEdit)' });
  expect(got.data).toEqual({ id: inDrive.data.id, driveId: world.driveId, capabilities: { canEdit: true } });
});

test('auth: the JWT grant is verified against the service account key; tokens carry the delegated user and scopes', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = googleClients({ clientEmail: SERVICE_ACCOUNT, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, SUBJECT, {
    docsUrl: world.sandbox.url,
    driveUrl: world.sandbox.url,
    tokenUrl: world.sandbox.tokenUrl,
  });
  await expect(forged.drive.files.list({})).rejects.toMatchObject({ response: { status: 400, data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } } });

  const outsider = clientsFor(world.sandbox, world.privateKey, 'someone@elsewhere.org');
  await expect(outsider.drive.files.list({})).rejects.toMatchObject({ response: { data: { error: 'invalid_grant' } } });

  const noToken = await fetch(`${world.sandbox.url}/v1/documents/${world.templateId}`);
  expect([noToken.status, ((await noToken.json()) as { error: { status: string } }).error.status]).toEqual([401, 'UNAUTHENTICATED']);

  // A service account acting as itself owns no storage: it must impersonate a user (or write to a shared drive).
  const itself = googleClients({ clientEmail: SERVICE_ACCOUNT, privateKey: world.privateKey }, '', { docsUrl: world.sandbox.url, driveUrl: world.sandbox.url, tokenUrl: world.sandbox.tokenUrl });
  expect(await failure(itself.drive.files.create({ requestBody: { name: 'x', mimeType: DOC_MIME } }))).toMatchObject({ status: 403, error: { errors: [{ reason: 'storageQuotaExceeded' }] } });
});

test('an HTML view of any document, for people watching locally (read-only when the sandbox knows no people to edit as)', async () => {
  const res = await fetch(`${world.sandbox.url}/sandbox/docs/${world.templateId}`);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).toContain('<h1 dir="auto">{{incident}}: {{title}}</h1>');
  // The timeline table is marked so the page's script can offer to edit its rows.
  expect(html).toMatch(/<table data-timeline><tr data-row="0"><td><p dir="auto"><strong>Time \(UTC\)<\/strong><\/p><\/td>/);
  expect(html).toContain('a read-only view');
  expect(html).not.toContain('Add a timeline row');
});
