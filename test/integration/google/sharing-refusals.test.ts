import type { drive_v3 } from '@googleapis/drive';
import { DOC_MIME } from '../../../src/sandbox/google/drive-state';
import { clientsFor, googleWorld, SUBJECT, type GoogleWorld } from './setup';

/**
 * The sandbox's Drive refuses the sharing requests Drive refuses, with Drive's status, reason and location, through
 * the real @googleapis/drive client. Where Drive's own wording was seen in its answers, the test holds it.
 */
let world: GoogleWorld;
let docId: string;
beforeAll(async () => {
  world = await googleWorld({ accountDomains: ['partner.example'] });
  docId = (await world.clients.drive.files.create({ requestBody: { name: 'Shared doc', mimeType: DOC_MIME, parents: [world.driveId] }, supportsAllDrives: true })).data.id!;
}, 60_000);
afterAll(() => world?.close());

type Grant = drive_v3.Params$Resource$Permissions$Create;
const share = (grant: Omit<Grant, 'fileId'>, as = SUBJECT) =>
  clientsFor(world.sandbox, world.privateKey, as)
    .drive.permissions.create({ fileId: docId, supportsAllDrives: true, ...grant })
    .then((res) => ({ status: res.status, error: undefined }), (err) => ({ status: err.response?.status as number, error: err.response?.data?.error }));
const item = (error: { errors: Record<string, string>[] } | undefined) => error?.errors[0];

test.each([
  ['no type', { role: 'reader' }, 'required', 'permission.type', 'The permission type field is required.'],
  ['no role', { type: 'user', emailAddress: 'alice@example.com' }, 'required', 'permission.role', 'The permission role field is required.'],
  ['a type Drive has not', { type: 'everyone', role: 'reader' }, 'invalid', 'permission.type', undefined],
  ['a role Drive has not', { type: 'user', role: 'editor', emailAddress: 'alice@example.com' }, 'invalid', 'permission.role', undefined],
  ['a user without an address', { type: 'user', role: 'reader' }, 'required', 'permission.emailAddress', undefined],
  ['a domain grant without a domain', { type: 'domain', role: 'reader' }, 'required', 'permission.domain', "The domain field is required for permissions of type 'domain'."],
  ['an address on an anyone grant', { type: 'anyone', role: 'reader', emailAddress: 'alice@example.com' }, 'invalid', 'permission.emailAddress', 'The specified emailAddress is invalid or not applicable for the given permission type.'],
  ['a domain Google does not know', { type: 'domain', role: 'reader', domain: 'not-a-workspace.example' }, 'invalid', 'permission.domain', 'The specified domain is invalid or not applicable for the given permission type.'],
])('400 for %s', async (_what, requestBody, reason, location, message) => {
  const { status, error } = await share({ requestBody: requestBody as drive_v3.Schema$Permission });
  expect(status).toBe(400);
  expect(item(error)).toMatchObject({ reason, location, locationType: 'other', ...(message ? { message } : {}) });
});

test('a domain or anyone grant that names sendNotificationEmail at all is 403 forbidden on that parameter', async () => {
  for (const requestBody of [{ type: 'domain', role: 'reader', domain: 'example.com' }, { type: 'anyone', role: 'reader' }]) {
    const { status, error } = await share({ sendNotificationEmail: false, requestBody });
    expect(status).toBe(403);
    expect(item(error)).toMatchObject({ reason: 'forbidden', location: 'sendNotificationEmail', locationType: 'parameter' });
  }
  expect((await share({ requestBody: { type: 'domain', role: 'reader', domain: 'example.com' } })).status).toBe(200);
});

test('an address with no Google account can be invited by email but not shared with silently: 400 invalidSharingRequest', async () => {
  const silent = await share({ sendNotificationEmail: false, requestBody: { type: 'user', role: 'writer', emailAddress: 'contractor@gmail-less.example' } });
  expect(silent.status).toBe(400);
  expect(item(silent.error)).toMatchObject({ reason: 'invalidSharingRequest', message: expect.stringContaining('Since there is no Google account associated with this email address') });
  expect((await share({ requestBody: { type: 'user', role: 'writer', emailAddress: 'contractor@gmail-less.example' } })).status).toBe(200);
  // The organisation's people and the other Google domains the sandbox knows are shared with silently.
  expect((await share({ sendNotificationEmail: false, requestBody: { type: 'user', role: 'writer', emailAddress: 'alice@example.com' } })).status).toBe(200);
  expect((await share({ sendNotificationEmail: false, requestBody: { type: 'group', role: 'reader', emailAddress: 'ops@partner.example' } })).status).toBe(200);
  expect((await share({ requestBody: { type: 'domain', role: 'reader', domain: 'partner.example' } })).status).toBe(200);
});

test('only someone who may edit the file may share it; the owner and organizer roles are not emulated (501)', async () => {
  expect((await share({ sendNotificationEmail: false, requestBody: { type: 'user', role: 'commenter', emailAddress: 'carl@example.com' } })).status).toBe(200);
  const byCommenter = await share({ sendNotificationEmail: false, requestBody: { type: 'user', role: 'reader', emailAddress: 'dora@example.com' } }, 'carl@example.com');
  expect(byCommenter.status).toBe(403);
  expect(item(byCommenter.error)).toMatchObject({ reason: 'insufficientFilePermissions' });
  // Someone who cannot see a file at all learns nothing about it: 404, as for a file that does not exist.
  const unshared = (await world.clients.drive.files.create({ requestBody: { name: 'Not shared', mimeType: DOC_MIME } })).data.id!;
  const byStranger = clientsFor(world.sandbox, world.privateKey, 'eve@example.com').drive.permissions.create({
    fileId: unshared,
    sendNotificationEmail: false,
    requestBody: { type: 'user', role: 'reader', emailAddress: 'eve@example.com' },
  });
  await expect(byStranger).rejects.toMatchObject({ response: { status: 404 } });
  expect((await share({ transferOwnership: true, requestBody: { type: 'user', role: 'owner', emailAddress: 'alice@example.com' } })).status).toBe(501);
});

test("'root' in parents means the caller's own My Drive, nobody else's", async () => {
  const alice = clientsFor(world.sandbox, world.privateKey, 'alice@example.com');
  const mine = await alice.drive.files.create({ requestBody: { name: 'In Alice\'s My Drive', mimeType: DOC_MIME } });
  await alice.drive.permissions.create({ fileId: mine.data.id!, requestBody: { type: 'domain', role: 'reader', domain: 'example.com' } });
  const q = "'root' in parents and name = 'In Alice\\'s My Drive'";
  // The subject can read it (the domain can), yet it is not in the subject's My Drive.
  expect((await world.clients.drive.files.list({ q: "name = 'In Alice\\'s My Drive'" })).data.files).toHaveLength(1);
  expect((await world.clients.drive.files.list({ q })).data.files).toEqual([]);
  expect((await alice.drive.files.list({ q })).data.files?.map((f) => f.id)).toEqual([mine.data.id]);
});
