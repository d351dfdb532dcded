import { offParts, plannerWarning } from '../../src/startup-warnings';
import type { Config } from '../../src/config';

/** Issue 18 item 10: a Planner plan in the organisation file with no way to reach Graph is said once at start. */
const GUID_A = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const org = (plannerPlanId?: string) => ({ followUps: { windowDays: 5, timeZone: 'Etc/UTC', hour: 9, ...(plannerPlanId && { plannerPlanId }) } }) as unknown as NonNullable<Config['status']['org']>;
const config = (graph: Partial<Config['graph']>, plan?: string) =>
  ({ graph: { emulate: false, tenantId: GUID_A, clientId: GUID_A, clientSecret: 's', ...graph }, status: { org: org(plan) } }) as unknown as Pick<Config, 'graph' | 'status'>;

test('a plan id with Graph unable to sign in is warned about; with credentials, in local mode, or without a plan, not', () => {
  expect(plannerWarning(config({ clientSecret: '' }, 'plan-1'))).toMatch(/^followups\.planner_plan_id is set but Microsoft Graph is off/);
  expect(plannerWarning(config({ tenantId: 'common' }, 'plan-1'))).toMatch(/planning items are not exported to Planner/);
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
