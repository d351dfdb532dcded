import { readFileSync } from 'node:fs';
import { createIncidents } from '../../src/app/incidents';
import type { FollowUpPolicy } from '../../src/domain/followups';
import { followUpHandlers } from '../../src/followups/handlers';
import { createLogger } from '../../src/log';
import { EXAMPLE_ORG_FILE, parseOrgFile } from '../../src/org/load';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { createRunner } from '../../src/workers/runner';
import { declareCommand, jo, sam } from '../domain/fixtures';
import { unauthenticatedOutbox } from '../harness/outbox';

/**
 * A person's Monday digest is posted in one incident's conversation, which everyone there reads: the items of another,
 * private incident stay out of it (counted, not listed). The real outbox posts to a local Bot Connector.
 */
const org = parseOrgFile(readFileSync(EXAMPLE_ORG_FILE, 'utf8'), 'example'); // followups: Europe/Berlin, 09:00
const policy: FollowUpPolicy = org.followUps!;
let store: Store;
let channel: BotChannel;
let clock: Date;
const now = () => clock;

beforeAll(async () => {
  store = await openStore('pglite:memory');
  channel = await startBotChannel({ requireAuth: false });
}, 60_000);
afterAll(async () => {
  await store.close();
  await channel.close();
});

test("a private incident's items are not listed in a digest posted in another incident's conversation", async () => {
  clock = new Date('2026-12-03T14:00:00.000Z'); // Thursday
  const incidents = createIncidents(store);
  for (const [id, isPrivate] of [['pub-1', false], ['priv-1', true]] as const) {
    const origin = { id: `19:${id}@thread.tacv2;messageid=1`, serviceUrl: channel.serviceUrl };
    const { number: _n, ...declare } = declareCommand({ incidentId: id, origin, private: isPrivate, at: clock.toISOString() });
    expect((await incidents.declare(declare)).kind).toBe('changed');
  }
  // The public item is due first, so Sam's digest goes to the public incident's conversation.
  await incidents.run('pub-1', { type: 'AddFollowUp', text: 'Alert on lag', owner: sam, due: '2026-12-08', policy, at: clock.toISOString(), by: jo });
  await incidents.run('priv-1', { type: 'AddFollowUp', text: 'Rotate the leaked signing key', owner: sam, due: '2026-12-09', policy, at: clock.toISOString(), by: jo });
  const runner = createRunner({ store, now, log: createLogger('error', () => undefined), handlers: { 'card.post': async () => undefined, 'card.refresh': async () => undefined, 'message.post': async () => undefined, ...followUpHandlers({ store, teams: unauthenticatedOutbox(now), now, log: createLogger('error', () => undefined), org }) } });

  clock = new Date('2026-12-07T08:00:00.000Z'); // Monday 09:00 in Berlin
  await runner.drain();
  const sams = channel.recorded.find((r) => /Sam Lee: Your open/.test(r.activity.text ?? ''));
  expect(sams?.conversationId.startsWith('19:pub-1@thread.tacv2')).toBe(true);
  expect(sams!.activity.text).toContain('Alert on lag');
  expect(sams!.activity.text).not.toContain('Rotate the leaked signing key');
  expect(sams!.activity.text).toContain('And 1 item of private incidents, not listed here');
});
