import type { ResourceKind } from '../domain/incident';
import type { PostmortemTerms } from '../domain/postmortem';
import type { OrgFile } from '../org/schema';

/**
 * What resolving needs to know to start the postmortem: the organisation's due rule (its `postmortem` section; the
 * status page's time zone when it names none; 5 working days in UTC without a file), and whether a doc can be made.
 */
export function postmortemTerms(deps: { org?: OrgFile; provisioning?: readonly ResourceKind[] }): PostmortemTerms {
  const settings = deps.org?.postmortem;
  return {
    dueWorkingDays: settings?.dueWorkingDays ?? 5,
    timeZone: settings?.timeZone ?? deps.org?.statusPage.timeZone ?? 'UTC',
    doc: deps.provisioning?.includes('doc') ?? false,
  };
}
