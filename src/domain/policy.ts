import type { RoleName, Severity } from './values';
import { ROLE_LABEL, SEVERITY_MEANING } from './vocabulary';

/**
 * The organisation's rules for running an incident (issue 17 item 8, issue 18 items 1-3), resolved from the `policy`
 * section of the organisation file (src/org/policy.ts) with today's practice as defaults. The domain reads no files:
 * the declaration carries the policy (IncidentDeclared.policy), so an incident keeps the rules it was declared under
 * and every view of it (card, follow-ups, reminders) reads the same ones.
 */
export interface Policy {
  /** One line per severity, shown wherever a severity is chosen or displayed. */
  severityMeaning: Record<Severity, string>;
  /** Minutes between stakeholder updates, per severity (held to 60 while customers are affected: cadence.ts). */
  cadenceMinutes: Record<Severity, number>;
  /** Roles the organisation expects filled at each severity (a customer liaison is expected with customer impact). */
  requiredRoles: Record<Severity, RoleName[]>;
  /** An IC in command longer than this is reminded to hand off, then every hour (seed 002: before exhaustion). */
  handoffMinutes: number;
  /** The team break once impact ends, or before a long procedure (seed 002: about 15 minutes). */
  breakMinutes: number;
  /** An update overdue by this long notifies the incident managers (issue 17 item 7). */
  overdueEscalationMinutes: number;
  /** IANA zone the break's "back at HH:MM" is told in. */
  timeZone: string;
}

/** Today's practice (DOMAIN.md, seeds 000-003): what an organisation without a `policy` section gets. */
export const DEFAULT_POLICY: Policy = {
  severityMeaning: SEVERITY_MEANING,
  cadenceMinutes: { 1: 30, 2: 60, 3: 120, 4: 240 },
  requiredRoles: { 1: ['business'], 2: ['business'], 3: [], 4: [] },
  handoffMinutes: 180,
  breakMinutes: 15,
  overdueEscalationMinutes: 30,
  timeZone: 'UTC',
};

/** After a first reminder to hand off, the next ones come this often while the same IC stays in command. */
export const HANDOFF_REMIND_AGAIN_MINUTES = 60;

/** The policy an incident runs under: the one it was declared with, else today's defaults. */
export function policyOf(incident: { policy?: Partial<Policy> }): Policy {
  return incident.policy ? { ...DEFAULT_POLICY, ...incident.policy } : DEFAULT_POLICY;
}

/** "Critical: a core service is down…" in the organisation's words. */
export function severityMeaning(incident: { policy?: Partial<Policy> }, severity: Severity): string {
  return policyOf(incident).severityMeaning[severity];
}

/**
 * Why a role is expected at this severity, in words: "from severity 2 upward" when every more severe level expects
 * it too (today's business liaison), else "at severity N".
 */
export function expectedAt(policy: Policy, role: RoleName, severity: Severity): string {
  const levels = ([1, 2, 3, 4] as Severity[]).filter((s) => policy.requiredRoles[s].includes(role));
  const top = Math.max(...levels) as Severity;
  const contiguous = levels.length === top && top > 1;
  return contiguous ? `from severity ${top} upward` : `at severity ${severity}`;
}

/** "No business liaison yet (expected from severity 2 upward)." for each role the policy expects and nobody fills. */
export function missingPolicyRoles(incident: { policy?: Partial<Policy>; severity: Severity; roles: { comms?: unknown; customer?: unknown; business?: unknown; sme: unknown[] } }): string[] {
  const policy = policyOf(incident);
  return policy.requiredRoles[incident.severity]
    .filter((role) => (role === 'sme' ? incident.roles.sme.length === 0 : !incident.roles[role]))
    .map((role) => `No ${role === 'sme' ? 'subject-matter expert' : ROLE_LABEL[role].toLowerCase()} yet (expected ${expectedAt(policy, role, incident.severity)}).`);
}

/** "15:45 UTC", or "16:45 (Europe/Berlin)" in the organisation's zone: a wall-clock time people can act on. */
export function clockTime(iso: string, timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `${iso.slice(11, 16)} UTC`;
  const hhmm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));
  return `${hhmm} (${timeZone})`;
}

/** `iso` plus `minutes`, as ISO. */
export function plusMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}
