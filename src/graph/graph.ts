import { sendActivityNotification, type ActivityNotification } from './activity-feed';
import { ensureBridge, type Bridge, type BridgeRequest } from './bridge';
import { ensureChannel, type ChannelRequest, type IncidentChannel } from './channel';
import { addChannelMember, type ChannelMemberRequest } from './channel-member';
import { createGraphClient, type GraphClientOptions } from './client';
import { findSentMail, sendMail, type MailRequest } from './mail';
import { createPlannerTask, getPlannerTask, listPlannerTasks, updatePlannerTask, type PlannerTask, type PlannerTaskChange, type PlannerTaskRequest } from './planner';

/**
 * What the effect workers need from Microsoft Graph. Every method may run twice for one effect and does
 * the thing once; failures are OutsideErrors (retryable, permanent with the missing permission named...).
 * @example
 * const graph = createGraph({ tenantId, clientId, clientSecret, baseUrl: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com' });
 * const channel = await graph.ensureChannel({ teamId, incidentId, label: 'INC-42', number: 42, title, private: false, owners: [] });
 */
export interface Graph {
  ensureChannel(req: ChannelRequest, signal?: AbortSignal): Promise<IncidentChannel>;
  ensureBridge(req: BridgeRequest, signal?: AbortSignal): Promise<Bridge>;
  /** Adds a person to a private channel (someone who joined the incident). */
  addChannelMember(req: ChannelMemberRequest, signal?: AbortSignal): Promise<void>;
  sendMail(req: MailRequest, signal?: AbortSignal): Promise<void>;
  /** A Teams activity-feed notification to one person (paging). */
  sendActivityNotification(n: ActivityNotification, signal?: AbortSignal): Promise<void>;
  /**
   * Whether a mail sent with this key is in the sender's Sent Items (by its extended property): 'unknown' when the
   * app may not read that mailbox (no Mail.Read), so the caller decides without it.
   */
  findSentMail(sender: string, key: string, signal?: AbortSignal): Promise<'sent' | 'not-found' | 'unknown'>;
  /** Microsoft Planner (follow-up items of the planning horizon): create a task, read a plan's tasks or one, change one. */
  createPlannerTask(req: PlannerTaskRequest, signal?: AbortSignal): Promise<PlannerTask>;
  listPlannerTasks(planId: string, signal?: AbortSignal): Promise<PlannerTask[]>;
  /** undefined when the task is gone (deleted in Planner). */
  getPlannerTask(id: string, signal?: AbortSignal): Promise<PlannerTask | undefined>;
  /** Reads the task's etag and patches it (If-Match); false when the task is gone. */
  updatePlannerTask(id: string, change: PlannerTaskChange, signal?: AbortSignal): Promise<boolean>;
}

export interface GraphOptions extends GraphClientOptions {
  /** How long to wait before looking again for a channel whose name was just reported taken. */
  relistDelayMs?: number;
}

export function createGraph(opts: GraphOptions): Graph {
  const client = createGraphClient(opts);
  const relistDelayMs = opts.relistDelayMs ?? 2000;
  return {
    ensureChannel: (req, signal) => ensureChannel(client, req, relistDelayMs, signal),
    ensureBridge: (req, signal) => ensureBridge(client, req, signal),
    addChannelMember: (req, signal) => addChannelMember(client, req, signal),
    sendMail: (req, signal) => sendMail(client, req, signal),
    sendActivityNotification: (n, signal) => sendActivityNotification(client, n, signal),
    findSentMail: (sender, key, signal) => findSentMail(client, sender, key, signal),
    createPlannerTask: (req, signal) => createPlannerTask(client, req, signal),
    listPlannerTasks: (planId, signal) => listPlannerTasks(client, planId, signal),
    getPlannerTask: (id, signal) => getPlannerTask(client, id, signal),
    updatePlannerTask: (id, change, signal) => updatePlannerTask(client, id, change, signal),
  };
}

export type { ActivityNotification, Bridge, BridgeRequest, ChannelRequest, IncidentChannel, MailRequest, PlannerTask, PlannerTaskChange, PlannerTaskRequest };
