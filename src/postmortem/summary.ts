import type { Incident } from '../domain/incident';
import { formatDuration } from '../domain/figures';

/**
 * The stakeholder summary (issue 18 item 7) in seed 003's outline: acknowledge the problem and apologise; explain
 * what went wrong and why; what was done to fix it and what will prevent it; apologise again. Plain words, no
 * flourish. What the postmortem doc already says (its cause and prevention sections) is used; what it does not say
 * yet is left as a bracketed prompt for the customer liaison to fill before anything is published.
 */
export interface SummaryInput {
  incident: Incident;
  /** Whom the public knows us as (the status page's name). */
  organisation: string;
  /** The doc's "Cause" and "Steps to prevent recurrence" paragraphs, without the template's guidance. */
  cause: string[];
  prevention: string[];
  /** Seconds customers were affected, when known (time to mitigate). */
  impactSeconds?: number;
  /** The resolution's summary (`resolve confirm <summary>`). */
  resolution?: string;
}

export function stakeholderSummary(s: SummaryInput): string[] {
  const { incident } = s;
  const when = incident.declaredAt.slice(0, 10);
  const lasted = s.impactSeconds !== undefined ? ` for about ${formatDuration(s.impactSeconds)}` : '';
  const fixed = s.resolution;
  return [
    `On ${when}, ${s.organisation} had a problem${lasted}: [what customers saw, in their words]. We are sorry for the disruption this caused you.`,
    `What went wrong: ${s.cause.length ? s.cause.join(' ') : '[what went wrong and why, in plain words; the systems, not the people]'}`,
    `What we did: ${fixed ?? '[how it was fixed]'} What will prevent it: ${s.prevention.length ? s.prevention.join(' ') : '[the changes that keep it from happening again]'}`,
    `We apologise again. We take the reliability of ${s.organisation} seriously, and we will keep you informed.`,
  ];
}

