import type { Incidents } from '../../app/incidents';
import type { OrgFile } from '../../org/schema';
import { incidentManagers } from '../../org/policy';
import type { Store } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';
import { handoffPost } from './handoff-post';
import { handoffReminderEffect } from './handoff-reminder';
import { overdueEscalation } from './overdue-escalation';

/** The policy's effect handlers (hand-off reminder and card, overdue escalation), wired by main.ts in one line. */
export function policyHandlers(deps: { store: Store; incidents: Incidents; teams: TeamsOutbox; now: () => Date; org?: OrgFile }) {
  const managers = () => incidentManagers(deps.org).map((p) => ({ name: p.name, email: p.email, ...(p.aadObjectId && { teamsId: p.aadObjectId }) }));
  return {
    'reminder.handoff': handoffReminderEffect(deps),
    'handoff.post': handoffPost(deps),
    'escalate.overdue': overdueEscalation({ ...deps, managers }),
  };
}
