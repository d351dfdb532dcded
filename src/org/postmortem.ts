import { isTimeZone } from '../oncall/rotation';

/** Where a value is written, as service-checks.ts's `At` (not imported: it imports schema.ts, which imports this). */
type At = (path: (string | number)[]) => string;

/**
 * The organisation file's `postmortem` section (issue 18 items 4 and 6): who of the engineering leadership is
 * invited to every postmortem review (seed 004: the people who set priorities and budgets), and when a postmortem
 * is due — this many working days after resolving, counted on `time_zone`'s calendar (default: the status page's).
 *
 * ```yaml
 * postmortem:
 *   leadership: [dana, lee]     # people ids
 *   due_working_days: 5
 *   time_zone: Europe/Berlin
 * ```
 */
export interface PostmortemSettings {
  leadership: string[];
  dueWorkingDays: number;
  timeZone?: string;
}

export interface RawPostmortem {
  leadership?: string[];
  due_working_days?: number;
  time_zone?: string;
}

export const POSTMORTEM_SECTION = {
  type: 'object',
  additionalProperties: false,
  properties: {
    leadership: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' } },
    due_working_days: { type: 'integer', minimum: 1, maximum: 60 },
    time_zone: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

export const DEFAULT_POSTMORTEM: PostmortemSettings = { leadership: [], dueWorkingDays: 5 };

export function postmortemFromRaw(raw: RawPostmortem | undefined): PostmortemSettings {
  return {
    leadership: raw?.leadership ?? [],
    dueWorkingDays: raw?.due_working_days ?? DEFAULT_POSTMORTEM.dueWorkingDays,
    ...(raw?.time_zone && { timeZone: raw.time_zone }),
  };
}

/** What the schema cannot check: every leader is a person of the file, the time zone is a real one. */
export function postmortemChecks(raw: { postmortem?: RawPostmortem; people?: { id: string }[] }, at: At): string[] {
  const problems: string[] = [];
  const people = new Set((raw.people ?? []).map((p) => p.id));
  (raw.postmortem?.leadership ?? []).forEach((id, i) => {
    if (!people.has(id)) problems.push(`${at(['postmortem', 'leadership', i])} unknown person "${id}" as engineering leadership (not in people)`);
  });
  const zone = raw.postmortem?.time_zone;
  if (zone && !isTimeZone(zone)) problems.push(`${at(['postmortem', 'time_zone'])} unknown time zone "${zone}" (an IANA name, e.g. Europe/Berlin)`);
  return problems;
}
