import type { FollowUpPolicy } from '../domain/followups';
import { isTimeZone } from '../oncall/rotation';

/**
 * The organisation file's `followups` section (issue 18 items 8-10): which items are "now" (due within `window_days`
 * working days: they need an owner), the time zone their dates are read in, the hour reminders and the Monday digest
 * go out, the Planner plan that planning items are exported to, and how often done and deleted tasks are read back
 * from it (`planner_poll_minutes`; absent: never). Every key is optional; without the section the defaults hold (5
 * working days, the status page's time zone, 09:00, no Planner).
 */
export interface FollowUpSettings extends FollowUpPolicy {
  /** Microsoft Planner plan id (Graph `planId`) for planning items; absent: no export. */
  plannerPlanId?: string;
}

export interface RawFollowUps {
  window_days?: number;
  time_zone?: string;
  digest_hour?: number;
  planner_plan_id?: string;
  planner_poll_minutes?: number;
}

export const FOLLOWUPS_SECTION = {
  type: 'object',
  additionalProperties: false,
  properties: {
    window_days: { type: 'integer', minimum: 0, maximum: 60 },
    time_zone: { type: 'string', minLength: 1, maxLength: 64 },
    digest_hour: { type: 'integer', minimum: 0, maximum: 23 },
    planner_plan_id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    planner_poll_minutes: { type: 'integer', minimum: 1, maximum: 1440 },
  },
} as const;

export const DEFAULT_FOLLOW_UPS: FollowUpSettings = { windowDays: 5, timeZone: 'Etc/UTC', hour: 9 };

export function followUpsFromRaw(raw: RawFollowUps | undefined, fallbackZone: string): FollowUpSettings {
  return {
    windowDays: raw?.window_days ?? DEFAULT_FOLLOW_UPS.windowDays,
    timeZone: raw?.time_zone ?? fallbackZone,
    hour: raw?.digest_hour ?? DEFAULT_FOLLOW_UPS.hour,
    ...(raw?.planner_plan_id && { plannerPlanId: raw.planner_plan_id }),
    ...(raw?.planner_plan_id && raw.planner_poll_minutes && { plannerPollMinutes: raw.planner_poll_minutes }),
  };
}

/** Where a value is written (`file:line:col`), as service-checks.ts's `At` (not imported: schema.ts imports this file). */
type At = (path: (string | number)[]) => string;

/** What the schema cannot check: the time zone is one Intl knows; a Planner read-back has a plan to read. */
export function followUpChecks(raw: { followups?: RawFollowUps }, at: At): string[] {
  const zone = raw.followups?.time_zone;
  const problems = zone !== undefined && !isTimeZone(zone) ? [`${at(['followups', 'time_zone'])} unknown time zone "${zone}" (an IANA name, e.g. Europe/Berlin)`] : [];
  if (raw.followups?.planner_poll_minutes !== undefined && !raw.followups.planner_plan_id) problems.push(`${at(['followups', 'planner_poll_minutes'])} reads tasks back from Planner, but no planner_plan_id is set`);
  return problems;
}

/** The settings in force: the file's, or the defaults without one. */
export function followUpSettings(org: { followUps?: FollowUpSettings } | undefined): FollowUpSettings {
  return org?.followUps ?? DEFAULT_FOLLOW_UPS;
}
