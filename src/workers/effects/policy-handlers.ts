import type { Incidents } from '../../app/incidents';
import type { OrgFile } from '../../org/schema';
import { incidentManagers } from '../../org/policy';
import { handoffPost } from './handoff-post';
import { handoffReminderEffect } from './handoff-reminder';
import type { NotifyPersonDeps } from './notify-person';
import { overdueEscalation } from './overdue-escalation';
import { personNotify } from './person-notify';

/** The policy's effect handlers (hand-off reminder and card, overdue escalation), wired by main.ts in one line. */
export function policyHandlers(deps: NotifyPersonDeps & { incidents: Incidents; org?: OrgFile }) {
  const managers = () => incidentManagers(deps.org).map((p) => ({ name: p.name, email: p.email, ...(p.aadObjectId && { teamsId: p.aadObjectId }) }));
  return {
    'reminder.handoff': handoffReminderEffect(deps),
    'handoff.post': handoffPost(deps),
    'escalate.overdue': overdueEscalation({ ...deps, managers }),
    'person.notify': personNotify(deps),
  };
}
