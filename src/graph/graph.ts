import { ensureBridge, type Bridge, type BridgeRequest } from './bridge';
import { ensureChannel, type ChannelRequest, type IncidentChannel } from './channel';
import { createGraphClient, type GraphClientOptions } from './client';
import { sendMail, type MailRequest } from './mail';

/**
 * What the effect workers need from Microsoft Graph. Every method may run twice for one effect and does
 * the thing once; failures are OutsideErrors (retryable, permanent with the missing permission named...).
 * @example
 * const graph = createGraph({ tenantId, clientId, clientSecret, baseUrl: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com' });
 * const channel = await graph.ensureChannel({ teamId, incidentId, label: 'INC-42', number: 42, title, private: false, owners: [] });
 */
export interface Graph {
  ensureChannel(req: ChannelRequest): Promise<IncidentChannel>;
  ensureBridge(req: BridgeRequest): Promise<Bridge>;
  sendMail(req: MailRequest): Promise<void>;
}

export interface GraphOptions extends GraphClientOptions {
  /** How long to wait before looking again for a channel whose name was just reported taken. */
  relistDelayMs?: number;
}

export function createGraph(opts: GraphOptions): Graph {
  const client = createGraphClient(opts);
  const relistDelayMs = opts.relistDelayMs ?? 2000;
  return {
    ensureChannel: (req) => ensureChannel(client, req, relistDelayMs),
    ensureBridge: (req) => ensureBridge(client, req),
    sendMail: (req) => sendMail(client, req),
  };
}

export type { Bridge, BridgeRequest, ChannelRequest, IncidentChannel, MailRequest };
