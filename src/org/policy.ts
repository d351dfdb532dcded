/**
 * The `policy` section of the organisation file (issue 17 items 7-8, issue 18 items 1-3): severity words, update
 * cadence and the roles expected per severity, the incident managers told when an update is badly overdue, the IC
 * hand-off limit, the team break and the overdue threshold. Every value is optional: what is left out keeps today's
 * practice (src/domain/policy.ts DEFAULT_POLICY). The domain gets the resolved Policy on each declaration.
 */
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import type { RoleName, Severity } from '../domain/values';
import { isTimeZone } from '../oncall/rotation';
import type { OrgPerson } from './services';

/** Where a value is written (as src/org/service-checks.ts has it; not imported: it imports schema.ts, which imports this). */
type At = (path: (string | number)[]) => string;

const SEVERITIES = ['1', '2', '3', '4'] as const;
const MINUTES = (max: number) => ({ type: 'integer', minimum: 1, maximum: max });

export const POLICY_SECTION = {
  type: 'object',
  additionalProperties: false,
  properties: {
    time_zone: { type: 'string', minLength: 1, maxLength: 64 },
    severities: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        SEVERITIES.map((s) => [
          s,
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              meaning: { type: 'string', minLength: 1, maxLength: 200 },
              update_every_minutes: { type: 'integer', minimum: 5, maximum: 1440 },
              roles: { type: 'array', uniqueItems: true, maxItems: 4, items: { enum: ['comms', 'customer', 'business', 'sme'] } },
            },
          },
        ]),
      ),
    },
    incident_managers: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' } },
    handoff_after_minutes: MINUTES(24 * 60),
    break_minutes: MINUTES(120),
    escalate_overdue_after_minutes: MINUTES(24 * 60),
  },
} as const;

export interface RawPolicy {
  time_zone?: string;
  severities?: Partial<Record<(typeof SEVERITIES)[number], { meaning?: string; update_every_minutes?: number; roles?: RoleName[] }>>;
  incident_managers?: string[];
  handoff_after_minutes?: number;
  break_minutes?: number;
  escalate_overdue_after_minutes?: number;
}

/** The section as Firebreak reads it: the resolved policy and who the incident managers are (person ids). */
export interface OrgPolicy {
  policy: Policy;
  managers: string[];
}

/** What the schema cannot check: managers are people of the file, the time zone is a real one. */
export function policyChecks(raw: { policy?: RawPolicy; people?: { id: string }[] }, at: At): string[] {
  const problems: string[] = [];
  const policy = raw.policy;
  if (!policy) return problems;
  const people = new Set((raw.people ?? []).map((p) => p.id));
  (policy.incident_managers ?? []).forEach((id, i) => {
    if (!people.has(id)) problems.push(`${at(['policy', 'incident_managers', i])} unknown person "${id}" as an incident manager (not in people:${people.size ? ` ${[...people].slice(0, 10).join(', ')}` : ' the file lists nobody'})`);
  });
  if (policy.time_zone !== undefined && !isTimeZone(policy.time_zone)) {
    problems.push(`${at(['policy', 'time_zone'])} unknown time zone "${policy.time_zone}" (an IANA name, e.g. Europe/Berlin)`);
  }
  return problems;
}

/** The policy with today's values wherever the file says nothing; the status page's time zone when it names none. */
export function policyFromRaw(raw: RawPolicy | undefined, orgTimeZone?: string): OrgPolicy {
  const p = raw ?? {};
  const pick = <T>(field: (s: NonNullable<NonNullable<RawPolicy['severities']>[(typeof SEVERITIES)[number]]>) => T | undefined, fallback: Record<Severity, T>) =>
    Object.fromEntries(SEVERITIES.map((s) => [Number(s), (p.severities?.[s] && field(p.severities[s]!)) ?? fallback[Number(s) as Severity]])) as Record<Severity, T>;
  return {
    policy: {
      severityMeaning: pick((s) => s.meaning, DEFAULT_POLICY.severityMeaning),
      cadenceMinutes: pick((s) => s.update_every_minutes, DEFAULT_POLICY.cadenceMinutes),
      requiredRoles: pick((s) => s.roles, DEFAULT_POLICY.requiredRoles),
      handoffMinutes: p.handoff_after_minutes ?? DEFAULT_POLICY.handoffMinutes,
      breakMinutes: p.break_minutes ?? DEFAULT_POLICY.breakMinutes,
      overdueEscalationMinutes: p.escalate_overdue_after_minutes ?? DEFAULT_POLICY.overdueEscalationMinutes,
      timeZone: p.time_zone ?? orgTimeZone ?? DEFAULT_POLICY.timeZone,
    },
    managers: p.incident_managers ?? [],
  };
}

/** The incident managers, as people of the file. */
export function incidentManagers(org: { policy: OrgPolicy; people: OrgPerson[] } | undefined): OrgPerson[] {
  if (!org) return [];
  return org.policy.managers.map((id) => org.people.find((p) => p.id === id)).filter((p): p is OrgPerson => Boolean(p));
}
