import { createIncidentDocs, type IncidentDocs } from '../../../src/google/incident-docs';
import { createTemplate } from '../../../src/google/template';
import { ALICE, clientsFor, FAST, googleWorld, incident, SHARE, SUBJECT, type GoogleWorld } from './setup';

/**
 * A private incident's doc is readable by its people only (issue 13, item 16). Every member of a shared drive can
 * read every file in it, so a private doc must not be made there; the real adapter, over HTTP, against a Drive
 * where Carol is a member of the incidents drive but not of the incident.
 */
let world: GoogleWorld;
let docs: IncidentDocs;
const CAROL = 'carol@example.com';
const DAVE = 'dave@example.com';

beforeAll(async () => {
  world = await googleWorld();
  const driveId = world.sandbox.createSharedDrive('Incidents (everyone on call)', { [SUBJECT]: 'organizer', [CAROL]: 'writer' });
  const { id: templateId } = await createTemplate(world.clients, { folderId: driveId, retry: FAST });
  docs = createIncidentDocs({ clients: world.clients, templateId, folderId: driveId, share: SHARE, retry: FAST });
}, 60_000);
afterAll(() => world?.close());

const as = (user: string) => clientsFor(world.sandbox, world.privateKey, user);
const status = (p: Promise<unknown>) => p.then(() => 200, (err) => err.response?.status as number);

test("a private incident's doc: a member of the incidents drive who is not in the incident gets 404; the incident's people read it", async () => {
  const inc = incident(60, [], { private: true });
  const { id } = await docs.create(inc);

  const carol = as(CAROL);
  expect(await status(carol.drive.files.get({ fileId: id, supportsAllDrives: true }))).toBe(404);
  // Docs answers "The caller does not have permission" (403 PERMISSION_DENIED) for a document one cannot open.
  const denied = await carol.docs.documents.get({ documentId: id }).catch((err) => err.response);
  expect(denied).toMatchObject({ status: 403, data: { error: { status: 'PERMISSION_DENIED' } } });
  const listed = await carol.drive.files.list({ q: `appProperties has { key='firebreakIncident' and value='${inc.id}' }`, corpora: 'allDrives', includeItemsFromAllDrives: true, supportsAllDrives: true });
  expect(listed.data.files).toEqual([]);
  // Nor anyone else in the domain: a private doc is never shared with the domain.
  expect(await status(as(DAVE).drive.files.get({ fileId: id, supportsAllDrives: true }))).toBe(404);

  const alice = as(ALICE.email!);
  expect(await status(alice.drive.files.get({ fileId: id, supportsAllDrives: true }))).toBe(200);
  expect(await status(alice.docs.documents.get({ documentId: id }))).toBe(200);
});

test("a person given a role later can read the private doc after the next fill; it is still found, not made twice", async () => {
  const declared = incident(61, [], { private: true });
  const { id } = await docs.create(declared);
  const bob = { id: '29:bob', name: 'Bob Brown', email: 'bob@example.com' };
  expect(await status(as(bob.email).drive.files.get({ fileId: id, supportsAllDrives: true }))).toBe(404);

  const later = incident(61, [{ type: 'RoleAssigned', role: 'comms', person: bob }] as any, { private: true, incidentId: declared.id });
  expect(await docs.fill(later)).toMatchObject({ id });
  expect(await status(as(bob.email).docs.documents.get({ documentId: id }))).toBe(200);
  expect(await status(as(CAROL).docs.documents.get({ documentId: id }))).toBe(403);
  expect(await docs.create(later)).toMatchObject({ id });
  expect(world.sandbox.files().filter((f) => f.appProperties.firebreakIncident === declared.id && !f.trashed)).toHaveLength(1);
});

test('a public incident\'s doc stays in the incidents drive, readable by its members and the domain', async () => {
  const { id } = await docs.create(incident(62));
  expect(await status(as(CAROL).docs.documents.get({ documentId: id }))).toBe(200);
  expect(await status(as(DAVE).drive.files.get({ fileId: id, supportsAllDrives: true }))).toBe(200);
});

test('someone in a private incident with no Google account is not invited (Drive would need an email invitation); the rest get the doc', async () => {
  const contractor = { id: '29:cont', name: 'Con Tractor', email: 'con@no-google.example' };
  const inc = incident(63, [{ type: 'RoleAssigned', role: 'sme', person: contractor }] as any, { private: true });
  const { id } = await docs.create(inc);
  const file = world.sandbox.files().find((f) => f.id === id)!;
  expect(file.permissions.map((p) => p.emailAddress)).toEqual([ALICE.email]);
  const refused = world.sandbox.calls.filter((c) => c.method === 'drive.permissions.create' && c.status === 400);
  expect(refused).toHaveLength(1);
});

test('a private doc made before private docs moved out of the incidents drive is still found by the fill, and new people get it', async () => {
  // As an earlier release made it: in the incidents drive, shared with the domain.
  const declared = incident(64, [], { private: false });
  const { id } = await docs.create(declared);
  const bob = { id: '29:bob', name: 'Bob Brown', email: 'bob@example.com' };
  const later = incident(64, [{ type: 'RoleAssigned', role: 'comms', person: bob }] as any, { private: true, incidentId: declared.id });
  expect(await docs.fill(later)).toMatchObject({ id });
  const file = world.sandbox.files().find((f) => f.id === id)!;
  expect(file.permissions.map((p) => p.emailAddress)).toContain(bob.email);
});
