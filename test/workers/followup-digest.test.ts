import { createIncidents } from '../../src/app/incidents';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import type { GraphEmulator } from '../../src/sandbox/graph/server';
import { graphFor, SENDER, startEmulator } from '../integration/graph/setup';
import { declareCommand, jo, sam } from '../domain/fixtures';
import { followUpRunner, policy } from './followup-runner';

/**
 * The Monday digest with two replicas on one store (two runners, each with its own clock reading the same time): one
 * digest per owner and per IC each Monday 09:00 Berlin, never two, whatever replica runs it; and again next Monday.
 * The real outbox posts to a local Bot Connector; only the clock is ours. Jo and Sam have no Entra id (no 1:1 chat can
 * be opened with them): they are @mentioned in the incident's conversation.
 */
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

const replica = () => followUpRunner({ store, channel, now });

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

test('a digest mail failing for a moment (500) is sent on the retry, once, and the 1:1 before it is not posted again', async () => {
  // A store and a Bot Connector of its own: the other test travels through other Mondays, and tests run in a random order.
  const [store, channel] = await Promise.all([openStore('pglite:memory'), startBotChannel({ requireAuth: false })]);
  const graph: GraphEmulator = await startEmulator({ roles: ['Mail.Send', 'Mail.Read'] });
  try {
    clock = new Date('2026-12-17T14:00:00.000Z'); // Thursday
    const max = { id: '29:max', name: 'Max Roe', aadObjectId: '00000000-0000-0000-0000-0000000000d1', email: 'max@contoso.test' };
    channel.installApp([max.aadObjectId]);
    const incidents = createIncidents(store);
    const { number: _n, ...declare } = declareCommand({ incidentId: 'dig-mail', origin: { id: '19:digest-mail@thread.tacv2;messageid=1', serviceUrl: channel.serviceUrl }, at: clock.toISOString() });
    expect((await incidents.declare(declare)).kind).toBe('changed');
    expect((await incidents.run('dig-mail', { type: 'AddFollowUp', text: 'Failover drill', owner: max, due: '2027-01-29', policy, at: clock.toISOString(), by: jo })).kind).toBe('changed');
    const runner = followUpRunner({ store, channel, now, mail: { graph: graphFor(graph), sender: SENDER } });
    graph.fault({ match: /\/sendMail$/, status: 500, times: 1 }); // a 500: a 503 the Graph SDK retries itself

    clock = new Date('2026-12-21T08:00:00.000Z'); // Monday 09:00 in Berlin: the mail is refused, the effect retried
    await runner.drain();
    expect(graph.mailbox().filter((m) => m.to.includes(max.email))).toEqual([]);
    clock = new Date('2026-12-21T08:05:00.000Z');
    await runner.drain();

    const week = (r: { activity: { text?: string } }) => r.activity.text?.includes('week of 2026-12-21');
    const chat = channel.personalChats.find((c) => c.memberId === max.aadObjectId)!;
    expect(channel.recorded.filter((r) => week(r) && r.conversationId === chat.conversationId)).toHaveLength(1);
    expect(graph.mailbox().filter((m) => m.to.includes(max.email))).toEqual([expect.objectContaining({ subject: 'Max Roe: Your open follow-ups, week of 2026-12-21 (1)' })]);
    // Everyone else told once that Monday too (the retry skips those recorded before it).
    const subjects = channel.recorded.filter(week).map((r) => r.activity.text!.split('\n')[0]);
    expect(subjects.length).toBe(new Set(subjects).size);
  } finally {
    await Promise.all([graph.close(), store.close(), channel.close()]);
  }
});
