import { followUpsInForce, offParts, plannerWarning } from '../../src/startup-warnings';
import type { Config } from '../../src/config';
import { plannerEffects } from '../../src/domain/followup-planner';
import { decideFollowUp, type FollowUpEvent } from '../../src/domain/followups';
import { jo } from '../domain/fixtures';

/** Issue 18 item 10: a Planner plan in the organisation file with no way to reach Graph is said once at start. */
const GUID_A = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const org = (plannerPlanId?: string) => ({ followUps: { windowDays: 5, timeZone: 'Etc/UTC', hour: 9, ...(plannerPlanId && { plannerPlanId }) } }) as unknown as NonNullable<Config['status']['org']>;
const config = (graph: Partial<Config['graph']>, plan?: string) =>
  ({ graph: { emulate: false, tenantId: GUID_A, clientId: GUID_A, clientSecret: 's', ...graph }, status: { org: org(plan) } }) as unknown as Pick<Config, 'graph' | 'status'>;

test('a plan id with Graph unable to sign in is warned about; with credentials, in local mode, or without a plan, not', () => {
  expect(plannerWarning(config({ clientSecret: '' }, 'plan-1'))).toMatch(/^followups\.planner_plan_id is set but Microsoft Graph is off/);
  expect(plannerWarning(config({ tenantId: 'common' }, 'plan-1'))).toMatch(/planning items are not exported to Planner/);
  expect(plannerWarning(config({ clientSecret: '' }, 'plan-1'))).not.toMatch(/failed/); // none is attempted: nothing fails
  expect(plannerWarning(config({}, 'plan-1'))).toBeUndefined();
  expect(plannerWarning(config({ emulate: true, clientSecret: '' }, 'plan-1'))).toBeUndefined();
  expect(plannerWarning(config({ clientSecret: '' }))).toBeUndefined();
});

test('with only a Planner plan, the start line says Graph serves the Planner export alone, not that it is off', () => {
  const production = (plan?: string) =>
    ({ ...config({ teamId: '', organizerId: '', mailTo: [] }, plan), mode: 'production', google: { mode: 'off' }, addon: { mode: 'off' }, metrics: { mode: 'off' }, alerts: {} }) as unknown as Config;
  expect(offParts(production('plan-1'))[0]).toMatch(/^Microsoft Graph is used only for the Planner export: no incident channel/);
  expect(offParts(production())[0]).toMatch(/^Microsoft Graph is off: no incident channel/);
});

test('with Graph unable to sign in, a planning item is decided without the plan: no export effect, so no failure to report', () => {
  const exportsOf = (graph: Partial<Config['graph']>) => {
    const policy = followUpsInForce(config(graph, 'plan-1'))();
    const events = decideFollowUp({ type: 'AddFollowUp', text: 'Shard the queue', due: '2027-02-01', policy, at: '2026-12-03T14:00:00.000Z', by: jo }) as FollowUpEvent[];
    return plannerEffects(events, { id: 'inc-1', version: 2 }).map((e) => e.kind);
  };
  expect(exportsOf({ clientSecret: '' })).toEqual([]);
  expect(exportsOf({})).toEqual(['followup.export']);
  expect(followUpsInForce(config({ clientSecret: '' }, 'plan-1'))()).toEqual({ windowDays: 5, timeZone: 'Etc/UTC', hour: 9 });
});
