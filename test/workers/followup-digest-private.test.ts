import { createIncidents } from '../../src/app/incidents';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { declareCommand, jo, sam } from '../domain/fixtures';
import { followUpRunner, policy, TENANT } from './followup-runner';

/**
 * A person's Monday digest goes to their 1:1 chat with the bot, read by them alone: all their items. When that can't be
 * had (no Entra id, the app not installed for them) it is posted in one incident's conversation, which everyone there
 * reads: the items of another, private incident stay out of it (counted, not listed). The real outbox and 1:1 chats
 * post to a local Bot Connector.
 */
let store: Store;
let channel: BotChannel;
let clock: Date;
const now = () => clock;
const runner = () => followUpRunner({ store, channel, now });
const declare = async (id: string, isPrivate: boolean) => {
  const origin = { id: `19:${id}@thread.tacv2;messageid=1`, serviceUrl: channel.serviceUrl };
  const { number: _n, ...command } = declareCommand({ incidentId: id, origin, private: isPrivate, at: clock.toISOString() });
  expect((await createIncidents(store).declare(command)).kind).toBe('changed');
};

// A store per test: the digest is one repeating effect for the whole service, and each test starts on its own Monday
// (tests run in a random order; with one store, the later test's Monday was already past).
beforeAll(async () => {
  channel = await startBotChannel({ requireAuth: false });
}, 60_000);
beforeEach(async () => {
  store = await openStore('pglite:memory');
}, 60_000);
afterEach(async () => {
  await store.close();
});
afterAll(async () => {
  await channel.close();
});

test("without a 1:1 (no Entra id), a private incident's items are not listed in a digest posted in another incident's conversation", async () => {
  clock = new Date('2026-12-03T14:00:00.000Z'); // Thursday
  const incidents = createIncidents(store);
  await declare('pub-1', false);
  await declare('priv-1', true);
  // The public item is due first, so Sam's digest goes to the public incident's conversation.
  await incidents.run('pub-1', { type: 'AddFollowUp', text: 'Alert on lag', owner: sam, due: '2026-12-08', policy, at: clock.toISOString(), by: jo });
  await incidents.run('priv-1', { type: 'AddFollowUp', text: 'Rotate the leaked signing key', owner: sam, due: '2026-12-09', policy, at: clock.toISOString(), by: jo });

  clock = new Date('2026-12-07T08:00:00.000Z'); // Monday 09:00 in Berlin
  await runner().drain();
  const sams = channel.recorded.find((r) => /Sam Lee: Your open/.test(r.activity.text ?? ''));
  expect(sams?.conversationId.startsWith('19:pub-1@thread.tacv2')).toBe(true);
  expect(sams!.activity.text).toContain('Alert on lag');
  expect(sams!.activity.text).not.toContain('Rotate the leaked signing key');
  expect(sams!.activity.text).toContain('And 1 item of private incidents, not listed here');
});

test("in the owner's 1:1 the digest lists all their items, a private incident's too; the app not installed for them (403), the incident conversation without them", async () => {
  clock = new Date('2026-12-10T14:00:00.000Z'); // Thursday
  const incidents = createIncidents(store);
  await declare('pub-2', false);
  await declare('priv-2', true);
  const kim = { id: '29:kim', name: 'Kim Ito', aadObjectId: '00000000-0000-0000-0000-0000000000c1' };
  const lee = { id: '29:lee', name: 'Lee Chan', aadObjectId: '00000000-0000-0000-0000-0000000000c2' };
  channel.installApp([kim.aadObjectId]); // not Lee: Teams answers 403 BotNotInConversationRoster for him
  for (const owner of [kim, lee]) {
    await incidents.run('pub-2', { type: 'AddFollowUp', text: `Alert on lag (${owner.name})`, owner, due: '2026-12-30', policy, at: clock.toISOString(), by: jo });
    await incidents.run('priv-2', { type: 'AddFollowUp', text: `Rotate the leaked signing key (${owner.name})`, owner, due: '2026-12-31', policy, at: clock.toISOString(), by: jo });
  }

  clock = new Date('2026-12-14T08:00:00.000Z'); // the next Monday, 09:00 in Berlin
  await runner().drain();
  const digestOf = (name: string) => channel.recorded.filter((r) => r.activity.text?.includes(`${name}: Your open follow-ups, week of 2026-12-14`));
  const [kims] = digestOf('Kim Ito');
  const chat = channel.personalChats.find((c) => c.memberId === kim.aadObjectId);
  expect(chat).toMatchObject({ tenantId: TENANT });
  expect(kims.conversationId).toBe(chat!.conversationId); // in the 1:1, not in an incident's conversation
  expect(kims.activity.text).toContain('Alert on lag (Kim Ito)');
  expect(kims.activity.text).toContain('Rotate the leaked signing key (Kim Ito)'); // hers, read by her alone
  expect(kims.activity.entities ?? []).toEqual([]);
  expect(digestOf('Kim Ito')).toHaveLength(1);

  expect(channel.requests.some((r) => r.method === 'POST' && r.path === '/v3/conversations' && r.status === 403)).toBe(true);
  const [lees] = digestOf('Lee Chan');
  expect(lees.conversationId.startsWith('19:pub-2@thread.tacv2')).toBe(true);
  expect(lees.activity.text).toContain('Alert on lag (Lee Chan)');
  expect(lees.activity.text).not.toContain('Rotate the leaked signing key');
  expect(lees.activity.text).toContain('And 1 item of private incidents, not listed here');
  expect(lees.activity.entities?.[0]?.mentioned?.id).toBe(lee.id);
});
