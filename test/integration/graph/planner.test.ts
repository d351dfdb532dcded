import { readFileSync } from 'node:fs';
import { createIncidents, type Incidents } from '../../../src/app/incidents';
import { instantAt } from '../../../src/domain/followup-dates';
import type { Incident, Person } from '../../../src/domain/incident';
import { createGraphClient } from '../../../src/graph/client';
import { plannerHandlers } from '../../../src/followups/planner-handlers';
import { createLogger } from '../../../src/log';
import { EXAMPLE_ORG_FILE, parseOrgFile } from '../../../src/org/load';
import type { OrgFile } from '../../../src/org/schema';
import { startGraphEmulator, type GraphEmulator } from '../../../src/sandbox/graph/server';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { createRunner } from '../../../src/workers/runner';
import { declareCommand, jo } from '../../domain/fixtures';
import { ALICE_OID, BOB_OID, CLIENT_ID, graphCalls, graphFor, SECRET, tenant, TENANT } from './setup';

/**
 * Planning items exported to Microsoft Planner and read back (issue 18 item 10): the real effects and the real Graph
 * adapter over HTTPS against the emulator's Planner tasks, on PGlite. The clock is the test's; the runner is drained.
 */
/** Each test has a plan of its own (the read-back is one repeating effect per plan). */
const PLANS = ['xqQg5FS2LkCp935s-FIFm2QAFkHM', 'aqQg5FS2LkCp935s-FIFm2QAFkHN', 'bqQg5FS2LkCp935s-FIFm2QAFkHO', 'cqQg5FS2LkCp935s-FIFm2QAFkHP', 'dqQg5FS2LkCp935s-FIFm2QAFkHQ', 'eqQg5FS2LkCp935s-FIFm2QAFkHR', 'fqQg5FS2LkCp935s-FIFm2QAFkHS', 'gqQg5FS2LkCp935s-FIFm2QAFkHT', 'hqQg5FS2LkCp935s-FIFm2QAFkHU'];
const BOB: Person = { id: '29:bob', name: 'Bob Brown', aadObjectId: BOB_OID };
const NO_ENTRA: Person = { id: '29:guest', name: 'Guest User' };
const EXAMPLE = readFileSync(EXAMPLE_ORG_FILE, 'utf8');
const orgWith = (planner: string) => parseOrgFile(EXAMPLE.replace('digest_hour: 9', `digest_hour: 9\n${planner}`), 'org.yml');
const polling = (plan: string) => orgWith(`  planner_plan_id: ${plan}\n  planner_poll_minutes: 15`);
const notPolling = (plan: string) => orgWith(`  planner_plan_id: ${plan}`);

let store: Store;
let emulator: GraphEmulator;
let clock: Date;
const now = () => clock;
let number = 0;

beforeAll(async () => {
  store = await openStore('pglite:memory');
  // Pages of two tasks, so reading a plan follows @odata.nextLink (Planner's pages are ~400).
  emulator = await startGraphEmulator({ ...tenant({ roles: ['Tasks.ReadWrite.All'] }), plans: PLANS.map((id) => ({ id, title: 'Follow-ups' })) }, { plannerPageSize: 2 });
}, 60_000);
afterAll(async () => {
  await store.close();
  await emulator.close();
});
afterEach(async () => {
  // Nothing a test left pending (a read-back set for later) may run in the next one.
  for (const effect of await store.claimEffects('2100-01-01T00:00:00.000Z', 1000, 1)) await store.failEffect(effect, 'test over', new Date().toISOString());
});

/** A runner with the Planner handlers; `crashOnce` fails recording the task once, as if the process died after the POST. */
function world(org: OrgFile, opts: { crashOnce?: boolean } = {}) {
  const incidents = createIncidents(store);
  let crash = opts.crashOnce ?? false;
  const recording: Incidents = {
    ...incidents,
    run: async (id, command, runOpts) => {
      if (crash && command.type === 'RecordPlannerTask') {
        crash = false;
        throw new Error('process died before recording the Planner task');
      }
      return incidents.run(id, command, runOpts);
    },
  };
  const noop = async () => undefined;
  const runner = createRunner({
    store,
    now,
    log: createLogger('error', () => undefined),
    backoffMs: () => 1000,
    handlers: { 'card.post': noop, 'card.refresh': noop, 'message.post': noop, ...plannerHandlers({ store, incidents: recording, graph: graphFor(emulator), org, now, log: createLogger('error', () => undefined) }) },
  });
  return { incidents, runner };
}

