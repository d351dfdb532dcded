import type { Incidents } from '../app/incidents';
import type { ResourceKind } from '../domain/incident';
import type { StoredEffect } from '../store/store';
import { SYSTEM } from './effects/system';

const RESOURCE_OF: Partial<Record<StoredEffect['kind'], ResourceKind>> = {
  'channel.create': 'channel',
  'bridge.create': 'bridge',
  'doc.create': 'doc',
};

/** When Firebreak stops trying to create a resource, the card and the conversation say so plainly. */
export function reportGiveUp(incidents: Incidents, now: () => Date) {
  return async (effect: StoredEffect, reason: string): Promise<void> => {
    if (!effect.incidentId) return;
    if (effect.kind === 'mail.send') {
      await incidents.run(effect.incidentId, { type: 'RecordMailFailed', detail: reason, at: now().toISOString(), by: SYSTEM });
      return;
    }
    const resource = RESOURCE_OF[effect.kind];
    if (!resource) return;
    await incidents.run(effect.incidentId, {
      type: 'RecordResourceTrouble',
      resource,
      detail: reason,
      final: true,
      at: now().toISOString(),
      by: SYSTEM,
    });
  };
}

/** Records that creating a resource is failing and will be retried (the card shows "retrying"). */
export async function reportRetrying(incidents: Incidents, incidentId: string, resource: ResourceKind, reason: string, now: () => Date): Promise<void> {
  await incidents.run(incidentId, { type: 'RecordResourceTrouble', resource, detail: reason, final: false, at: now().toISOString(), by: SYSTEM });
}
