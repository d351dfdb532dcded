import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import type { GraphEmulator } from '../../src/sandbox/graph/server';
import { OutsideError } from '../../src/outside-error';
import { ALICE_OID, graphFor, startEmulator } from './graph/setup';

/** The emulators' new contracts (paging), through the real Graph adapter and raw connector calls: what they refuse. */
const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const notification = { userId: ALICE_OID, activityType: 'paged', topic: { value: 'INC-7: Payments down', webUrl: 'https://teams.microsoft.com/l/channel/x' }, previewText: 'Alice: card declines', templateParameters: { service: 'payments' } };

describe('Graph: sendActivityNotification', () => {
  let withRole: GraphEmulator;
  let without: GraphEmulator;
  beforeAll(async () => {
    [withRole, without] = await Promise.all([startEmulator({ roles: ['TeamsActivity.Send'] }), startEmulator({ roles: ['Mail.Send'] })]);
  });
  afterAll(async () => {
    await Promise.all([withRole?.close(), without?.close()]);
  });

  it('is answered 204 and recorded with TeamsActivity.Send; without it a 403 naming it, which the adapter calls permanent', async () => {
    await graphFor(withRole).sendActivityNotification(notification);
    expect(withRole.activityNotifications()).toEqual([expect.objectContaining({ userId: ALICE_OID, activityType: 'paged', previewText: 'Alice: card declines', templateParameters: { service: 'payments' }, topic: { source: 'text', value: 'INC-7: Payments down', webUrl: 'https://teams.microsoft.com/l/channel/x' } })]);
    const refused = await graphFor(without).sendActivityNotification(notification).catch((e) => e);
    expect(refused).toBeInstanceOf(OutsideError);
    expect(refused).toMatchObject({ kind: 'permanent', status: 403 });
    expect(refused.message).toContain('TeamsActivity.Send');
  });

  it('refuses an unknown user (404) and a text topic without webUrl (400)', async () => {
    expect(await graphFor(withRole).sendActivityNotification({ ...notification, userId: '99999999-0000-0000-0000-000000000000' }).catch((e) => e.status)).toBe(404);
    expect(await graphFor(withRole).sendActivityNotification({ ...notification, topic: { value: 'x', webUrl: '' } }).catch((e) => e.status)).toBe(400);
  });
});

describe('Bot Connector: a 1:1 chat', () => {
  let channel: BotChannel;
  beforeAll(async () => {
    channel = await startBotChannel({ requireAuth: false });
    channel.installApp([ALICE_OID]);
  });
  afterAll(() => channel?.close());
  const create = (body: object) => fetch(`${channel.serviceUrl}v3/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('is made for one member by Entra object id in the tenant, and the same again is the same conversation', async () => {
    const first = await create({ isGroup: false, bot: { id: '28:bot' }, members: [{ id: ALICE_OID }], tenantId: TENANT });
    const again = await create({ isGroup: false, members: [{ id: `8:orgid:${ALICE_OID}` }], channelData: { tenant: { id: TENANT } } });
    expect(first).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^a:/) } });
    expect(again.body.id).toBe(first.body.id);
    expect(channel.personalChats.map((c) => c.conversationId)).toEqual([first.body.id, first.body.id]);
  });

  it('refuses a group chat, several members, no tenant, and a user without the app (403 BotNotInConversationRoster)', async () => {
    expect((await create({ isGroup: true, members: [{ id: ALICE_OID }], tenantId: TENANT })).body.error.code).toBe('BadSyntax');
    expect((await create({ isGroup: false, members: [{ id: ALICE_OID }, { id: '29:bob' }], tenantId: TENANT })).status).toBe(400);
    expect((await create({ isGroup: false, members: [{ id: ALICE_OID }] })).status).toBe(400);
    expect(await create({ isGroup: false, members: [{ id: '29:bob' }], tenantId: TENANT })).toEqual({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } });
  });
});
