import { createIncidents } from '../../src/app/incidents';
import type { Person } from '../../src/domain/incident';
import type { RunWithMember } from '../../src/domain/mention-effect';
import { OutsideError } from '../../src/outside-error';
import { openStore } from '../../src/store/open';
import type { ClaimedEffect, Store } from '../../src/store/store';
import { chatMention } from '../../src/workers/effects/chat-mention';
import { AT, declareCommand, here, jo, sam } from '../domain/fixtures';

/**
 * The worker half of a command naming someone (src/teams/mention-command.ts): Teams is asked who the mention is, then
 * the command is decided with the member Teams returned. Given an incident Jo commands, when the effect runs, then…
 */
let store: Store;
let n = 0;
let activity = 0;

beforeAll(async () => {
  store = await openStore('pglite:memory');
});
afterAll(() => store.close());

const SAM_IN_TEAMS: Person = { ...sam, aadObjectId: '00000000-0000-0000-0000-00000000005a', email: 'sam@example.com' };

async function setUp(members: (id: string) => Promise<Person | undefined>) {
  const incidents = createIncidents(store);
  const incidentId = `mention-${++n}`;
  const { number: _n, ...declare } = declareCommand({ incidentId, at: AT, by: jo });
  await incidents.declare(declare);
  const said: string[] = [];
  const run = chatMention({
    store,
    incidents,
    members: { member: (_conversation, id) => members(id) },
    teams: { reply: async (_conversation, _replyTo, activity) => void said.push(activity.text!) },
    followUpWindowDays: () => 5,
    now: () => new Date(AT),
  });
  const effect = (payload: Partial<RunWithMember['payload']>): ClaimedEffect => ({
    id: String(n),
    kind: 'chat.mention',
    key: `chat.mention:teams:${incidentId}:${++activity}`,
    incidentId,
    payload: {
      conversation: here,
      replyToId: 'a-1',
      mention: { id: sam.id, name: 'Sam (as mentioned)' },
      command: { type: 'ChangeCommander', mode: 'handoff' },
      personAt: 'to',
      at: AT,
      by: jo,
      say: { notMember: "{name} is not in this team, so can't be incident commander here.", unchanged: '{name} has it already.' },
      ...payload,
    },
    notBefore: AT,
    attempts: 1,
    lastError: null,
    outcome: null,
    createdAt: AT,
    lease: 'l-1',
  });
  const changes = async () => (await store.events(incidentId)).map((r) => r.event.type);
  return { run, effect, said, changes, incidentId };
}

const signal = new AbortController().signal;

test('a member: the hand-off is made with the person Teams returned (Entra id, email), once however often it runs', async () => {
  const { run, effect, said, changes, incidentId } = await setUp(async (id) => (id === sam.id ? SAM_IN_TEAMS : undefined));
  const handOff = effect({}); // one activity, its effect run twice
  await run(handOff, signal);
  await run(handOff, signal); // a second run (a crash before the effect was settled) changes nothing and says nothing
  expect((await store.load(incidentId))!.commander).toEqual(SAM_IN_TEAMS);
  expect((await changes()).filter((t) => t === 'CommanderChanged')).toHaveLength(1);
  expect(said).toEqual([]);
});

test('not in the team or chat: refused in plain words with the mentioned name, nothing changed', async () => {
  const { run, effect, said, changes } = await setUp(async () => undefined);
  await run(effect({}), signal);
  expect(said).toEqual(["Sam (as mentioned) is not in this team, so can't be incident commander here."]);
  expect(await changes()).toEqual(['IncidentDeclared']);
});

test('already so: the "unchanged" answer, named as Teams names the person', async () => {
  const { run, effect, said } = await setUp(async () => SAM_IN_TEAMS);
  const assign = { command: { type: 'AssignRole', role: 'comms' }, personAt: 'person' as const };
  await run(effect(assign), signal);
  await run(effect(assign), signal); // the same asked again, in another message
  expect(said).toEqual(['Sam Lee has it already.']);
});

test('Teams fails the lookup (throttled): the attempt fails for the runner to retry, having said and changed nothing', async () => {
  const { run, effect, said, changes } = await setUp(async () => {
    throw new OutsideError('retryable', 'Teams connector: HTTP 429', 1, 429);
  });
  await expect(run(effect({}), signal)).rejects.toMatchObject({ kind: 'retryable' });
  expect(said).toEqual([]);
  expect(await changes()).toEqual(['IncidentDeclared']);
});

test('in the order asked: a later role change waits while an earlier one (its lookup throttled) is pending, so the last request wins', async () => {
  const { run, effect, incidentId, said } = await setUp(async (id) => (id === sam.id ? SAM_IN_TEAMS : { id, name: 'Cam Lee' }));
  const later = new Date(Date.parse(AT) + 5_000).toISOString();
  const role = { command: { type: 'AssignRole', role: 'comms' }, personAt: 'person' as const };
  const toSam = effect({ ...role, at: AT }); // asked first
  const toCam = effect({ ...role, at: later, mention: { id: '29:cam', name: 'Cam Lee' } });
  const enqueued = [toSam, toCam].map(({ kind, key, incidentId: id, payload }) => ({ kind, key, incidentId: id!, payload }) as RunWithMember);
  await store.enqueue(enqueued, { now: AT });
  const stored = await store.effects({ incidentId, pending: true });
  const claimed = (key: string) => ({ ...effect({}), ...stored.find((e) => e.key === key)!, lease: 'l-x' });
  const comms = async () => (await store.load(incidentId))!.roles.comms?.id;
  // Cam's runs first (Sam's lookup was throttled): it waits, retryably, changing nothing.
  await expect(run(claimed(toCam.key), signal)).rejects.toMatchObject({ kind: 'retryable' });
  expect(await comms()).toBeUndefined();
  // Sam's goes through and is settled; then Cam's: Cam has the role, as last asked.
  await run(claimed(toSam.key), signal);
  const samClaim = await store.claimEffect(toSam.key, AT, 60_000);
  await store.completeEffect(samClaim!, AT);
  await run(claimed(toCam.key), signal);
  expect(said).toEqual([]);
  expect(await comms()).toBe('29:cam');
});
