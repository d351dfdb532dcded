/**
 * The organisation file's shape (FIREBREAK_ORG_FILE), as a JSON Schema checked at start, and the types the rest of
 * Firebreak reads. One entry per top-level section: later issues add theirs (`services` and `policy` for experts and
 * paging, `alerts` for monitoring labels) as one more entry here and one more check in src/org/checks.ts, without
 * renaming what is here. Keys are snake_case, like the template variables.
 */

import { POSTMORTEM_SECTION, postmortemFromRaw, type PostmortemSettings, type RawPostmortem } from './postmortem';
import { FOLLOWUPS_SECTION, followUpsFromRaw, type FollowUpSettings, type RawFollowUps } from './followups';
import { POLICY_SECTION, policyFromRaw, type OrgPolicy, type RawPolicy } from './policy';
import { ALERTS_SECTION, alertsFromRaw, type AlertsSection, type RawAlertsSection } from './alerts';
import { PEOPLE_SECTION, personFromRaw, serviceFromRaw, SERVICES_SECTION, type OrgPerson, type RawPerson, type RawService, type Service } from './services';

export const MOMENTS = ['first_contact', 'update', 'resolution', 'postmortem_summary'] as const;
export type Moment = (typeof MOMENTS)[number];

/** A template: its body, and for the status page a public title (the incident's name there). */
export interface Template {
  title?: string;
  body: string;
}

/**
 * When an audience is ticked on `update`'s card: `always`, `customer_impact` (customers are affected), or `sev1`…`sev4`
 * (the incident is at least that severe). Any one that holds ticks it. Defaults in src/org/audiences.ts.
 */
export type Preselect = 'always' | 'customer_impact' | 'sev1' | 'sev2' | 'sev3' | 'sev4';

export interface Audience {
  id: string;
  name: string;
  channels: { teams?: string; mail?: string; statusPage: boolean };
  templates: Partial<Record<Moment, Template>>;
  /** As written in the file; absent means the defaults (src/org/audiences.ts). */
  preselect?: Preselect[];
  /** Minutes between this audience's updates; absent: the incident's cadence (src/domain/cadence.ts). */
  everyMinutes?: number;
}

export interface PublicComponent {
  id: string;
  name: string;
  description?: string;
}

export interface OrgFile {
  /** Where it was read from (for messages). */
  path: string;
  statusPage: { name: string; timeZone: string; components: PublicComponent[] };
  audiences: Audience[];
  /** Who can be called (src/org/services.ts); empty when the file lists nobody. */
  people: OrgPerson[];
  /** The services directory: experts, dependencies, escalation (src/org/services.ts). */
  services: Service[];
  /** Review invitations and due dates of postmortems (src/org/postmortem.ts). */
  postmortem: PostmortemSettings;
  /** Follow-up items: window, time zone, reminder hour, Planner plan (src/org/followups.ts); defaults without the section. */
  followUps?: FollowUpSettings;
  /** The organisation's policy, today's practice where the file says nothing (src/org/policy.ts). */
  policy: OrgPolicy;
  /** Which labels of a monitoring alert name its service and severity (src/org/alerts.ts); defaults when absent. */
  alerts: AlertsSection;
}

const ID = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' };
const TEXT = { type: 'string', minLength: 1, maxLength: 2000 };
const TEMPLATE = {
  oneOf: [
    TEXT,
    {
      type: 'object',
      additionalProperties: false,
      required: ['body'],
      properties: { title: { type: 'string', minLength: 1, maxLength: 200 }, body: TEXT },
    },
  ],
};

const SECTIONS = {
  status_page: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'components'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      time_zone: { type: 'string', minLength: 1 },
      components: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: { id: ID, name: { type: 'string', minLength: 1, maxLength: 100 }, description: { type: 'string', maxLength: 500 } },
        },
      },
    },
  },
  audiences: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'channels', 'templates'],
      properties: {
        id: ID,
        preselect: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['always', 'customer_impact', 'sev1', 'sev2', 'sev3', 'sev4'] } },
        every_minutes: { type: 'integer', minimum: 5, maximum: 1440 },
        name: { type: 'string', minLength: 1, maxLength: 100 },
        channels: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            teams: { type: 'string', pattern: '^19:.+@thread\\.(tacv2|skype)$' },
            mail: { type: 'string', pattern: '^[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+$' },
            status_page: { type: 'boolean' },
          },
        },
        templates: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: Object.fromEntries(MOMENTS.map((m) => [m, TEMPLATE])),
        },
      },
    },
  },
  people: PEOPLE_SECTION,
  services: SERVICES_SECTION,
  postmortem: POSTMORTEM_SECTION,
  followups: FOLLOWUPS_SECTION,
  policy: POLICY_SECTION,
  alerts: ALERTS_SECTION,
} as const;

export const ORG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['status_page', 'audiences'],
  properties: { version: { const: 1 }, ...SECTIONS },
} as const;

/** The file as written (snake_case), after the schema accepted it. */
export interface RawOrgFile {
  version?: 1;
  status_page: { name: string; time_zone?: string; components: PublicComponent[] };
  audiences: {
    id: string;
    name: string;
    channels: { teams?: string; mail?: string; status_page?: boolean };
    templates: Partial<Record<Moment, string | Template>>;
    preselect?: Preselect[];
    every_minutes?: number;
  }[];
  people?: RawPerson[];
  services?: RawService[];
  postmortem?: RawPostmortem;
  followups?: RawFollowUps;
  policy?: RawPolicy;
  alerts?: RawAlertsSection;
}

export function fromRaw(raw: RawOrgFile, path: string): OrgFile {
  return {
    path,
    statusPage: { name: raw.status_page.name, timeZone: raw.status_page.time_zone ?? 'Etc/UTC', components: raw.status_page.components },
    audiences: raw.audiences.map((a) => ({
      id: a.id,
      name: a.name,
      channels: { ...(a.channels.teams && { teams: a.channels.teams }), ...(a.channels.mail && { mail: a.channels.mail }), statusPage: a.channels.status_page === true },
      templates: Object.fromEntries(Object.entries(a.templates).map(([m, t]) => [m, typeof t === 'string' ? { body: t } : t])),
      ...(a.preselect && { preselect: a.preselect }),
      ...(a.every_minutes !== undefined && { everyMinutes: a.every_minutes }),
    })),
    people: (raw.people ?? []).map(personFromRaw),
    services: (raw.services ?? []).map(serviceFromRaw),
    postmortem: postmortemFromRaw(raw.postmortem),
    followUps: followUpsFromRaw(raw.followups, raw.status_page.time_zone ?? 'Etc/UTC'),
    policy: policyFromRaw(raw.policy, raw.status_page.time_zone),
    alerts: alertsFromRaw(raw.alerts),
  };
}

/** The audience whose channel is the status page (at most one: checked at start). */
export function publicAudience(org: OrgFile): Audience | undefined {
  return org.audiences.find((a) => a.channels.statusPage);
}
