import type { UpdatePlannerTask } from '../../domain/followup-planner';
import { OutsideError } from '../../outside-error';
import type { ClaimedEffect } from '../../store/store';
import type { PlannerEffectDeps } from './followup-export';

/**
 * An exported item's owner changed, or it was done in Firebreak: its Planner task is assigned to the owner now (when
 * they have an Entra object id; else to nobody) and completed if the item is done. It reads the item as it is when it
 * runs, so a later change is never undone by an earlier one; a task deleted meanwhile is left alone (the read-back
 * closes the item). The adapter reads the task's etag and patches with If-Match, reading again on a 412.
 */
export function plannerTaskUpdate(deps: Pick<PlannerEffectDeps, 'store' | 'graph'>) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { n } = effect.payload as UpdatePlannerTask['payload'];
    const incident = await deps.store.load(effect.incidentId!);
    const item = incident?.followUps?.find((i) => i.n === n);
    if (!item?.planner) return;
    if (!deps.graph) throw new OutsideError('permanent', 'updating the Planner task needs Microsoft Graph, and Graph has no credentials here');
    await deps.graph.updatePlannerTask(item.planner.taskId, { assigneeId: item.owner?.aadObjectId ?? null, ...(item.status === 'done' && { percentComplete: 100 as const }) }, signal);
  };
}
