import type { IncomingMessage } from 'node:http';
import { parseJson, type Reply } from '../http';
import { activityFeedRoute } from './activity-feed';
import { channelMembersRoute } from './channel-members';
import { channelsRoute } from './channels';
import { createEntra } from './entra';
import { badRequest, graphError } from './errors';
import { createFaults, type GraphFault } from './faults';
import { sendMailRoute } from './mail';
import { sentItemsRoute } from './sent-items';
import { createOrGetRoute, eventsRoute } from './meetings';
import { deleteTask, findTask, plannerRoute, setProgress } from './planner';
import type { Route } from './route';
import { teamsLinks, type GraphLinks } from './links';
import { emptyState, isGraphState, type ActivityNotificationRecord, type ChannelRecord, type EventRecord, type GraphState, type GraphTenant, type MeetingRecord, type PlannerTaskRecord, type SentMail } from './state';
import { listenHttps, type HttpsReply } from './tls';
import { readState, writeState } from '../state-file';

export interface RequestRecord {
  method: string;
  /** Path and query, as sent. */
  path: string;
  status: number | 'dropped';
  at: string;
}

/** A local Microsoft Graph (and the Entra token endpoint in front of it) over HTTPS. */
export interface GraphEmulator {
  /** `https://127.0.0.1:<port>`: Graph's base URL and the authority host for @azure/identity. */
  url: string;
  /** The self-signed certificate (PEM) to trust. */
  ca: string;
  tenant: GraphTenant;
  fault(f: GraphFault | undefined): void;
  /** Every request, in order, with the status it got. */
  requests: RequestRecord[];
  channels(teamId?: string): ChannelRecord[];
  meetings(): MeetingRecord[];
  events(): EventRecord[];
  mailbox(): SentMail[];
  /** Activity-feed notifications sent (POST /users/{id}/teamwork/sendActivityNotification). */
  activityNotifications(): ActivityNotificationRecord[];
  /** Planner tasks, of one plan or all. */
  plannerTasks(planId?: string): PlannerTaskRecord[];
  /**
   * As a person does in Planner: ticks the task off (100), or sets it in progress (50) or not started (0); the etag
   * changes, as it does for any edit. `userId` is who did it (completedBy).
   */
  setPlannerTaskProgress(taskId: string, percentComplete: 0 | 50 | 100, userId?: string): void;
  /** As a person deleting the task in Planner. */
  deletePlannerTask(taskId: string): void;
  /** As a person assigning someone (`userId`, an object id) to the task in Planner; the etag changes. */
  assignPlannerTask(taskId: string, userId: string, byUserId?: string): void;
  /** As if a channel of this name had been deleted: Teams keeps the name reserved. */
  reserveChannelName(teamId: string, name: string): void;
  close(): Promise<void>;
}

const ROUTES: Route[] = [channelsRoute, channelMembersRoute, createOrGetRoute, eventsRoute, sendMailRoute, sentItemsRoute, activityFeedRoute, plannerRoute];

export interface GraphEmulatorOptions {
  port?: number;
  /**
   * Keep the channels, meetings, events and mails in this JSON file across restarts (local mode): each change is
   * written before the emulator answers, so whatever Firebreak was told exists is still there after a crash.
   */
  stateFile?: string;
  /** The web links handed out (default: Teams' shapes); local mode links to its sandbox pages. */
  links?: GraphLinks;
  /** Planner's page size for a plan's tasks (Planner: about 400, fixed); tests make it small to see paging. */
  plannerPageSize?: number;
}

/**
 * Starts the emulator. Routes: the Entra endpoints MSAL needs (entra.ts), and under /v1.0 exactly
 * POST/GET /teams/{id}/channels, POST/GET /teams/{id}/channels/{id}/members, POST /users/{id}/onlineMeetings/createOrGet, POST /users/{id}/events,
 * POST /users/{id}/sendMail, GET /users/{id}/mailFolders/sentitems/messages, POST /users/{id}/teamwork/sendActivityNotification and
 * Planner tasks (POST /planner/tasks, GET|PATCH|DELETE /planner/tasks/{id}, GET /planner/plans/{id}/tasks). Anything else answers a loud 501 naming it. GET /_emulator/state lists what
 * it holds for the sandbox page. Differences from the real service: DEVIATIONS.md.
 */
