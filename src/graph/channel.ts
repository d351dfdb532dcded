import type { Client } from '@microsoft/microsoft-graph-client';
import { sleep } from '../abort';
import { OutsideError } from '../outside-error';
import { channelName } from './channel-name';
import { call, classifyGraphError, statusOf, type Operation } from './errors';

export interface ChannelRequest {
  /** The incident team's Entra group id (`channelData.team.aadGroupId`, not the 19:... thread id). */
  teamId: string;
  incidentId: string;
  label: string;
  number: number;
  title: string;
  private: boolean;
  /** Entra object ids made owners of a private channel (the commander and the declarer). */
  owners: string[];
}

export interface IncidentChannel {
  /** The channel's thread id, `19:...@thread.tacv2`: also its Bot Framework conversation id. */
  id: string;
  name: string;
  webUrl: string;
}

interface GraphChannel {
  id: string;
  displayName: string;
  description?: string | null;
  webUrl: string;
}

const LIST: Operation = {
  what: 'look up the incident channel',
  needs: 'the application permission Channel.ReadBasic.All (or the resource-specific ChannelSettings.Read.Group) with admin consent',
};
const CREATE: Operation = {
  what: 'create the incident channel',
  needs: 'the application permission Channel.Create (or the resource-specific Channel.Create.Group) with admin consent',
};
const SUFFIXES = ['', '-2', '-3', '-4', '-5'];

/**
 * Finds the channel this incident already has (made before a crash, or in a call whose answer was lost)
 * or creates it. Ours is recognised by the incident id in the channel's description, so a same-named
 * channel that is not ours (an older install, a person) is left alone and the next name is tried.
 */
export async function ensureChannel(client: Client, req: ChannelRequest, relistDelayMs: number, signal?: AbortSignal): Promise<IncidentChannel> {
  if (req.private && req.owners.length === 0) {
    throw new OutsideError('permanent', 'a private channel needs an owner, and neither the commander nor the declarer has a Microsoft Entra id');
  }
  const marker = `[firebreak:${req.incidentId}]`;
  const ours = (c: GraphChannel | undefined) => Boolean(c?.description?.includes(marker));
  const tried: string[] = [];
  for (const suffix of SUFFIXES) {
    const name = channelName(req.number, req.title, suffix);
    tried.push(name);
    const existing = await find(client, req.teamId, name, signal);
    if (existing) {
      if (ours(existing)) return view(existing);
      continue;
    }
    try {
      const created = await client.api(`/teams/${req.teamId}/channels`).option('signal', signal).post(body(req, name, marker));
      return view(created as GraphChannel);
    } catch (err) {
      if (!isNameTaken(err)) throw classifyGraphError(err, CREATE);
    }
    // Taken, yet not listed a moment ago: ours, made by a call whose answer was lost and not listed yet,
    // or a deleted channel's name (Teams keeps those reserved). Look once more before moving on.
    await sleep(relistDelayMs, signal);
    const again = await find(client, req.teamId, name, signal);
    if (ours(again)) return view(again!);
  }
  throw new OutsideError('permanent', `every channel name tried for ${req.label} is taken (${tried.join(', ')})`);
}

async function find(client: Client, teamId: string, name: string, signal?: AbortSignal): Promise<GraphChannel | undefined> {
  const page = await call(LIST, () =>
    client
      .api(`/teams/${teamId}/channels`)
      .option('signal', signal)
      .filter(`displayName eq '${name.replace(/'/g, "''")}'`)
      .select(['id', 'displayName', 'description', 'webUrl'])
      .get() as Promise<{ value: GraphChannel[] }>,
  );
  return page.value.find((c) => c.displayName.toLowerCase() === name.toLowerCase());
}

function body(req: ChannelRequest, name: string, marker: string): Record<string, unknown> {
  const description = `${req.label}: ${req.title}`.slice(0, 900);
  const base = { displayName: name, description: `${description} ${marker}`, membershipType: req.private ? 'private' : 'standard' };
  if (!req.private) return base;
  return {
    ...base,
    members: [...new Set(req.owners)].map((id) => ({
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${id}')`,
      roles: ['owner'],
    })),
  };
}

/**
 * A taken name (a live channel's, or a deleted one's: Teams keeps those reserved). Graph answers 400 BadRequest
 * "Channel name already existed, please use other name" (microsoftgraph/microsoft-graph-docs#6649, 2019;
 * camunda/connectors#99, 2023); an older report shows the code NameAlreadyExists with the same message
 * (microsoft-graph-docs-contrib#6387). So it is known by that message, whatever the status and code say; any other
 * refusal of the create is a real failure, not a reason to try the next name.
 */
function isNameTaken(err: unknown): boolean {
  return statusOf(err) !== undefined && /channel name already existed/i.test((err as Error).message ?? '');
}

function view(c: GraphChannel): IncidentChannel {
  return { id: c.id, name: c.displayName, webUrl: c.webUrl };
}
