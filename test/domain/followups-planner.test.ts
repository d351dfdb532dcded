import { plannerEffects, PLANNER } from '../../src/domain/followup-planner';
import { decideFollowUp, evolveFollowUps, type FollowUp, type FollowUpEvent, type FollowUpPolicy } from '../../src/domain/followups';
import { jo, sam } from './fixtures';

/** Issue 18 item 10: which items go to Planner, the task recorded, what follows it there. Given events, when command, then events. */
const AT = '2026-12-03T14:00:00.000Z'; // Thursday
const PLAN = 'xqQg5FS2LkCp935s-FIFm2QAFkHM';
const policy: FollowUpPolicy = { windowDays: 5, timeZone: 'Europe/Berlin', hour: 9, plannerPlanId: PLAN };

function given(events: FollowUpEvent[]): FollowUp[] {
  return events.reduce<FollowUp[]>((items, e) => evolveFollowUps(items, e), []);
}
function decided(command: Parameters<typeof decideFollowUp>[0], items: FollowUp[] = []): FollowUpEvent[] {
  const out = decideFollowUp(command, items);
  if ('refused' in out) throw new Error(out.refused);
  return out;
}

test('a planning item names the plan it goes to, and only then is it exported; a "now" item is not, nor any without a plan', () => {
  const add = (due: string | undefined, p = policy) => decided({ type: 'AddFollowUp', text: 'Shard the queue', ...(due && { due }), policy: p, at: AT, by: jo })[0];
  expect(add('2027-02-01')).toMatchObject({ planner: { planId: PLAN } });
  expect(add(undefined)).toMatchObject({ planner: { planId: PLAN } }); // undated: planning
  expect(add('2026-12-04')).not.toHaveProperty('planner'); // due tomorrow: now
  expect(add('2027-02-01', { ...policy, plannerPlanId: undefined })).not.toHaveProperty('planner');
  const exports = plannerEffects([add('2027-02-01'), add('2026-12-04')], { id: 'inc-1', version: 3 });
  expect(exports).toEqual([{ kind: 'followup.export', key: 'followup.export:inc-1:1', incidentId: 'inc-1', payload: { n: 1, planId: PLAN } }]);
});

test('the task is recorded once; its event starts the per-plan read-back only when it is on', () => {
  const items = given(decided({ type: 'AddFollowUp', text: 'Shard the queue', policy, at: AT, by: jo }));
  const record = (poll?: string) => decided({ type: 'RecordPlannerTask', n: 1, planId: PLAN, taskId: 't-1', ...(poll && { poll }), at: AT, by: jo }, items);
  const [exported] = record('2026-12-03T14:15:00.000Z');
  expect(given([...decided({ type: 'AddFollowUp', text: 'Shard the queue', policy, at: AT, by: jo }), exported])[0].planner).toEqual({ planId: PLAN, taskId: 't-1' });
  expect(plannerEffects([exported], { id: 'inc-1', version: 4 })).toEqual([{ kind: 'followup.planner-poll', key: `followup.planner-poll:${PLAN}`, incidentId: 'inc-1', notBefore: '2026-12-03T14:15:00.000Z', payload: { planId: PLAN } }]);
  expect(plannerEffects(record(), { id: 'inc-1', version: 4 })).toEqual([]);
  expect(decided({ type: 'RecordPlannerTask', n: 1, planId: PLAN, taskId: 't-1', at: AT, by: jo }, evolveFollowUps(items, exported))).toEqual([]);
});

test('an exported item handed over, or done in Firebreak, updates its task; done in Planner or cancelled, nothing is sent', () => {
  const added = decided({ type: 'AddFollowUp', text: 'Shard the queue', policy, at: AT, by: jo });
  const exported: FollowUpEvent = { type: 'FollowUpExported', n: 1, planner: { planId: PLAN, taskId: 't-1' }, at: AT, by: jo };
  const state = (items: FollowUp[]) => ({ id: 'inc-1', version: 7, followUps: items });
  const items = given([...added, exported]);
  const owner: FollowUpEvent = { type: 'FollowUpOwnerSet', n: 1, owner: sam, at: AT, by: jo };
  const closed = (outcome: 'done' | 'cancelled', by = jo): FollowUpEvent => ({ type: 'FollowUpClosed', n: 1, outcome, at: AT, by });
  expect(plannerEffects([owner], state(items))).toEqual([{ kind: 'followup.planner-update', key: 'followup.planner-update:inc-1:1:7', incidentId: 'inc-1', payload: { n: 1, owner: {} } }]);
  expect(plannerEffects([closed('done')], state(items)).map((e) => e.payload)).toEqual([{ n: 1, done: true }]); // no owner change: no assignments
  expect(plannerEffects([closed('done', PLANNER)], state(items))).toEqual([]);
  expect(plannerEffects([closed('cancelled')], state(items))).toEqual([]);
  expect(plannerEffects([owner], state(given(added)))).toEqual([]); // not exported (yet): the export reads the owner then
});

