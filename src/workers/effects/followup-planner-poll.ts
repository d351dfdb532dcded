import { PLANNER, type PollPlanner } from '../../domain/followup-planner';
import type { Logger } from '../../log';
import type { Graph } from '../../graph/graph';
import { openItems } from '../../followups/query';
import type { ClaimedEffect } from '../../store/store';
import type { PlannerEffectDeps } from './followup-export';

/** While the read-back is switched off (after it had started), the effect only looks again this often, calling nobody. */
const IDLE_MS = 60 * 60_000;

/**
 * Reads done and cancelled items back from Planner (issue 18 item 10), every `followups.planner_poll_minutes`: each open
 * item with a task is closed as done when its task is at 100 %, and as cancelled when its task is gone (deleted in
 * Planner, or moved out of the plan), by "Planner"; the card and the lists show it as any closed item.
 *
 * One effect per plan for the whole service (its key names the plan), claimed under a lease by one replica at a time,
 * as the Monday digest is; closing an item twice changes nothing (CloseFollowUp of a closed item decides no event), so
 * a retry after a crash is harmless. The plan is read whole (Planner has no filter on it): one poll is one listing
 * (pages of ~400 tasks) plus one GET per task missing from it, to tell "deleted" from "not listed yet". Items exported
 * to a plan the organisation file no longer names are still read back from it.
 */
export function plannerPoll(deps: PlannerEffectDeps & { log: Logger }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<{ runAgainAt: string }> => {
    const { planId } = effect.payload as PollPlanner['payload'];
    const every = deps.settings().plannerPollMinutes;
    const now = deps.now().getTime();
    if (!every || !deps.graph) return { runAgainAt: new Date(now + IDLE_MS).toISOString() };
    const next = { runAgainAt: new Date(now + every * 60_000).toISOString() };
    try {
      const closed = await readBack(deps, deps.graph, planId, signal);
      if (closed) deps.log.info('follow-ups closed from Planner', { planId, closed });
    } catch (err) {
      if (signal.aborted) throw err;
      // A repeating read-back must not be given up (its key would be spent, and no item read back again): whatever
      // failed (Planner throttling or down, a permission withdrawn) is logged and tried again at the next interval.
      deps.log.warn('the Planner read-back failed; it tries again at the next interval', { planId, next: next.runAgainAt, error: (err as Error).message });
    }
    return next;
  };
}

/** Closes the open items of the plan whose tasks are complete or gone; how many it closed. */
async function readBack(deps: PlannerEffectDeps, graph: Graph, planId: string, signal: AbortSignal): Promise<number> {
  const exported = (await openItems(deps.store)).filter(({ item }) => item.planner?.planId === planId);
  if (!exported.length) return 0;
  const tasks = new Map((await graph.listPlannerTasks(planId, signal)).map((t) => [t.id, t]));
  let closed = 0;
  for (const { incident, item } of exported) {
    const { taskId } = item.planner!;
    const task = tasks.get(taskId) ?? (await graph.getPlannerTask(taskId, signal));
    const outcome = !task || task.planId !== planId ? 'cancelled' : task.percentComplete === 100 ? 'done' : undefined;
    if (!outcome) continue;
    const result = await deps.incidents.run(incident.id, { type: 'CloseFollowUp', n: item.n, outcome, at: deps.now().toISOString(), by: PLANNER });
    if (result.kind === 'changed') closed++;
  }
  return closed;
}