export async function startGraphEmulator(tenant: GraphTenant, opts: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const state: GraphState = readState(opts.stateFile, emptyState, isGraphState);
  const links = opts.links ?? teamsLinks;
  const save = () => opts.stateFile && writeState(opts.stateFile, state);
  const entra = createEntra(tenant.tenantId, () => tenant.apps);
  const faults = createFaults();
  const requests: RequestRecord[] = [];
  let base = '';

  async function handle(req: IncomingMessage, body: string): Promise<HttpsReply> {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const entraPath = url.pathname.split('/').filter(Boolean);
    if (entraPath[0] === tenant.tenantId) {
      const rest = entraPath.slice(1).join('/');
      if (method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') return entra.openIdConfiguration(base);
      if (method === 'POST' && rest === 'oauth2/v2.0/token') return entra.token(body);
      if (method === 'GET' && rest === 'discovery/v2.0/keys') return entra.keys();
    }
    if (method === 'GET' && url.pathname === '/_emulator/state') return { status: 200, body: state };
    if (!url.pathname.startsWith('/v1.0/')) {
      return { status: 404, body: { error: 'not_found', error_description: `The emulator has no ${method} ${url.pathname}.` } };
    }
    return faults.apply(`${method} ${url.pathname}`, async () => graph(req, url, method, body));
  }

  function graph(req: IncomingMessage, url: URL, method: string, raw: string): Reply {
    const caller = entra.authenticate(req);
    if ('status' in caller) return caller;
    let body: unknown;
    if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
      if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) {
        return graphError(415, 'UnsupportedMediaType', `Content-Type '${req.headers['content-type'] ?? ''}' is not emulated; send application/json.`);
      }
      const parsed = parseJson(raw);
      if (!parsed.ok) return badRequest(`Unable to read JSON request payload: ${parsed.error}`);
      body = parsed.value;
    }
    const segments = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
    const ctx = { tenant, state, caller, base, method, segments, query: url.searchParams, body, links, headers: req.headers, plannerPageSize: opts.plannerPageSize };
    for (const route of ROUTES) {
      const reply = route(ctx);
      if (!reply) continue;
      if (method !== 'GET' && reply.status < 300) save();
      return reply;
    }
    return graphError(501, 'NotImplemented', `The Graph emulator does not implement ${method} ${url.pathname}.`);
  }

  const server = await listenHttps(async (req, body) => {
    const reply = await handle(req, body);
    requests.push({ method: req.method ?? '', path: req.url ?? '', status: 'drop' in reply ? 'dropped' : reply.status, at: new Date().toISOString() });
    return reply;
  }, opts.port ?? 0);
  base = server.url;

  return {
    url: server.url,
    ca: server.ca,
    tenant,
    fault: (f) => faults.set(f),
    requests,
    channels: (teamId) => state.channels.filter((c) => !teamId || c.teamId === teamId),
    meetings: () => state.meetings,
    events: () => state.events,
    mailbox: () => state.mailbox,
    activityNotifications: () => state.activityNotifications ?? [],
    plannerTasks: (planId) => (state.plannerTasks ?? []).filter((t) => !planId || t.planId === planId),
    setPlannerTaskProgress: (taskId, percent, userId) => {
      const task = findTask(state, taskId);
      if (!task) throw new Error(`no Planner task ${taskId}`);
      setProgress(task, percent, { user: { id: userId ?? 'someone' } }, new Date().toISOString());
      task.version += 1;
      save();
    },
    deletePlannerTask: (taskId) => {
      if (!deleteTask(state, taskId)) throw new Error(`no Planner task ${taskId}`);
      save();
    },
    assignPlannerTask: (taskId, userId, byUserId) => {
      const task = findTask(state, taskId);
      if (!task) throw new Error(`no Planner task ${taskId}`);
      task.assignments[userId] = { orderHint: ' !', assignedDateTime: new Date().toISOString(), assignedBy: { user: { id: byUserId ?? 'someone' } } };
      task.version += 1;
      save();
    },
    reserveChannelName: (teamId, name) => {
      state.deletedChannelNames.push({ teamId, name });
      save();
    },
    close: () => server.close(),
  };
}
