import { DOC_MIME } from '../../../src/sandbox/google/drive-state';
import { ALICE, BOB, googleWorld, incident, plainText, type GoogleWorld } from './setup';

/** The real adapter (@googleapis clients) against the Google sandbox over HTTP: create, fill, share. */
let world: GoogleWorld;
beforeAll(async () => {
  world = await googleWorld();
});
afterAll(() => world?.close());
beforeEach(() => world.sandbox.fault(undefined));

const docsOf = (incidentId: string) => world.sandbox.files().filter((f) => f.appProperties.firebreakIncident === incidentId && !f.trashed);
const batchUpdates = () => world.sandbox.calls.filter((c) => c.method === 'docs.documents.batchUpdate').length;

test('create copies the template into the shared drive, fills every placeholder and shares it', async () => {
  const inc = incident(42);
  const link = await world.docs.create(inc);

  const [file] = docsOf(inc.id);
  expect(file).toMatchObject({ id: link.id, name: 'INC-42 Checkout API returning 500s', mimeType: DOC_MIME, driveId: world.driveId, parents: [world.driveId] });
  expect(link.url).toBe(`${world.sandbox.url}/sandbox/docs/${link.id}`);

  const doc = world.sandbox.document(link.id);
  const text = plainText(doc);
  expect(text).not.toContain('{{');
  expect(text).toContain('INC-42: Checkout API returning 500s\n');
  expect(text).toContain('Declared 2026-03-15 00:02 UTC by Alice Adams.');
  expect(text).toContain('Severity: 2 (Major: a key feature is broken or badly degraded for many customers)\n');
  expect(text).toContain('Incident commander: Alice Adams\n');
  expect(text).toContain('Payments fail for about a third of checkouts since 00:02 UTC.\n');
  // Links that do not exist yet say so, in a named range that a later fill replaces.
  expect(text).toContain('Meeting bridge: (being set up…)\n');
  expect(Object.keys(doc.namedRanges)).toEqual(expect.arrayContaining(['firebreak.field.bridge_url', 'firebreak.field.severity', 'firebreak.field.commander']));
  expect(doc.namedRanges['firebreak.field.description']).toBeUndefined(); // the summary belongs to the people now

  expect(file.permissions).toEqual([
    expect.objectContaining({ type: 'domain', domain: 'example.com', role: 'writer', allowFileDiscovery: false }),
    expect.objectContaining({ type: 'group', emailAddress: 'oncall@example.com', role: 'writer' }),
  ]);
});

test('the bridge link is filled when it arrives; people\'s edits to the summary are kept; nothing is rewritten twice', async () => {
  // Astral and right-to-left characters before the fields: every index after them counts UTF-16 units.
  const title = { title: 'Checkout 🔥 down — الدفع متوقف 👩‍🚒' };
  const declared = incident(43, [], title);
  const { id } = await world.docs.create(declared);

  // Someone rewrites the summary in the doc.
  const doc = world.sandbox.document(id);
  const summary = doc.body.content.find((el: any) => el.paragraph?.elements[0].textRun.content.startsWith('Payments fail'));
  await world.clients.docs.documents.batchUpdate({
    documentId: id,
    requestBody: { requests: [{ insertText: { location: { index: summary.startIndex }, text: 'Update 00:20: rolled back; error rate falling. ' } }] },
  });

  const bridge = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0';
  const later = incident(43, [
    { type: 'ResourceReady', resource: 'bridge', url: bridge, label: 'Bridge' },
    { type: 'SeverityChanged', from: 2, to: 1 },
    { type: 'CommanderChanged', from: ALICE, to: BOB },
  ] as any, { ...title, incidentId: declared.id });
  await world.docs.fill(later);

  const filled = world.sandbox.document(id);
  const text = plainText(filled);
  expect(text).toContain(`Meeting bridge: ${bridge}\n`);
  expect(text).toContain('Channel: (being set up…)\n');
  expect(text).toContain('Severity: 1 (Critical');
  expect(text).toContain('Incident commander: Bob Brown\n');
  expect(text).toContain('Update 00:20: rolled back; error rate falling. Payments fail');
  const run = filled.body.content
    .flatMap((el: any) => el.paragraph?.elements ?? [])
    .find((e: any) => e.textRun?.content === bridge);
  expect(run.textRun.textStyle.link).toEqual({ url: bridge });
  const range = filled.namedRanges['firebreak.field.bridge_url'].namedRanges[0].ranges[0];
  expect(range.endIndex - range.startIndex).toBe(bridge.length);

  const before = batchUpdates();
  await world.docs.fill(later);
  expect(batchUpdates()).toBe(before); // already current: a read, no write
});

test('a retried create after a lost answer or a crash finds its copy and never makes a second doc', async () => {
  const inc = incident(44);
  // The copy succeeds but the connection drops before the answer: the client cannot know it worked.
  world.sandbox.fault({ match: 'drive.files.copy', drop: 'after', times: 1 });
  const first = await world.docs.create(inc);
  expect(docsOf(inc.id)).toHaveLength(1);

  // A crash after the copy (here: filling fails for good), then the effect runs again.
  const crashing = incident(45);
  world.sandbox.fault({ match: 'docs.documents.get', status: 500 });
  await expect(world.docs.create(crashing)).rejects.toMatchObject({ kind: 'retryable' });
  expect(docsOf(crashing.id)).toHaveLength(1);
  world.sandbox.fault(undefined);
  const again = await world.docs.create(crashing);
  expect(docsOf(crashing.id).map((f) => f.id)).toEqual([again.id]);
  expect(plainText(world.sandbox.document(again.id))).not.toContain('{{');

  // And once more for the first: same doc, no new copy, nothing left to write.
  const copies = world.sandbox.calls.filter((c) => c.method === 'drive.files.copy').length;
  expect((await world.docs.create(inc)).id).toBe(first.id);
  expect(world.sandbox.calls.filter((c) => c.method === 'drive.files.copy').length).toBe(copies);
});

test('a private incident is shared only with its people, not the domain', async () => {
  const inc = incident(46, [], { private: true });
  await world.docs.create(inc);
  const [file] = docsOf(inc.id);
  expect(file.permissions).toEqual([expect.objectContaining({ type: 'user', emailAddress: ALICE.email, role: 'writer' })]);

  // Bob becomes communications lead: the next fill shares the doc with him too, and Alice keeps one permission.
  const bob = { ...BOB, email: 'bob@example.com' };
  await world.docs.fill({ ...inc, roles: { ...inc.roles, comms: bob } });
  const [after] = docsOf(inc.id);
  expect(after.permissions.map((p: { emailAddress?: string }) => p.emailAddress).sort()).toStrictEqual([ALICE.email, bob.email].sort());
});

test('two racing creates settle on one doc', async () => {
  const inc = incident(47);
  const [a, b] = await Promise.all([world.docs.create(inc), world.docs.create(inc)]);
  expect(a.id).toBe(b.id);
  expect(docsOf(inc.id)).toHaveLength(1);
  expect(world.sandbox.files().filter((f) => f.appProperties.firebreakIncident === inc.id && f.trashed).length).toBeLessThanOrEqual(1);
  // The one that stays is whole, whichever create won: every placeholder filled.
  expect(plainText(world.sandbox.document(a.id))).toContain('INC-47: Checkout API returning 500s\n');
  expect(plainText(world.sandbox.document(a.id))).not.toContain('{{');
});
