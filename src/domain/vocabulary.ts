import type { Phase, RoleName, Severity } from './values';

/** One line per severity, shown wherever a severity is chosen or displayed (DOMAIN.md, seed 000). */
export const SEVERITY_MEANING: Record<Severity, string> = {
  1: 'Critical: a core service is down or data is at risk for many customers',
  2: 'Major: a key feature is broken or badly degraded for many customers',
  3: 'Minor: degraded or broken for some customers, with a workaround',
  4: 'Low: little or no customer impact; needs attention, not urgency',
};

export const PHASE_MEANING: Record<Phase, string> = {
  0: 'Discovery: something smells wrong',
  1: 'Stop the bleeding: quick mitigation of the immediate issue',
  2: 'Full resolution: clearing the remaining hot spots',
  3: 'Learn and rebuild: postmortem and action items',
};

export const ROLE_LABEL: Record<RoleName, string> = {
  comms: 'Communications lead',
  customer: 'Customer liaison',
  business: 'Business liaison',
  sme: 'Subject-matter experts',
};

export const ROLE_NAMES: readonly RoleName[] = ['comms', 'customer', 'business', 'sme'];

export function isSeverity(n: number): n is Severity {
  return Number.isInteger(n) && n >= 1 && n <= 4;
}

export function isPhase(n: number): n is Phase {
  return Number.isInteger(n) && n >= 0 && n <= 3;
}

export const LIMITS = {
  title: 200,
  description: 4000,
  note: 2000,
  update: 1500,
} as const;
