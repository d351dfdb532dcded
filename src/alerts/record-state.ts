import type { Incidents } from '../app/incidents';
import { SYSTEM } from '../workers/effects/system';
import { firingCount, type AlertGroup } from './group';

/** The group's state onto the incident (its card and timeline: src/domain/alert-state.ts), once per group version. */
export async function recordAlertState(deps: { incidents: Incidents; now: () => Date }, g: AlertGroup): Promise<void> {
  await deps.incidents.run(
    g.incident!.id,
    { type: 'RecordAlertState', title: g.title, status: g.status, firing: firingCount(g), ...(g.status === 'resolved' && g.resolvedAt && { resolvedAt: g.resolvedAt }), at: deps.now().toISOString(), by: SYSTEM },
    { inboundKey: `alert-state:${g.key}:${g.episode}:v${g.version}` },
  );
}