const withEntra = (p: typeof sam, oid: string) => ({ ...p, aadObjectId: oid });

test('a new owner names whom Firebreak had assigned, so only they are unassigned from the task', () => {
  const samE = withEntra(sam, 'oid-sam');
  const added = decided({ type: 'AddFollowUp', text: 'Shard the queue', owner: samE, policy, at: AT, by: jo });
  const exported: FollowUpEvent = { type: 'FollowUpExported', n: 1, planner: { planId: PLAN, taskId: 't-1' }, at: AT, by: jo };
  const items = given([...added, exported]);
  const handed = decided({ type: 'SetFollowUpOwner', n: 1, owner: withEntra(jo, 'oid-jo'), at: AT, by: jo }, items);
  expect(handed).toMatchObject([{ type: 'FollowUpOwnerSet', previousOwner: samE }]);
  expect(plannerEffects(handed, { id: 'inc-1', version: 8, followUps: given([...added, exported, ...handed]) }).map((e) => e.payload)).toEqual([{ n: 1, owner: { previous: 'oid-sam' } }]);
});

test('the postmortem doc\'s action table: a new (or cleared) owner of an exported item updates its task like a handover', () => {
  const samE = withEntra(sam, 'oid-sam');
  const added = decided({ type: 'AddFollowUp', text: 'Shard the queue', owner: samE, policy, at: AT, by: jo });
  const exported: FollowUpEvent = { type: 'FollowUpExported', n: 1, planner: { planId: PLAN, taskId: 't-1' }, at: AT, by: jo };
  const items = given([...added, exported]);
  const edit = (owner: typeof sam | null) => decided({ type: 'EditFollowUp', n: 1, owner, policy, at: AT, by: jo }, items);
  const after = (events: FollowUpEvent[]) => ({ id: 'inc-1', version: 9, followUps: given([...added, exported, ...events]) });
  expect(plannerEffects(edit(jo), after(edit(jo)))).toEqual([{ kind: 'followup.planner-update', key: 'followup.planner-update:inc-1:1:9', incidentId: 'inc-1', payload: { n: 1, owner: { previous: 'oid-sam' } } }]);
  expect(plannerEffects(edit(null), after(edit(null))).map((e) => e.payload)).toEqual([{ n: 1, owner: { previous: 'oid-sam' } }]);
  // A text edit changes no owner: nothing is sent (the text is not sent after the export).
  const text = decided({ type: 'EditFollowUp', n: 1, text: 'Shard the queue by tenant', policy, at: AT, by: jo }, items);
  expect(plannerEffects(text, after(text))).toEqual([]);
});

test('the action table moving an item to planning (a later due date) exports it, once, when the policy has a plan', () => {
  const added = decided({ type: 'AddFollowUp', text: 'Fix the alert', due: '2026-12-04', policy, at: AT, by: jo }); // now
  expect(plannerEffects(added, { id: 'inc-1', version: 2 })).toEqual([]);
  const items = given(added);
  const later = (p = policy, on = items) => decided({ type: 'EditFollowUp', n: 1, due: '2027-02-01', policy: p, at: AT, by: jo }, on);
  const moved = later();
  expect(moved).toMatchObject([{ type: 'FollowUpEdited', horizon: 'planning', planner: { planId: PLAN } }]);
  expect(plannerEffects(moved, { id: 'inc-1', version: 3, followUps: given([...added, ...moved]) })).toEqual([{ kind: 'followup.export', key: 'followup.export:inc-1:1', incidentId: 'inc-1', payload: { n: 1, planId: PLAN } }]);
  expect(plannerEffects(later({ ...policy, plannerPlanId: undefined }), { id: 'inc-1', version: 3 })).toEqual([]); // no plan
  const exported: FollowUpEvent = { type: 'FollowUpExported', n: 1, planner: { planId: PLAN, taskId: 't-1' }, at: AT, by: jo };
  expect(plannerEffects(later(policy, given([...added, exported])), { id: 'inc-1', version: 4 })).toEqual([]); // has its task
  const closed: FollowUpEvent = { type: 'FollowUpClosed', n: 1, outcome: 'done', at: AT, by: jo };
  expect(plannerEffects(later(policy, given([...added, closed])), { id: 'inc-1', version: 4 })).toEqual([]); // done already
});