async function declare(incidents: Incidents, opts: { private?: boolean } = {}): Promise<Incident> {
  number += 1;
  const { number: _n, ...declare } = declareCommand({ incidentId: `planner-${number}`, origin: { id: `19:planner-${number}@thread.tacv2`, serviceUrl: 'https://smba.example/' }, at: clock.toISOString(), ...opts });
  const outcome = await incidents.declare(declare);
  if (outcome.kind !== 'changed') throw new Error(outcome.kind);
  return outcome.incident;
}

async function add(incidents: Incidents, org: OrgFile, incident: Incident, text: string, opts: { owner?: Person; due?: string } = {}): Promise<void> {
  const outcome = await incidents.run(incident.id, { type: 'AddFollowUp', text, ...opts, policy: org.followUps!, at: clock.toISOString(), by: jo });
  if (outcome.kind !== 'changed') throw new Error(outcome.kind);
}

const itemsOf = async (incident: Incident) => (await store.load(incident.id))!.followUps!;
const tasksTitled = (plan: string, prefix: string) => emulator.plannerTasks(plan).filter((t) => t.title.startsWith(prefix));
const eventsOf = async (incident: Incident) => (await store.events(incident.id)).map((r) => r.event);

test('a planning item becomes one Planner task, assigned to its owner and due that day; a "now" item stays out', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z'); // Thursday
  const [plan, org] = [PLANS[0], polling(PLANS[0])];
  const { incidents, runner } = world(org);
  const incident = await declare(incidents);
  await add(incidents, org, incident, 'Fix the paging tool', { owner: BOB, due: '2026-12-04' }); // now: tomorrow
  await add(incidents, org, incident, 'Move the queue to its own cluster', { owner: BOB, due: '2027-02-01' });
  await add(incidents, org, incident, 'Write a runbook for the failover', { owner: NO_ENTRA });
  await runner.drain();

  const label = `INC-${incident.number} #`;
  const tasks = tasksTitled(plan, label);
  expect(tasks.map((t) => t.title).sort()).toEqual([`${label}2: Move the queue to its own cluster`, `${label}3: Write a runbook for the failover`]);
  const [queue, runbook] = [tasks.find((t) => t.title.includes('#2'))!, tasks.find((t) => t.title.includes('#3'))!];
  expect(Object.keys(queue.assignments)).toEqual([BOB_OID]);
  expect(queue.dueDateTime).toBe(instantAt('2027-02-01', 12, 'Europe/Berlin'));
  expect(runbook.assignments).toEqual({}); // an owner without an Entra id can't be assigned
  expect(runbook.dueDateTime).toBeUndefined();
  const items = await itemsOf(incident);
  expect(items.map((i) => i.planner?.taskId)).toEqual([undefined, queue.id, runbook.id]);

  await runner.drain(); // nothing more to do: the effect is complete and the item recorded
  expect(tasksTitled(plan, label)).toHaveLength(2);
});

test('an export that crashed after Planner made the task finds it on the retry instead of making a second', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z');
  const [plan, org] = [PLANS[1], notPolling(PLANS[1])];
  const graph = graphFor(emulator);
  for (const title of ['Someone else\'s task', 'Another team\'s task']) await graph.createPlannerTask({ planId: plan, title }); // the plan is not empty
  const { incidents, runner } = world(org, { crashOnce: true });
  const incident = await declare(incidents);
  const label = `INC-${incident.number} #1: `;
  await add(incidents, org, incident, 'Load-test the new checkout path');
  await runner.drain(); // attempt 1: the task is made, recording it fails
  expect(tasksTitled(plan, label)).toHaveLength(1);
  expect((await itemsOf(incident))[0].planner).toBeUndefined();

  const before = graphCalls(emulator).length;
  clock = new Date(clock.getTime() + 5_000); // the backoff has passed
  await runner.drain(); // attempt 2
  expect(tasksTitled(plan, label)).toHaveLength(1);
  expect((await itemsOf(incident))[0].planner).toEqual({ planId: plan, taskId: tasksTitled(plan, label)[0].id });
  // It read the plan (both pages: three tasks, two a page) and made nothing.
  const retry = graphCalls(emulator).slice(before);
  expect(retry.filter((c) => c.startsWith('POST /v1.0/planner/tasks'))).toEqual([]);
  expect(retry.filter((c) => c.startsWith(`GET /v1.0/planner/plans/${plan}/tasks`))).toHaveLength(2);
});

