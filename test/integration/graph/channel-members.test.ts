import type { GraphEmulator } from '../../../src/sandbox/graph/server';
import { OutsideError } from '../../../src/outside-error';
import { ALICE_OID, ALL_ROLES, BOB_OID, graphFor, startEmulator, TEAM } from './setup';

/** Adding someone to a private incident channel: the adapter against the emulator's channel-members route. */
let allowed: GraphEmulator;
let refused: GraphEmulator;
beforeAll(async () => {
  allowed = await startEmulator({ roles: [...ALL_ROLES, 'ChannelMember.ReadWrite.All'] });
  refused = await startEmulator();
});
afterAll(async () => {
  await allowed?.close();
  await refused?.close();
});

const channelRequest = (number: number, isPrivate: boolean) => ({ teamId: TEAM, incidentId: `inc-${number}`, label: `INC-${number}`, number, title: 'Ledger mismatch', private: isPrivate, owners: [ALICE_OID] });

test('a private channel gets the person as a member (not an owner); adding again keeps one membership', async () => {
  const graph = graphFor(allowed);
  const channel = await graph.ensureChannel(channelRequest(1, true));
  await graph.addChannelMember({ teamId: TEAM, channelId: channel.id, userId: BOB_OID });
  await graph.addChannelMember({ teamId: TEAM, channelId: channel.id, userId: BOB_OID });
  const members = allowed.channels(TEAM).find((c) => c.id === channel.id)!.members;
  expect(members).toEqual([{ userId: ALICE_OID, roles: ['owner'] }, { userId: BOB_OID, roles: [] }]);
});

test("a standard channel is refused, as Graph documents (members are the team's)", async () => {
  const graph = graphFor(allowed);
  const channel = await graph.ensureChannel(channelRequest(2, false));
  const failed = await graph.addChannelMember({ teamId: TEAM, channelId: channel.id, userId: BOB_OID }).catch((e) => e);
  expect(failed).toBeInstanceOf(OutsideError);
  expect(failed).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/HTTP 400 .*only for channels with a membershipType value of private or shared/) });
});

test('without the permission, the failure names it', async () => {
  const graph = graphFor(refused);
  const channel = await graph.ensureChannel(channelRequest(3, true));
  const failed = await graph.addChannelMember({ teamId: TEAM, channelId: channel.id, userId: BOB_OID }).catch((e) => e);
  expect(failed).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/HTTP 403.*ChannelMember\.ReadWrite\.All/) });
});
