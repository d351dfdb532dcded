import { createHash } from 'node:crypto';
import type { OrgFile } from '../org/schema';
import type { ComponentState, ComponentStatus, Impact, PublishedIncident } from '../store/status-page-store';

/**
 * The status page's public view in the shape of Atlassian Statuspage's public v2 API (field names and value sets as
 * in https://developer.statuspage.io — "Get the status rollup for the whole page. This endpoint includes an
 * indicator - one of none, minor, major, or critical, as well as a human description of the blended component
 * status. Examples of the blended status include 'All Systems Operational', 'Partial System Outage', and 'Major
 * Service Outage'."), so widgets and tools that read a Statuspage page read this one unchanged. Pure: built from
 * what was published and the organisation file, nothing internal.
 */

export type Indicator = 'none' | 'minor' | 'major' | 'critical';

const RANK: Record<Indicator, number> = { none: 0, minor: 1, major: 2, critical: 3 };
const DESCRIPTION: Record<Indicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
};

/** What a component's status says about the whole page. */
function componentIndicator(status: ComponentStatus): Indicator {
  switch (status) {
    case 'operational':
    case 'under_maintenance':
      return 'none';
    case 'degraded_performance':
      return 'minor';
    case 'partial_outage':
      return 'major';
    case 'major_outage':
      return 'critical';
    default: {
      const never: never = status;
      throw new Error(`unknown component status ${String(never)}`);
    }
  }
}

export interface StatusView {
  page: { id: string; name: string; url: string; time_zone: string; updated_at: string };
  status: { indicator: Indicator; description: string };
  components: ReturnType<typeof componentsOf>;
  /** Unresolved, newest first. */
  unresolved: ReturnType<typeof incidentOf>[];
  /** Every incident of the last 90 days, newest first. */
  incidents: ReturnType<typeof incidentOf>[];
}

/** A stable page id, Statuspage-like (12 lowercase characters), from the page's name and address. */
export function pageId(org: OrgFile, url: string): string {
  return BigInt(`0x${createHash('sha256').update(`${org.statusPage.name}\n${url}`).digest('hex').slice(0, 15)}`).toString(36).padStart(12, '0').slice(-12);
}

export function buildView(org: OrgFile, data: { incidents: PublishedIncident[]; components: ComponentState[] }, url: string, now: Date): StatusView {
  const id = pageId(org, url);
  const components = componentsOf(org, data.components, id, now);
  const incidents = data.incidents.map((i) => incidentOf(i, components, id, url));
  const unresolved = incidents.filter((i) => i.status !== 'resolved' && i.status !== 'postmortem');
  const worst = [...unresolved.map((i) => i.impact as Indicator), ...components.map((c) => componentIndicator(c.status))].reduce<Indicator>(
    (a, b) => (RANK[b] > RANK[a] ? b : a),
    'none',
  );
  const updatedAt = [...data.components.map((c) => c.updatedAt), ...data.incidents.map((i) => i.updatedAt)].sort().pop() ?? now.toISOString();
  return {
    page: { id, name: org.statusPage.name, url, time_zone: org.statusPage.timeZone, updated_at: updatedAt },
    status: { indicator: worst, description: DESCRIPTION[worst] },
    components,
    unresolved,
    incidents,
  };
}

function componentsOf(org: OrgFile, states: ComponentState[], pageId: string, now: Date) {
  return org.statusPage.components.map((c, i) => {
    const state = states.find((s) => s.id === c.id);
    const createdAt = state?.createdAt ?? now.toISOString();
    return {
      id: c.id,
      name: c.name,
      status: state?.status ?? ('operational' as ComponentStatus),
      created_at: createdAt,
      updated_at: state?.updatedAt ?? createdAt,
      position: i + 1,
      description: c.description ?? null,
      showcase: true,
      start_date: createdAt.slice(0, 10),
      group_id: null,
      page_id: pageId,
      group: false,
      only_show_if_degraded: false,
    };
  });
}

function incidentOf(incident: PublishedIncident, components: ReturnType<typeof componentsOf>, pageId: string, url: string) {
  const name = (id: string) => components.find((c) => c.id === id)?.name ?? id;
  const affected = new Set(incident.updates.flatMap((u) => u.affected.map((a) => a.id)));
  return {
    id: incident.id,
    name: incident.name,
    status: incident.status,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    monitoring_at: incident.monitoringAt,
    resolved_at: incident.resolvedAt,
    impact: incident.impact as Impact,
    shortlink: `${url}/#incident-${incident.id}`,
    started_at: incident.startedAt,
    page_id: pageId,
    // Statuspage lists an incident's updates newest first.
    incident_updates: [...incident.updates].reverse().map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: incident.id,
      created_at: u.createdAt,
      updated_at: u.createdAt,
      display_at: u.displayAt,
      affected_components: u.affected.map((a) => ({ code: a.id, name: name(a.id), old_status: a.oldStatus, new_status: a.newStatus })),
      deliver_notifications: true,
    })),
    components: components.filter((c) => affected.has(c.id)),
  };
}

/** The v2 API's documents, by path under /api/v2/. */
export function apiDocuments(view: StatusView): Record<string, unknown> {
  const { page, status, components, unresolved, incidents } = view;
  return {
    'summary.json': { page, status, components, incidents: unresolved, scheduled_maintenances: [] },
    'status.json': { page, status },
    'components.json': { page, components },
    'incidents.json': { page, incidents },
    'incidents/unresolved.json': { page, incidents: unresolved },
    'scheduled-maintenances.json': { page, scheduled_maintenances: [] },
    'scheduled-maintenances/upcoming.json': { page, scheduled_maintenances: [] },
    'scheduled-maintenances/active.json': { page, scheduled_maintenances: [] },
  };
}