test('a task completed in Planner closes its item as done, a deleted one as cancelled, by "Planner"; one in progress stays open', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z');
  const [plan, org] = [PLANS[2], polling(PLANS[2])];
  const { incidents, runner } = world(org);
  const incident = await declare(incidents);
  for (const text of ['Alert on consumer lag', 'Retire the old queue', 'Chaos drill for the failover']) await add(incidents, org, incident, text, { owner: BOB });
  await runner.drain();
  const [lag, retire, drill] = (await itemsOf(incident)).map((i) => i.planner!.taskId);
  emulator.setPlannerTaskProgress(lag, 100, BOB_OID);
  emulator.deletePlannerTask(retire);
  emulator.setPlannerTaskProgress(drill, 50, ALICE_OID);

  clock = new Date('2026-12-03T14:14:00.000Z'); // before the first read-back (15 minutes)
  await runner.drain();
  expect((await itemsOf(incident)).map((i) => i.status)).toEqual(['open', 'open', 'open']);

  clock = new Date('2026-12-03T14:15:00.000Z');
  await runner.drain();
  const items = await itemsOf(incident);
  expect(items.map((i) => i.status)).toEqual(['done', 'cancelled', 'open']);
  const log = await eventsOf(incident);
  expect(log.flatMap((e) => (e.type === 'FollowUpClosed' ? [[e.by.name, e.outcome]] : []))).toEqual([['Planner', 'done'], ['Planner', 'cancelled']]);
  // The card shows it as any closed item: it is refreshed after each change.
  const refreshed = (await store.effects({ incidentId: incident.id })).filter((e) => e.kind === 'card.refresh').map((e) => e.key);
  expect(refreshed).toContain(`card.refresh:${incident.id}:${log.length}`);
  const [poll] = (await store.effects({ pending: true })).filter((e) => e.key === `followup.planner-poll:${plan}`);
  expect(poll.notBefore).toBe('2026-12-03T14:30:00.000Z'); // and it looks again in 15 minutes
});

test('a read-back that fails (a permission withdrawn) is not given up: it looks again at the next interval', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z');
  const [plan, org] = [PLANS[6], polling(PLANS[6])];
  const { incidents, runner } = world(org);
  const incident = await declare(incidents);
  await add(incidents, org, incident, 'Cap the retry storm');
  await runner.drain();
  emulator.setPlannerTaskProgress((await itemsOf(incident))[0].planner!.taskId, 100);
  emulator.fault({ match: new RegExp(`^GET /v1\\.0/planner/plans/${plan}/`), status: 403 });
  clock = new Date('2026-12-03T14:15:00.000Z');
  await runner.drain();
  emulator.fault(undefined);
  expect((await itemsOf(incident))[0].status).toBe('open');
  const [poll] = (await store.effects({ pending: true })).filter((e) => e.key === `followup.planner-poll:${plan}`);
  expect(poll.notBefore).toBe('2026-12-03T14:30:00.000Z');
  clock = new Date('2026-12-03T14:30:00.000Z');
  await runner.drain();
  expect((await itemsOf(incident))[0].status).toBe('done');
});

test('done in Firebreak, or handed to someone else, the task follows: completed, reassigned (If-Match on a fresh etag)', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z');
  const [plan, org] = [PLANS[3], notPolling(PLANS[3])];
  const { incidents, runner } = world(org);
  const incident = await declare(incidents);
  await add(incidents, org, incident, 'Add a circuit breaker', { owner: BOB });
  await add(incidents, org, incident, 'Document the cache keys', { owner: BOB });
  await runner.drain();
  const [breaker, cache] = (await itemsOf(incident)).map((i) => i.planner!.taskId);
  emulator.setPlannerTaskProgress(cache, 50, BOB_OID); // someone worked on it in Planner meanwhile: its etag moved on
  await incidents.run(incident.id, { type: 'CloseFollowUp', n: 1, outcome: 'done', at: clock.toISOString(), by: jo });
  await incidents.run(incident.id, { type: 'SetFollowUpOwner', n: 2, owner: { id: '29:alice', name: 'Alice Adams', aadObjectId: ALICE_OID }, at: clock.toISOString(), by: jo });
  await runner.drain();
  const task = (id: string) => emulator.plannerTasks(plan).find((t) => t.id === id)!;
  expect(task(breaker).percentComplete).toBe(100);
  expect(Object.keys(task(cache).assignments)).toEqual([ALICE_OID]);
  expect(task(cache).percentComplete).toBe(50);
});

