import { randomBytes } from 'node:crypto';
import type { Reply } from '../http';
import { badRequest, graphError, unknownProperty } from './errors';
import { hasRole, isObject, type RouteContext } from './route';
import { findUser, type GraphState, type PlannerTaskRecord } from './state';

/**
 * Microsoft Planner tasks, the calls Firebreak makes (planner-post-tasks, plannertask-get, plannerplan-list-tasks,
 * plannertask-update, plannertask-delete, v1.0). Application permission: "Application | Tasks.ReadWrite.All" for
 * create, update and delete; reads also take Tasks.Read.All.
 * Versioning (planner-overview, "Planner resource versioning"): "Planner versions all resources using etags. These
 * etags are returned with @odata.etag property on each resource. PATCH and DELETE requests require the last etag known
 * by the client to be specified with a If-Match header." A stale one answers 412 here (see DEVIATIONS.md).
 */
const WRITE = ['Tasks.ReadWrite.All'];
const READ = ['Tasks.Read.All', ...WRITE];
const TYPE = 'microsoft.graph.plannerTask';
/** Settable on create (plannerTask); read-only ones (id, createdBy, completedDateTime...) are refused by name. */
const CREATE_FIELDS = ['planId', 'title', 'dueDateTime', 'startDateTime', 'assignments', 'percentComplete', 'priority', 'orderHint', 'assigneePriority', 'appliedCategories', 'bucketId', 'conversationThreadId'];
/** plannertask-update's table. */
const UPDATE_FIELDS = ['appliedCategories', 'assigneePriority', 'assignments', 'bucketId', 'conversationThreadId', 'dueDateTime', 'orderHint', 'percentComplete', 'startDateTime', 'title', 'priority'];
/**
 * "Planner returns pages with fixed size today (not client controllable). When there are enough items (IIRC ~400),
 * the response will be broken into pages and next link will show up." (microsoftgraph/microsoft-graph-docs#6438)
 */
export const PLANNER_PAGE_SIZE = 400;

export function plannerRoute(ctx: RouteContext): Reply | undefined {
  const [planner, collection, id, sub, ...rest] = ctx.segments;
  if (planner !== 'planner') return undefined;
  if (collection === 'tasks' && id === undefined) {
    if (ctx.method !== 'POST') return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on /planner/tasks.`);
    return create(ctx);
  }
  if (collection === 'tasks' && id && sub === undefined) {
    if (ctx.method === 'GET') return get(ctx, id);
    if (ctx.method === 'PATCH') return update(ctx, id);
    if (ctx.method === 'DELETE') return remove(ctx, id);
    return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on /planner/tasks/{id}.`);
  }
  if (collection === 'plans' && id && sub === 'tasks' && !rest.length) {
    if (ctx.method !== 'GET') return graphError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on /planner/plans/{id}/tasks.`);
    return list(ctx, id, ctx.plannerPageSize ?? PLANNER_PAGE_SIZE);
  }
  return undefined; // the server's 501 names it (task details, buckets, plans themselves)
}

function create(ctx: RouteContext): Reply {
  if (!hasRole(ctx.caller, WRITE)) return forbidden();
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body.');
  const unknown = Object.keys(body).find((k) => !CREATE_FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, TYPE);
  if (typeof body.planId !== 'string' || !body.planId) return badRequest("The 'planId' property is required: the plannerPlan the task is made in.");
  // "The plannerTask planId property must be set to an existing plannerPlan object's ID."
  if (!(ctx.tenant.plans ?? []).some((p) => p.id === body.planId)) return graphError(404, 'NotFound', 'The requested item is not found.');
  if (typeof body.title !== 'string' || !body.title.trim()) return badRequest("The 'title' property is required.");
  const fields = checkFields(ctx, body);
  if ('status' in fields) return fields;
  const now = new Date().toISOString();
  const task: PlannerTaskRecord = {
    id: plannerId(),
    planId: body.planId,
    title: body.title,
    percentComplete: 0,
    assignments: {},
    createdDateTime: now,
    createdBy: { application: { id: ctx.caller.appId } },
    orderHint: `${Date.now()}`,
    version: 1,
  };
  apply(task, fields, ctx.caller.appId, now);
  (ctx.state.plannerTasks ??= []).push(task);
  return { status: 201, headers: { etag: etagOf(task) }, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#planner/tasks/$entity`, ...represent(task) } };
}

