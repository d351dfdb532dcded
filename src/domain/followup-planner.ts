import type { FollowUp, FollowUpAdded, FollowUpEdited, FollowUpEvent, FollowUpExported } from './followups';
import type { Person } from './values';

/**
 * Follow-up items in Microsoft Planner (issue 18 item 10): a planning item is exported as a task of the organisation's
 * plan (the command's policy names it; FollowUpAdded carries it), the task comes back as FollowUpExported, done and
 * deleted tasks are read back by polling when that is on, and an exported item's new owner or done follows it there.
 * The effects are carried out in src/workers/effects/followup-export.ts, -planner-poll.ts and -planner-update.ts.
 */

/** Make a planning item's Planner task, once (src/workers/effects/followup-export.ts). */
export interface ExportFollowUp {
  kind: 'followup.export';
  key: string;
  incidentId: string;
  notBefore?: string;
  coalesce?: boolean;
  payload: { n: number; planId: string };
}

/**
 * Read done and deleted tasks back from Planner: like the digest, one repeating effect for the whole service per plan
 * (one key), started by the first task recorded in that plan while the read-back is on.
 */
export interface PollPlanner {
  kind: 'followup.planner-poll';
  key: string;
  incidentId: string;
  notBefore: string;
  coalesce?: boolean;
  payload: { planId: string };
}
export const PLANNER_POLL_KEY = 'followup.planner-poll';

/** Who closes an item whose task was completed or deleted in Planner. */
export const PLANNER: Person = { id: 'microsoft-planner', name: 'Planner' };

/**
 * Bring an exported item's Planner task in step with what changed: its owner (`owner`: assign the owner it has when
 * the effect runs, and unassign `previous`, the Entra id Firebreak had assigned, if known), and done in Firebreak
 * (`done`). People assigned in Planner itself are left alone. (An effect written before `owner`/`done` were recorded
 * has neither: it assigns the current owner and completes a done item.)
 */
export interface UpdatePlannerTask {
  kind: 'followup.planner-update';
  key: string;
  incidentId: string;
  notBefore?: string;
  coalesce?: boolean;
  payload: { n: number; owner?: { previous?: string }; done?: true };
}

export type PlannerEffect = ExportFollowUp | PollPlanner | UpdatePlannerTask;

/** What the Planner side must do because of follow-up events, given the state after them. */
export function plannerEffects(events: readonly { type: string }[], state: { id: string; version: number; followUps?: FollowUp[] }): PlannerEffect[] {
  const incidentId = state.id;
  const effects: PlannerEffect[] = [];
  for (const e of events) {
    const event = e as FollowUpEvent;
    if (event.type === 'FollowUpAdded' && (event as FollowUpAdded).planner) {
      const { item, planner } = event as FollowUpAdded;
      effects.push({ kind: 'followup.export', key: `followup.export:${incidentId}:${item.n}`, incidentId, payload: { n: item.n, planId: planner!.planId } });
    }
    // An item the doc's action table moved to planning (a later due date) is exported then (the event names the plan).
    if (event.type === 'FollowUpEdited' && (event as FollowUpEdited).planner) {
      const { n, planner } = event as FollowUpEdited;
      effects.push({ kind: 'followup.export', key: `followup.export:${incidentId}:${n}`, incidentId, payload: { n, planId: planner!.planId } });
    }
    if (event.type === 'FollowUpExported' && (event as FollowUpExported).poll) {
      const { planner, poll } = event as FollowUpExported;
      effects.push({ kind: 'followup.planner-poll', key: `${PLANNER_POLL_KEY}:${planner.planId}`, incidentId, notBefore: poll!, payload: { planId: planner.planId } });
    }
  }
  return [...effects, ...plannerUpdates(events, state)];
}

/**
 * An exported item whose owner changed (a command, or the postmortem doc's action table), or which was done in
 * Firebreak, has its Planner task updated (what was done in Planner itself needs no update). A cancelled item's task
 * is left for people to delete in Planner.
 */
function plannerUpdates(events: readonly { type: string }[], state: { id: string; version: number; followUps?: FollowUp[] }): UpdatePlannerTask[] {
  const changes = new Map<number, UpdatePlannerTask['payload']>();
  for (const e of events) {
    const change = e as FollowUpEvent;
    const owner = change.type === 'FollowUpOwnerSet' || (change.type === 'FollowUpEdited' && change.owner !== undefined);
    const done = change.type === 'FollowUpClosed' && change.outcome === 'done' && change.by.id !== PLANNER.id;
    if (!owner && !done) continue;
    const n = (change as { n: number }).n;
    if (!state.followUps?.find((i) => i.n === n)?.planner) continue;
    const payload = changes.get(n) ?? { n };
    if (owner) {
      // The first change of a batch names whom Firebreak had assigned; the effect assigns the owner as it is then.
      const previous = (change as { previousOwner?: { aadObjectId?: string } }).previousOwner?.aadObjectId;
      payload.owner = payload.owner ?? (previous ? { previous } : {});
    }
    if (done) payload.done = true;
    changes.set(n, payload);
  }
  return [...changes.values()].map((payload) => ({ kind: 'followup.planner-update', key: `followup.planner-update:${state.id}:${payload.n}:${state.version}`, incidentId: state.id, payload }));
}
