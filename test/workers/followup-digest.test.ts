import { createIncidents } from '../../src/app/incidents';
import type { FollowUpPolicy } from '../../src/domain/followups';
import { followUpHandlers } from '../../src/followups/handlers';
import { createLogger } from '../../src/log';
import { parseOrgFile } from '../../src/org/load';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { createRunner } from '../../src/workers/runner';
import { readFileSync } from 'node:fs';
import { EXAMPLE_ORG_FILE } from '../../src/org/load';
import { declareCommand, jo, sam } from '../domain/fixtures';
import { unauthenticatedDirectReach, unauthenticatedOutbox } from '../harness/outbox';

/**
 * The Monday digest with two replicas on one store (two runners, each with its own clock reading the same time): one
 * digest per owner and per IC each Monday 09:00 Berlin, never two, whatever replica runs it; and again next Monday.
 * The real outbox posts to a local Bot Connector; only the clock is ours. Jo and Sam have no Entra id (no 1:1 chat can
 * be opened with them): they are @mentioned in the incident's conversation.
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

const replica = () =>
  createRunner({ store, now, log: createLogger('error', () => undefined), handlers: { 'card.post': async () => undefined, 'card.refresh': async () => undefined, 'message.post': async () => undefined, ...followUpHandlers({ store, teams: unauthenticatedOutbox(now), direct: unauthenticatedDirectReach(channel.serviceUrl, '11111111-2222-3333-4444-555555555555'), now, log: createLogger('error', () => undefined), org }) } });

test('each owner and each IC gets one digest per Monday at 09:00 Berlin, with two replicas running it', async () => {
  // Thursday 2026-12-03, 15:00 Berlin.
  clock = new Date('2026-12-03T14:00:00.000Z');
  const incidents = createIncidents(store);
  const origin = { id: '19:digest@thread.tacv2;messageid=1', serviceUrl: channel.serviceUrl };
  const { number: _n, ...declare } = declareCommand({ incidentId: 'dig-1', origin, at: clock.toISOString() });
  const declared = await incidents.declare(declare);
  if (declared.kind !== 'changed') throw new Error(declared.kind);
  for (const [text, owner, due] of [['Alert on lag', sam, '2026-12-08'], ['Runbook', sam, undefined], ['Chaos drill', undefined, '2027-02-01']] as const) {
    const outcome = await incidents.run('dig-1', { type: 'AddFollowUp', text, ...(owner && { owner }), ...(due && { due }), policy, at: clock.toISOString(), by: jo });
    expect(outcome.kind).toBe('changed');
  }
  await incidents.run('dig-1', { type: 'AddFollowUp', text: 'Done already', policy, at: clock.toISOString(), by: jo });
  await incidents.run('dig-1', { type: 'CloseFollowUp', n: 4, outcome: 'done', at: clock.toISOString(), by: jo });
  const [a, b] = [replica(), replica()];
  const digests = () => channel.recorded.filter((r) => /week of/.test(r.activity.text ?? '')).map((r) => `${r.activity.entities?.[0]?.mentioned?.id} ${r.activity.text!.split('\n')[0]}`);

  clock = new Date('2026-12-07T07:59:00.000Z'); // Monday 08:59 in Berlin
  await Promise.all([a.drain(), b.drain()]);
  expect(digests()).toEqual([]);

  clock = new Date('2026-12-07T08:00:00.000Z'); // Monday 09:00 in Berlin
  await Promise.all([a.drain(), b.drain()]);
  clock = new Date('2026-12-07T08:30:00.000Z');
  await Promise.all([a.drain(), b.drain()]);
  expect(digests().sort()).toEqual([
    `${jo.id} **Jo Park: Open follow-ups of the incidents you led, week of 2026-12-07 (3)**`,
    `${sam.id} **Sam Lee: Your open follow-ups, week of 2026-12-07 (2)**`,
  ]);
  const sams = channel.recorded.find((r) => /Sam Lee: Your open/.test(r.activity.text ?? ''))!.activity.text!;
  expect(sams).toContain('INC-1 #1 Alert on lag · Sam Lee · due 2026-12-08 · now');
  expect(sams).not.toContain('Done already');
  expect(sams).toContain('<at>Sam Lee</at>'); // the @mention Teams notifies them by

  clock = new Date('2026-12-14T08:00:00.000Z'); // the next Monday: again, once each
  await Promise.all([a.drain(), b.drain()]);
  expect(digests().filter((d) => d.includes('week of 2026-12-14'))).toHaveLength(2);
  const [digest] = (await store.effects({ pending: true })).filter((e) => e.kind === 'followup.digest');
  expect(digest.notBefore).toBe('2026-12-21T08:00:00.000Z');
});