function get(ctx: RouteContext, id: string): Reply {
  if (!hasRole(ctx.caller, READ)) return forbidden();
  const task = findTask(ctx.state, id);
  if (!task) return notFound();
  return { status: 200, headers: { etag: etagOf(task) }, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#planner/tasks/$entity`, ...represent(task) } };
}

function list(ctx: RouteContext, planId: string, pageSize: number): Reply {
  if (!hasRole(ctx.caller, READ)) return forbidden();
  const other = [...ctx.query.keys()].find((k) => k !== '$skiptoken');
  // Planner takes no $top (fixed pages) and ignores or refuses most query options; the emulator names what it lacks.
  if (other) return graphError(501, 'NotImplemented', `The Graph emulator does not implement '${other}' on /planner/plans/{id}/tasks.`);
  if (!(ctx.tenant.plans ?? []).some((p) => p.id === planId)) return notFound();
  const skip = Number(ctx.query.get('$skiptoken') ?? 0);
  if (!Number.isInteger(skip) || skip < 0) return badRequest('The $skiptoken is not valid.');
  const all = (ctx.state.plannerTasks ?? []).filter((t) => t.planId === planId);
  const page = all.slice(skip, skip + pageSize);
  const next = skip + pageSize < all.length ? `${ctx.base}/v1.0/planner/plans/${encodeURIComponent(planId)}/tasks?$skiptoken=${skip + pageSize}` : undefined;
  return {
    status: 200,
    body: { '@odata.context': `${ctx.base}/v1.0/$metadata#planner/plans('${planId}')/tasks`, ...(next && { '@odata.nextLink': next }), value: page.map(represent) },
  };
}

function update(ctx: RouteContext, id: string): Reply {
  const task = writable(ctx, id);
  if ('status' in task) return task;
  const body = ctx.body;
  if (!isObject(body)) return badRequest('Empty or invalid request body.');
  const unknown = Object.keys(body).find((k) => !UPDATE_FIELDS.includes(k));
  if (unknown) return unknownProperty(unknown, TYPE);
  if ('title' in body && (typeof body.title !== 'string' || !body.title.trim())) return badRequest("The 'title' property cannot be empty.");
  const fields = checkFields(ctx, body);
  if ('status' in fields) return fields;
  const now = new Date().toISOString();
  if (typeof body.title === 'string') task.title = body.title;
  apply(task, fields, ctx.caller.appId, now);
  task.version += 1;
  // Without `Prefer: return=representation` Planner answers 204 No Content; with it, 200 and the task.
  const wantsBody = /return=representation/i.test(String(ctx.headers?.prefer ?? ''));
  return wantsBody ? { status: 200, headers: { etag: etagOf(task) }, body: represent(task) } : { status: 204, headers: { etag: etagOf(task) } };
}

function remove(ctx: RouteContext, id: string): Reply {
  const task = writable(ctx, id);
  if ('status' in task) return task;
  deleteTask(ctx.state, id);
  return { status: 204 };
}

interface Fields {
  dueDateTime?: string | null;
  startDateTime?: string | null;
  percentComplete?: number;
  priority?: number;
  orderHint?: string;
  assignments?: Record<string, { orderHint: string } | null>;
}

/** The typed fields of a create or an update, checked as Planner's "Common Planner error conditions" (400) list them. */
function checkFields(ctx: RouteContext, body: Record<string, unknown>): Fields | Reply {
  const out: Fields = {};
  for (const name of ['dueDateTime', 'startDateTime'] as const) {
    const v = body[name];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d\d-\d\dT/.test(v))) return badRequest(`Cannot convert the literal '${String(v)}' to the expected type 'Edm.DateTimeOffset'.`);
    out[name] = v as string | null;
  }
  if (body.percentComplete !== undefined) {
    const p = body.percentComplete;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 100) return badRequest('percentComplete must be an integer from 0 to 100.');
    out.percentComplete = p;
  }
  if (body.priority !== undefined) {
    const p = body.priority;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 10) return badRequest('priority must be an integer from 0 to 10.');
    out.priority = p;
  }
  if (body.bucketId !== undefined || body.appliedCategories !== undefined || body.conversationThreadId !== undefined || body.assigneePriority !== undefined) {
    return graphError(501, 'NotImplemented', 'The Graph emulator does not implement buckets, categories, conversation threads or assignee priority on Planner tasks.');
  }
  if (body.orderHint !== undefined) {
    if (typeof body.orderHint !== 'string') return badRequest('orderHint must be a string.');
    out.orderHint = body.orderHint;
  }
  if (body.assignments !== undefined) {
    if (!isObject(body.assignments)) return badRequest('assignments must be a plannerAssignments object keyed by user id.');
    out.assignments = {};
    for (const [userId, value] of Object.entries(body.assignments)) {
      if (value === null) {
        out.assignments[userId] = null; // an update removes that assignee
        continue;
      }
      // "plannerAssignments properties with complex values need to declare @odata.type property with value microsoft.graph.plannerAssignment".
      if (!isObject(value) || value['@odata.type'] !== '#microsoft.graph.plannerAssignment') {
        return badRequest(`The assignment of '${userId}' must declare "@odata.type": "#microsoft.graph.plannerAssignment".`);
      }
      // "the orderHint property on the assignment must be specified" (planner-overview, Tasks).
      if (typeof value.orderHint !== 'string') return badRequest(`The assignment of '${userId}' needs an orderHint.`);
      if (!findUser(ctx.tenant, userId) || findUser(ctx.tenant, userId)!.id !== userId) return badRequest(`The user '${userId}' is not a valid assignee: assignments are keyed by the user's object id.`);
      out.assignments[userId] = { orderHint: value.orderHint };
    }
  }
  const due = 'dueDateTime' in out ? out.dueDateTime : undefined;
  const start = 'startDateTime' in out ? out.startDateTime : undefined;
  if (due && start && Date.parse(start) > Date.parse(due)) return badRequest('The start date of the task is later than its due date.');
  return out;
}

