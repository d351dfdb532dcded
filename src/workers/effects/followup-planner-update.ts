import type { UpdatePlannerTask } from '../../domain/followup-planner';
import { OutsideError } from '../../outside-error';
import type { ClaimedEffect } from '../../store/store';
import type { PlannerEffectDeps } from './followup-export';

/**
 * An exported item's owner changed, or it was done in Firebreak: its Planner task follows what changed (the payload
 * says which). A new owner is assigned as the item has it when this runs (when they have an Entra object id), so a
 * later change is never undone by an earlier one, and the owner Firebreak had assigned before is unassigned; people
 * assigned in Planner itself stay. Done completes the task and sends no assignments. A task deleted meanwhile is left
 * alone (the read-back closes the item). The adapter reads the task's etag and patches with If-Match, reading again
 * on a 412.
 */
export function plannerTaskUpdate(deps: Pick<PlannerEffectDeps, 'store' | 'graph'>) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { n, owner, done } = effect.payload as UpdatePlannerTask['payload'];
    const incident = await deps.store.load(effect.incidentId!);
    const item = incident?.followUps?.find((i) => i.n === n);
    if (!item?.planner) return;
    if (!deps.graph) throw new OutsideError('permanent', 'updating the Planner task needs Microsoft Graph, and Graph has no credentials here');
    const legacy = !owner && !done; // written before the payload said what changed: assign the owner, complete if done
    const assign = owner || legacy ? item.owner?.aadObjectId : undefined;
    const change = { ...(assign && { assign }), ...(owner?.previous && { unassign: owner.previous }), ...((done || legacy) && item.status === 'done' && { percentComplete: 100 as const }) };
    if (!Object.keys(change).length) return;
    await deps.graph.updatePlannerTask(item.planner.taskId, change, signal);
  };
}
