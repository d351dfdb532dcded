import type { Client } from '@microsoft/microsoft-graph-client';
import { OutsideError } from '../outside-error';
import { call, classifyGraphError, statusOf, type Operation } from './errors';

/** A Planner task as Firebreak reads it back. */
export interface PlannerTask {
  id: string;
  planId: string;
  title: string;
  /** 0 not started, 50 in progress, 100 completed ("When set to 100, the task is considered completed"). */
  percentComplete: number;
  dueDateTime?: string;
  /** Entra object ids of the assignees. */
  assignees: string[];
  /** `@odata.etag`: what a PATCH must send as If-Match. */
  etag: string;
}

export interface PlannerTaskRequest {
  planId: string;
  title: string;
  /** An instant (ISO); Planner keeps DateTimeOffset in UTC and shows it as a date in each reader's zone. */
  due?: string;
  /** The owner's Entra object id, when the owner has one. */
  assigneeId?: string;
}

/**
 * What Firebreak changes on a task it made: whom it assigned, and whether it is complete. People assigned in Planner
 * itself are not Firebreak's to remove: only `unassign` (the owner Firebreak had assigned) is.
 */
export interface PlannerTaskChange {
  /** Add this assignee (an Entra object id), if not assigned yet. */
  assign?: string;
  /** Remove this assignee, if assigned (and not the one `assign` names). */
  unassign?: string;
  percentComplete?: 0 | 50 | 100;
}

const NEEDS = 'the application permission Tasks.ReadWrite.All with admin consent';
const CREATE: Operation = { what: 'create the follow-up task in Microsoft Planner (is followups.planner_plan_id a plan the app may write to?)', needs: NEEDS };
const READ: Operation = { what: "read the Planner plan's tasks", needs: `${NEEDS} (or Tasks.Read.All to read)` };
const UPDATE: Operation = { what: 'update the follow-up task in Microsoft Planner', needs: NEEDS };

/** "@odata.type": "#microsoft.graph.plannerAssignment" with an orderHint is required on each assignment (planner-overview, Tasks). */
const assignment = () => ({ '@odata.type': '#microsoft.graph.plannerAssignment', orderHint: ' !' });

/**
 * `POST /planner/tasks` (planner-post-tasks): 201 Created with the task. Planner has no idempotency key for it, so the
 * caller looks for the task first on a retry (src/workers/effects/followup-export.ts).
 */
export async function createPlannerTask(client: Client, req: PlannerTaskRequest, signal?: AbortSignal): Promise<PlannerTask> {
  const created = await call(CREATE, () =>
    client
      .api('/planner/tasks')
      .option('signal', signal)
      .post({
        planId: req.planId,
        title: req.title,
        ...(req.due && { dueDateTime: req.due }),
        ...(req.assigneeId && { assignments: { [req.assigneeId]: assignment() } }),
      }),
  );
  return taskOf(created);
}

/**
 * `GET /planner/plans/{plan-id}/tasks` (plannerplan-list-tasks), every page: Planner pages at a fixed size (~400) with
 * `@odata.nextLink` and takes no `$top` or `$filter`, so the whole plan is read.
 */
export async function listPlannerTasks(client: Client, planId: string, signal?: AbortSignal): Promise<PlannerTask[]> {
  const tasks: PlannerTask[] = [];
  let next: string | undefined = `/planner/plans/${encodeURIComponent(planId)}/tasks`;
  for (let pages = 0; next; pages++) {
    if (pages >= 100) throw new OutsideError('permanent', `the Planner plan ${planId} has more than 100 pages of tasks; Firebreak reads at most that many`);
    const path: string = next;
    const page = (await call(READ, () => client.api(path).option('signal', signal).get())) as { value: unknown[]; '@odata.nextLink'?: string };
    tasks.push(...page.value.map(taskOf));
    next = page['@odata.nextLink'];
  }
  return tasks;
}

/** `GET /planner/tasks/{id}` (plannertask-get); undefined when it is gone (deleted in Planner: 404). */
export async function getPlannerTask(client: Client, id: string, signal?: AbortSignal): Promise<PlannerTask | undefined> {
  try {
    return taskOf(await client.api(`/planner/tasks/${encodeURIComponent(id)}`).option('signal', signal).get());
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw classifyGraphError(err, READ);
  }
}

/**
 * `PATCH /planner/tasks/{id}` with `If-Match: <etag>` (plannertask-update): the task is read first for its etag. A 412
 * (someone changed it in between: "clients should read the resource again and get a new etag", planner-overview) reads
 * it again and retries, a few times. Returns false when the task is gone.
 */
export async function updatePlannerTask(client: Client, id: string, change: PlannerTaskChange, signal?: AbortSignal): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const task = await getPlannerTask(client, id, signal);
    if (!task) return false;
    const body: Record<string, unknown> = {};
    if (change.percentComplete !== undefined && task.percentComplete !== change.percentComplete) body.percentComplete = change.percentComplete;
    const assignments: Record<string, unknown> = {};
    // A PATCH's assignments are merged into the task's: a key set to null removes that assignee, the others stay.
    if (change.unassign && change.unassign !== change.assign && task.assignees.includes(change.unassign)) assignments[change.unassign] = null;
    if (change.assign && !task.assignees.includes(change.assign)) assignments[change.assign] = assignment();
    if (Object.keys(assignments).length) body.assignments = assignments;
    if (!Object.keys(body).length) return true;
    try {
      await client.api(`/planner/tasks/${encodeURIComponent(id)}`).option('signal', signal).header('If-Match', task.etag).patch(body);
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return false;
      if ((status === 412 || status === 409) && attempt < 3) continue;
      if (status === 412 || status === 409) throw new OutsideError('conflict', `the Planner task ${id} kept changing while Firebreak updated it (HTTP ${status})`, undefined, status);
      throw classifyGraphError(err, UPDATE);
    }
  }
}

function taskOf(raw: unknown): PlannerTask {
  const t = raw as { id: string; planId: string; title: string; percentComplete?: number; dueDateTime?: string; assignments?: Record<string, unknown>; '@odata.etag'?: string };
  return {
    id: t.id,
    planId: t.planId,
    title: t.title,
    percentComplete: t.percentComplete ?? 0,
    ...(t.dueDateTime && { dueDateTime: t.dueDateTime }),
    assignees: Object.keys(t.assignments ?? {}),
    etag: t['@odata.etag'] ?? '',
  };
}