function apply(task: PlannerTaskRecord, fields: Fields, appId: string, now: string): void {
  for (const name of ['dueDateTime', 'startDateTime'] as const) {
    if (fields[name] === null) delete task[name];
    else if (fields[name]) task[name] = new Date(fields[name]!).toISOString();
  }
  if (fields.priority !== undefined) task.priority = fields.priority;
  if (fields.orderHint !== undefined) task.orderHint = fields.orderHint;
  for (const [userId, a] of Object.entries(fields.assignments ?? {})) {
    if (a === null) delete task.assignments[userId];
    else task.assignments[userId] = { orderHint: a.orderHint, assignedDateTime: now, assignedBy: { application: { id: appId } } };
  }
  if (fields.percentComplete !== undefined) setProgress(task, fields.percentComplete, { application: { id: appId } }, now);
}

/** completedDateTime: "Date and time at which the 'percentComplete' of the task is set to '100'." */
export function setProgress(task: PlannerTaskRecord, percent: number, by: PlannerTaskRecord['createdBy'], now: string): void {
  task.percentComplete = percent;
  if (percent === 100) {
    task.completedDateTime ??= now;
    task.completedBy ??= by;
  } else {
    delete task.completedDateTime;
    delete task.completedBy;
  }
}

/** The task a PATCH or DELETE may change: the caller may write, it exists, and If-Match names its current etag. */
function writable(ctx: RouteContext, id: string): PlannerTaskRecord | Reply {
  if (!hasRole(ctx.caller, WRITE)) return forbidden();
  const task = findTask(ctx.state, id);
  if (!task) return notFound();
  const ifMatch = ctx.headers?.['if-match'];
  if (ifMatch === undefined) return graphError(412, 'PreconditionFailed', 'The If-Match header is required: send the last known etag of the task.');
  if (ifMatch === '*' || ifMatch === etagOf(task)) return task;
  return graphError(412, 'PreconditionFailed', 'The If-Match header does not match the current version of the task: read it again and retry.');
}

export function findTask(state: GraphState, id: string): PlannerTaskRecord | undefined {
  return (state.plannerTasks ?? []).find((t) => t.id === id);
}

export function deleteTask(state: GraphState, id: string): boolean {
  const before = state.plannerTasks?.length ?? 0;
  state.plannerTasks = (state.plannerTasks ?? []).filter((t) => t.id !== id);
  return state.plannerTasks.length < before;
}

/** Planner's etags look like W/"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc=": a quoted base64 that grows with the version. */
export function etagOf(task: PlannerTaskRecord): string {
  return `W/"${Buffer.from(`'1-Task  ${String(task.version).padStart(16, '0')}'`).toString('base64')}"`;
}

function represent(task: PlannerTaskRecord): Record<string, unknown> {
  const { version: _v, assignments, ...rest } = task;
  return {
    '@odata.etag': etagOf(task),
    ...rest,
    assignments: Object.fromEntries(Object.entries(assignments).map(([k, a]) => [k, { '@odata.type': '#microsoft.graph.plannerAssignment', ...a }])),
  };
}

/** Planner ids are 28 characters, case-sensitive (planner-identifiers-disclaimer). */
function plannerId(): string {
  return randomBytes(21).toString('base64url');
}

// Planner's 403 for a missing permission; the wording is the emulator's (it names the permission).
const forbidden = () => graphError(403, 'Forbidden', `You do not have the required permissions to access this item: the app needs ${WRITE.join(' or ')} (or Tasks.Read.All to read).`);
const notFound = () => graphError(404, 'NotFound', 'The requested item is not found.');
