import { followUpSettings } from '../org/followups';
import type { OrgFile } from '../org/schema';
import type { EffectHandler } from '../workers/runner';
import { followUpDigestRun } from '../workers/effects/followup-digest';
import { followUpRemind } from '../workers/effects/followup-remind';
import type { NotifyPersonDeps } from '../workers/effects/notify-person';

/** The follow-up effects' handlers, for the runner (main.ts wires them in one line). */
export function followUpHandlers(deps: Omit<NotifyPersonDeps, 'people'> & { org?: OrgFile }): Record<'followup.remind' | 'followup.digest', EffectHandler> {
  const notifyDeps = { ...deps, people: deps.org?.people ?? [] };
  return {
    'followup.remind': followUpRemind(notifyDeps),
    'followup.digest': followUpDigestRun({ ...notifyDeps, settings: () => followUpSettings(deps.org) }),
  };
}
