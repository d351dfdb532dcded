import type { Incidents } from '../app/incidents';
import type { Graph } from '../graph/graph';
import type { Logger } from '../log';
import { followUpSettings } from '../org/followups';
import type { OrgFile } from '../org/schema';
import type { Store } from '../store/store';
import { followUpExport } from '../workers/effects/followup-export';
import { plannerPoll } from '../workers/effects/followup-planner-poll';
import { plannerTaskUpdate } from '../workers/effects/followup-planner-update';
import type { EffectHandler } from '../workers/runner';

/**
 * The Planner effects' handlers (issue 18 item 10), for the runner. Always registered: an item exported while Graph
 * has no credentials fails in plain words rather than for want of a handler.
 */
export function plannerHandlers(deps: { store: Store; incidents: Incidents; graph?: Graph; org?: OrgFile; now: () => Date; log: Logger }): Record<'followup.export' | 'followup.planner-poll' | 'followup.planner-update', EffectHandler> {
  const common = { ...deps, settings: () => followUpSettings(deps.org) };
  return {
    'followup.export': followUpExport(common),
    'followup.planner-poll': plannerPoll(common),
    'followup.planner-update': plannerTaskUpdate(common),
  };
}