test('a private incident\'s planning item is a task named by its label only: its text is not in the plan', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z');
  const [plan, org] = [PLANS[7], notPolling(PLANS[7])];
  const { incidents, runner } = world(org);
  const incident = await declare(incidents, { private: true });
  await add(incidents, org, incident, 'Rotate the leaked payroll credentials', { owner: BOB, due: '2027-02-01' });
  await runner.drain();
  const [task] = emulator.plannerTasks(plan);
  expect(task.title).toBe(`INC-${incident.number} #1: (private incident)`);
  expect(JSON.stringify(task)).not.toMatch(/payroll/);
  expect((await itemsOf(incident))[0].planner?.taskId).toBe(task.id);
});

test('people assigned in Planner stay assigned: done in Firebreak sends no assignments; a new owner replaces only the one Firebreak set', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z');
  const [plan, org] = [PLANS[8], notPolling(PLANS[8])];
  const { incidents, runner } = world(org);
  const incident = await declare(incidents);
  await add(incidents, org, incident, 'Add a bulkhead to the search client', { owner: BOB });
  await add(incidents, org, incident, 'Tune the autoscaler', { owner: BOB });
  await runner.drain();
  const [bulkhead, autoscaler] = (await itemsOf(incident)).map((i) => i.planner!.taskId);
  for (const id of [bulkhead, autoscaler]) emulator.assignPlannerTask(id, ALICE_OID, BOB_OID); // as Bob does in Planner
  await incidents.run(incident.id, { type: 'CloseFollowUp', n: 1, outcome: 'done', at: clock.toISOString(), by: jo });
  await incidents.run(incident.id, { type: 'SetFollowUpOwner', n: 2, owner: NO_ENTRA, at: clock.toISOString(), by: jo });
  await runner.drain();
  const task = (id: string) => emulator.plannerTasks(plan).find((t) => t.id === id)!;
  expect(task(bulkhead).percentComplete).toBe(100);
  expect(Object.keys(task(bulkhead).assignments).sort()).toEqual([ALICE_OID, BOB_OID].sort());
  expect(Object.keys(task(autoscaler).assignments)).toEqual([ALICE_OID]); // Bob was Firebreak's; the guest has no Entra id
});

test('with planner_poll_minutes unset, nothing is read back: no poll is set and Planner is not read', async () => {
  clock = new Date('2026-12-03T14:00:00.000Z');
  const org = notPolling(PLANS[4]);
  const { incidents, runner } = world(org);
  const incident = await declare(incidents);
  await add(incidents, org, incident, 'Rotate the signing keys');
  await runner.drain();
  const [item] = await itemsOf(incident);
  emulator.setPlannerTaskProgress(item.planner!.taskId, 100);
  const before = graphCalls(emulator).length;
  clock = new Date('2026-12-10T14:00:00.000Z'); // a week on
  await runner.drain();
  expect(graphCalls(emulator).slice(before)).toEqual([]);
  expect((await itemsOf(incident))[0].status).toBe('open');
  const exported = (await eventsOf(incident)).find((e) => e.type === 'FollowUpExported');
  expect(exported).toBeDefined();
  expect(exported).not.toHaveProperty('poll');
  expect((await store.effects()).filter((e) => e.kind === 'followup.planner-poll' && e.key.endsWith(PLANS[4]))).toEqual([]);
});

test('the emulator answers a PATCH or DELETE with a stale etag 412, and one without If-Match too', async () => {
  const graph = graphFor(emulator);
  const task = await graph.createPlannerTask({ planId: PLANS[5], title: 'Etag check' });
  emulator.setPlannerTaskProgress(task.id, 50); // a person's edit: the etag Firebreak holds is stale now
  const client = createGraphClient({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET, baseUrl: emulator.url, authorityHost: emulator.url, ca: emulator.ca, maxRetries: 0 });
  const status = (p: Promise<unknown>) => p.then(() => 200, (e: { statusCode?: number }) => e.statusCode);
  expect(await status(client.api(`/planner/tasks/${task.id}`).header('If-Match', task.etag).patch({ percentComplete: 100 }))).toBe(412);
  expect(await status(client.api(`/planner/tasks/${task.id}`).patch({ percentComplete: 100 }))).toBe(412);
  expect(await status(client.api(`/planner/tasks/${task.id}`).header('If-Match', task.etag).delete())).toBe(412);
  const fresh = (await graph.getPlannerTask(task.id))!;
  expect(fresh.etag).not.toBe(task.etag);
  expect(await status(client.api(`/planner/tasks/${task.id}`).header('If-Match', fresh.etag).delete())).toBe(200);
  expect(await graph.getPlannerTask(task.id)).toBeUndefined();
  // An assignment without its odata type is refused, as Planner does.
  expect(await status(client.api('/planner/tasks').post({ planId: PLANS[5], title: 'x', assignments: { [BOB_OID]: { orderHint: ' !' } } }))).toBe(400);
});
