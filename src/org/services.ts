/**
 * The `people` and `services` sections of the organisation file (issue 17): who can be called, and for each service
 * who is on call (a rotation or a fixed list), what it depends on and who is called when nobody answers. Paging
 * (issue 17 items 5-7) and alerts (issue 20: a label names a service or one of its aliases) read the same entries.
 */

import { STATUS_PAGE_POLICIES, type StatusPagePolicy } from './alerts';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Someone the organisation can call. `aadObjectId` lets paging open a 1:1 chat with them (issue 17 item 5). */
export interface OrgPerson {
  id: string;
  name: string;
  email: string;
  aadObjectId?: string;
}

/**
 * A rotation: `members` take turns, handing over every day or every week at `time` (HH:MM, wall clock) in `timeZone`.
 * `start` is the local date of the first member's first shift (for weekly rotations, a `day`).
 */
export interface Rotation {
  kind: 'rotation';
  members: string[];
  every: 'day' | 'week';
  /** Weekly rotations only. */
  day?: Weekday;
  time: string;
  timeZone: string;
  start: string;
}

/** Always the same people (a small team that shares the pager). */
export interface FixedExperts {
  kind: 'fixed';
  people: string[];
}

export interface Service {
  name: string;
  aliases: string[];
  description?: string;
  team?: string;
  /** The service's Teams channel (19:…@thread.tacv2). */
  channel?: string;
  dependsOn: string[];
  experts: Rotation | FixedExperts;
  /** A person id: called when the on-call people do not answer (paging). */
  escalation?: string;
  /**
   * Paging (src/paging/): how long each person paged has to acknowledge before the next is called, and whether a
   * monitoring alert's card (issue 20) pages the on-call person by itself.
   */
  paging?: { ackMinutes?: number; onAlert?: boolean };
  /** The status page component this service shows as (a `status_page.components` id): declared from an alert. */
  component?: string;
  /** Declared from an alert: publish the first-contact update by itself, offer it, or not (src/org/alerts.ts). */
  statusPage: StatusPagePolicy;
}

/** Without `paging: { ack_minutes }` on the service, each step of a page waits this long (issue 17 item 6). */
export const DEFAULT_ACK_MINUTES = 5;

const NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' };
const PERSON_IDS = { type: 'array', maxItems: 100, items: NAME };

export const PEOPLE_SECTION = {
  type: 'array',
  maxItems: 5000,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'email'],
    properties: {
      id: NAME,
      name: { type: 'string', minLength: 1, maxLength: 100 },
      email: { type: 'string', pattern: '^[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+$' },
      aad_object_id: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
    },
  },
} as const;

export const SERVICES_SECTION = {
  type: 'array',
  maxItems: 1000,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'experts'],
    properties: {
      name: NAME,
      aliases: { type: 'array', maxItems: 20, items: NAME },
      description: { type: 'string', minLength: 1, maxLength: 500 },
      team: { type: 'string', minLength: 1, maxLength: 100 },
      channel: { type: 'string', pattern: '^19:.+@thread\\.(tacv2|skype)$' },
      depends_on: { type: 'array', maxItems: 50, items: NAME },
      escalation: NAME,
      paging: { type: 'object', additionalProperties: false, minProperties: 1, properties: { ack_minutes: { type: 'integer', minimum: 1, maximum: 120 }, on_alert: { type: 'boolean' } } },
      component: NAME,
      status_page: { enum: STATUS_PAGE_POLICIES },
      experts: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        properties: {
          people: PERSON_IDS,
          rotation: {
            type: 'object',
            additionalProperties: false,
            required: ['members', 'every', 'time', 'time_zone', 'start'],
            properties: {
              members: PERSON_IDS,
              every: { enum: ['day', 'week'] },
              day: { enum: WEEKDAYS },
              time: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
              time_zone: { type: 'string', minLength: 1, maxLength: 64 },
              start: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
            },
          },
        },
      },
    },
  },
} as const;

export interface RawPerson {
  id: string;
  name: string;
  email: string;
  aad_object_id?: string;
}

export interface RawService {
  name: string;
  aliases?: string[];
  description?: string;
  team?: string;
  channel?: string;
  depends_on?: string[];
  escalation?: string;
  paging?: { ack_minutes?: number; on_alert?: boolean };
  component?: string;
  status_page?: StatusPagePolicy;
  experts: { people?: string[]; rotation?: { members: string[]; every: 'day' | 'week'; day?: Weekday; time: string; time_zone: string; start: string } };
}

export function personFromRaw(p: RawPerson): OrgPerson {
  return { id: p.id, name: p.name, email: p.email.toLowerCase(), ...(p.aad_object_id && { aadObjectId: p.aad_object_id.toLowerCase() }) };
}

export function serviceFromRaw(s: RawService): Service {
  const r = s.experts.rotation;
  const experts: Rotation | FixedExperts = r
    ? { kind: 'rotation', members: r.members, every: r.every, ...(r.day && { day: r.day }), time: r.time, timeZone: r.time_zone, start: r.start }
    : { kind: 'fixed', people: s.experts.people ?? [] };
  return {
    name: s.name,
    aliases: s.aliases ?? [],
    ...(s.description && { description: s.description }),
    ...(s.team && { team: s.team }),
    ...(s.channel && { channel: s.channel }),
    dependsOn: s.depends_on ?? [],
    experts,
    ...(s.escalation && { escalation: s.escalation }),
    ...(s.paging && { paging: { ...(s.paging.ack_minutes !== undefined && { ackMinutes: s.paging.ack_minutes }), ...(s.paging.on_alert !== undefined && { onAlert: s.paging.on_alert }) } }),
    ...(s.component && { component: s.component }),
    statusPage: s.status_page ?? 'ask',
  };
}

/** The service named `text` (its name or one of its aliases, any case), or undefined. */
export function findService(services: readonly Service[], text: string): Service | undefined {
  const wanted = text.trim().toLowerCase();
  return services.find((s) => s.name === wanted || s.aliases.includes(wanted));
}
