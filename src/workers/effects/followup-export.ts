import type { Incidents } from '../../app/incidents';
import { instantAt } from '../../domain/followup-dates';
import type { ExportFollowUp } from '../../domain/followup-planner';
import type { FollowUp } from '../../domain/followups';
import type { Incident } from '../../domain/incident';
import { incidentLabel } from '../../domain/messages';
import type { Graph } from '../../graph/graph';
import type { FollowUpSettings } from '../../org/followups';
import { OutsideError } from '../../outside-error';
import type { ClaimedEffect, Store } from '../../store/store';
import { SYSTEM } from './system';

export interface PlannerEffectDeps {
  store: Store;
  incidents: Incidents;
  /** Absent when Microsoft Graph has no credentials: the export then fails in plain words (and at start, a warning). */
  graph?: Graph;
  settings: () => FollowUpSettings;
  now: () => Date;
}

/** Planner shows titles on its board cards: kept to this many characters (the item's full text stays in Firebreak). */
const TITLE_MAX = 255;

/**
 * A planning item becomes a task in the configured Planner plan (issue 18 item 10), once: assigned to its owner when
 * the owner has an Entra object id, due at midday of its due date in the organisation's time zone (Planner keeps a UTC
 * instant and shows a date in each reader's zone: midday reads as the same date from UTC-11 to UTC+12). The task's id
 * comes back as FollowUpExported, which completes the effect.
 *
 * Exactly once: `POST /planner/tasks` takes no idempotency key. So an attempt notes on the effect, under its lease,
 * that it is about to create the task; an attempt that finds that note (the one before crashed, or timed out after the
 * POST went out) first lists the plan and takes the task whose title starts with this item's label ("INC-42 #3: "),
 * and creates one only if there is none. The label is also what people see in Planner.
 *
 * One-way at creation: later changes of the item's text or due date are not sent (there are no such commands today);
 * its owner and its done state are (followup-planner-update.ts).
 */
export function followUpExport(deps: PlannerEffectDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { n, planId, creating } = effect.payload as ExportFollowUp['payload'] & { creating?: true };
    const incident = await deps.store.load(effect.incidentId!);
    const item = incident?.followUps?.find((i) => i.n === n);
    if (!incident || !item) throw new OutsideError('not-found', `follow-up #${n} of incident ${effect.incidentId} is gone`);
    if (item.planner) return; // recorded by an earlier attempt
    if (item.status !== 'open') return; // closed before it was exported: there is nothing to plan
    if (!deps.graph) throw new OutsideError('permanent', 'the Planner export needs Microsoft Graph, and Graph has no credentials here (see the warning at start)');
    const label = taskLabel(incident, item);
    let task = creating ? (await deps.graph.listPlannerTasks(planId, signal)).find((t) => t.title.startsWith(label)) : undefined;
    if (!task) {
      if (!creating) await deps.store.noteEffectProgress(effect, { creating: true });
      const { timeZone } = deps.settings();
      task = await deps.graph.createPlannerTask(
        {
          planId,
          title: taskTitle(incident, item, label),
          ...(item.due && { due: instantAt(item.due, 12, timeZone) }),
          ...(item.owner?.aadObjectId && { assigneeId: item.owner.aadObjectId }),
        },
        signal,
      );
    }
    const now = deps.now();
    const every = deps.settings().plannerPollMinutes;
    const poll = every ? new Date(now.getTime() + every * 60_000).toISOString() : undefined;
    await deps.incidents.run(incident.id, { type: 'RecordPlannerTask', n, planId, taskId: task.id, ...(poll && { poll }), at: now.toISOString(), by: SYSTEM }, { completesEffect: effect });
  };
}

/**
 * What the task is called in Planner, read by everyone in the plan: a private incident's item is named by its label
 * only, as the CSV and JSON export name it (src/reports/export.ts); its due date and owner are no more than the export
 * shows either. The item's text stays with the incident's responders.
 */
function taskTitle(incident: Pick<Incident, 'private'>, item: Pick<FollowUp, 'text'>, label: string): string {
  return `${label}${incident.private ? PRIVATE_TITLE : item.text}`.slice(0, TITLE_MAX);
}
const PRIVATE_TITLE = '(private incident)';

/** "INC-42 #3: ": how a task is known as this item's, in Planner and by a retry. */
export function taskLabel(incident: Pick<Incident, 'number'>, item: Pick<FollowUp, 'n'>): string {
  return `${incidentLabel(incident)} #${item.n}: `;
}
