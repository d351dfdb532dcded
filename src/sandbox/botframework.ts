import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import jwt from 'jsonwebtoken';
import { connectorError } from './botframework/errors';
import { createFaults, type BotFault } from './botframework/faults';
import { listen, parseJson, type Reply } from './http';

/**
 * A local Bot Framework channel, over real HTTP on 127.0.0.1:
 * - the OpenID metadata + JWKS the bot validates inbound tokens against, and a signer for those tokens;
 * - the Entra ID token endpoint the bot's client-credentials grant calls for outbound tokens;
 * - a recording Bot Connector (v3) at `serviceUrl`: create conversation, send, reply, update, members.
 * Paths and bodies follow the Bot Connector API (../shared/schemas/bot-connector-api.swagger.json); errors are its
 * ErrorResponse with Teams' codes; a fault switch injects 429s, 5xx and dropped connections. What differs from
 * the real channel: botframework/DEVIATIONS.md.
 */
export interface BotChannelOptions {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  /** When false the connector accepts calls without a token (local mode). */
  requireAuth?: boolean;
}

export type ConnectorOp = 'create' | 'send' | 'reply' | 'update' | 'delete';

export interface Recorded {
  op: ConnectorOp;
  conversationId: string;
  activityId: string;
  activity: Record<string, any>;
  at: string;
}

export type Fault = BotFault;

export interface RequestRecord {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** 0: the connection was dropped. */
  status: number;
  /** Unix ms. */
  at: number;
}

export interface ChannelMember {
  id: string;
  name: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
}

/** A 1:1 chat the bot created (`POST /v3/conversations` without a channel), as the connector recorded it. */
export interface PersonalChat {
  conversationId: string;
  /** The member id as sent (a `29:` id, an Entra object id, or `8:orgid:<object id>`). */
  memberId: string;
  tenantId: string;
  bot?: { id?: string; name?: string };
  at: string;
}

export interface BotChannel {
  url: string;
  serviceUrl: string;
  openIdMetadataUrl: string;
  issuer: string;
  /** The Entra-style login base: `<loginUrl>/<tenant>/oauth2/v2.0/token`. */
  loginUrl: string;
  /** Signs a channel -> bot token. `untrusted` uses a key the metadata does not publish. */
  signInbound(opts?: InboundTokenOptions): string;
  recorded: Recorded[];
  /** Every Bot Connector call (`/v3/...`), in order, with the status it got. */
  requests: RequestRecord[];
  /** The current version of each activity, by conversation then id. */
  current(conversationId: string, activityId: string): Record<string, any> | undefined;
  setMembers(conversationId: string, members: ChannelMember[]): void;
  /** As if these users (Entra object ids or `29:` ids) had installed the app in their personal scope. */
  installApp(userIds: string[]): void;
  /** Every 1:1 creation the connector accepted, in order (the same member again is the same conversation). */
  personalChats: PersonalChat[];
  fault(f: Fault | undefined): void;
  close(): Promise<void>;
}

const CHANNEL_ISSUER = 'https://api.botframework.com';

export async function startBotChannel(opts: BotChannelOptions = {}): Promise<BotChannel> {
  const trusted = keyPair();
  const untrusted = keyPair();
  const kid = `sandbox-${randomUUID().slice(0, 8)}`;
  const recorded: Recorded[] = [];
  const activities = new Map<string, Map<string, Record<string, any>>>();
  const members = new Map<string, ChannelMember[]>();
  const faults = createFaults();
  const requests: RequestRecord[] = [];
  const installed = new Set<string>();
  const personalChats: PersonalChat[] = [];
  const personalIds = new Map<string, string>();
  let base = '';

  const errorReply = (status: number, code: string, message: string): Reply => connectorError(status, code, message);

  function checkOutboundToken(req: IncomingMessage): Reply | undefined {
    if (opts.requireAuth === false) return undefined;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    try {
      jwt.verify(token, trusted.publicKey, { audience: CHANNEL_ISSUER, issuer: `${base}/${opts.tenantId}/v2.0` });
      return undefined;
    } catch (err) {
      return errorReply(401, 'Unauthorized', `bot token rejected: ${(err as Error).message}`);
    }
  }

  function record(op: ConnectorOp, conversationId: string, activity: Record<string, any>, activityId: string = randomUUID()) {
    const stored = { ...activity, id: activityId, conversation: { ...(activity.conversation ?? {}), id: conversationId } };
    let byId = activities.get(conversationId);
    if (!byId) activities.set(conversationId, (byId = new Map()));
    byId.set(activityId, stored);
    recorded.push({ op, conversationId, activityId, activity: stored, at: new Date().toISOString() });
    return activityId;
  }

  async function connector(req: IncomingMessage, path: string, body: string): Promise<Reply> {
    const denied = checkOutboundToken(req);
    if (denied) return denied;
    const parsed = parseJson(body);
    if (!parsed.ok) return errorReply(400, 'BadArgument', `invalid JSON: ${parsed.error}`);
    const payload = (parsed.value ?? {}) as Record<string, any>;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent); // v3, conversations, {id}, activities, {id}
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return errorReply(404, 'NotFound', `no route ${req.method} ${path}`);

    if (req.method === 'POST' && parts.length === 2 && !payload.channelData?.channel?.id) return createPersonal(payload);
    if (req.method === 'POST' && parts.length === 2) {
      const channelId = payload.channelData?.channel?.id as string | undefined;
      const activityId = randomUUID();
      const conversationId = channelId ? `${channelId};messageid=${activityId}` : `a:${randomUUID()}`;
      if (payload.activity) record('create', conversationId, payload.activity, activityId);
      return { status: 201, body: { id: conversationId, activityId, serviceUrl: `${base}/` } };
    }
    const [, , conversationId, collection, itemId] = parts;
    if (collection === 'pagedmembers' && req.method === 'GET') {
      return { status: 200, body: { members: members.get(conversationId.split(';')[0]) ?? [] } };
    }
    if (collection === 'members' && req.method === 'GET') {
      const list = members.get(conversationId.split(';')[0]) ?? [];
      if (!itemId) return { status: 200, body: list };
      const member = list.find((m) => m.id === itemId || m.aadObjectId === itemId);
      return member ? { status: 200, body: member } : errorReply(404, 'MemberNotFoundInConversation', 'The member is not in the conversation');
    }
    if (collection !== 'activities') return errorReply(404, 'NotFound', `no route ${req.method} ${path}`);
    if (typeof payload.type !== 'string' && req.method !== 'DELETE') return errorReply(400, 'BadArgument', 'activity.type is required');
    if (req.method === 'POST' && !itemId) return { status: 201, body: { id: record('send', conversationId, payload) } };
    if (req.method === 'POST') return { status: 201, body: { id: record('reply', conversationId, { ...payload, replyToId: itemId }) } };
    const known = activities.get(conversationId)?.get(itemId);
    if (!known) return errorReply(404, 'ActivityNotFound', `no activity ${itemId} in ${conversationId}`);
    if (req.method === 'PUT') return { status: 200, body: { id: record('update', conversationId, payload, itemId) } };
    if (req.method === 'DELETE') {
      record('delete', conversationId, { type: 'delete' }, itemId);
      return { status: 200 };
    }
    return errorReply(405, 'MethodNotAllowed', `${req.method} ${path}`);
  }

  /**
   * A 1:1 chat: `isGroup` false, exactly one member, the tenant (top level or `channelData.tenant.id`); group chats
   * can't be created (400). Teams answers the same `a:` id for the same member, and refuses with 403
   * `BotNotInConversationRoster` when the app is not installed for the user (OfficeDev company-communicator #744).
   */
  function createPersonal(payload: Record<string, any>): Reply {
    if (payload.isGroup !== false) return errorReply(400, 'BadSyntax', 'Incorrect conversation creation parameters: only a 1:1 chat (isGroup false) or a channel thread can be created');
    const members = Array.isArray(payload.members) ? payload.members : [];
    if (members.length !== 1 || typeof members[0]?.id !== 'string') return errorReply(400, 'BadArgument', 'A 1:1 conversation takes exactly one member with an id');
    const tenantId = (payload.tenantId ?? payload.channelData?.tenant?.id) as string | undefined;
    if (!tenantId) return errorReply(400, 'BadArgument', 'tenantId is required to create a 1:1 conversation');
    const memberId = members[0].id as string;
    const user = /^(?:8:orgid:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(memberId)?.[1]?.toLowerCase() ?? (/^29:[\w-]+$/.test(memberId) ? memberId.toLowerCase() : undefined);
    if (!user) return errorReply(400, 'BadArgument', `Invalid member id ${JSON.stringify(memberId.slice(0, 80))}: a 29: user id or a Microsoft Entra object id`);
    if (!installed.has(user)) return errorReply(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
    const key = `${tenantId.toLowerCase()}/${user}`;
    let conversationId = personalIds.get(key);
    if (!conversationId) personalIds.set(key, (conversationId = `a:${randomUUID().replace(/-/g, '')}`));
    personalChats.push({ conversationId, memberId, tenantId, ...(payload.bot && { bot: payload.bot }), at: new Date().toISOString() });
    if (payload.activity) record('create', conversationId, payload.activity);
    return { status: 201, body: { id: conversationId } };
  }

  function tokenEndpoint(path: string, body: string): Reply {
    const form = new URLSearchParams(body);
    if (!path.startsWith(`/${opts.tenantId}/`)) return { status: 400, body: { error: 'invalid_request', error_description: 'unknown tenant' } };
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (form.get('client_id') !== opts.appId || form.get('client_secret') !== opts.appPassword) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
    }
    const scope = form.get('scope') ?? '';
    const audience = scope.replace(/\/\.default$/, '');
    const access_token = jwt.sign({ appid: opts.appId, tid: opts.tenantId }, trusted.privateKey, {
      algorithm: 'RS256',
      keyid: kid,
      audience,
      issuer: `${base}/${opts.tenantId}/v2.0`,
      expiresIn: 3600,
    });
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token } };
  }

  const server = await listen(async (req, body) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/.well-known/openidconfiguration') {
      return {
        status: 200,
        body: { issuer: CHANNEL_ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] },
      };
    }
    if (req.method === 'GET' && path === '/keys') {
      const jwk = trusted.publicKey.export({ format: 'jwk' });
      return { status: 200, body: { keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256', endorsements: ['msteams', 'emulator'] }] } };
    }
    if (req.method === 'POST' && path.endsWith('/oauth2/v2.0/token')) return tokenEndpoint(path, body);
    if (path.startsWith('/v3/')) {
      const reply = await faults.apply(`${req.method} ${path}`, () => connector(req, path, body));
      requests.push({ method: req.method ?? '', path: req.url ?? '', status: reply.drop ? 0 : reply.status, at: Date.now() });
      return reply;
    }
    return errorReply(404, 'NotFound', `no route ${req.method} ${path}`);
  });
  base = server.url;

  return {
    url: base,
    serviceUrl: `${base}/`,
    openIdMetadataUrl: `${base}/.well-known/openidconfiguration`,
    issuer: CHANNEL_ISSUER,
    loginUrl: base,
    signInbound(o = {}) {
      const key = o.key === 'untrusted' ? untrusted.privateKey : trusted.privateKey;
      return jwt.sign({ ...o.claims, serviceurl: o.serviceUrl ?? `${base}/` }, key, {
        algorithm: 'RS256',
        keyid: o.keyId ?? kid,
        audience: o.audience ?? opts.appId,
        issuer: o.issuer ?? CHANNEL_ISSUER,
        ...(o.omitExpiry ? {} : { expiresIn: o.expiresInSeconds ?? 3600 }),
        ...(o.notBeforeSeconds !== undefined ? { notBefore: o.notBeforeSeconds } : {}),
      });
    },
    recorded,
    requests,
    current: (conversationId, activityId) => activities.get(conversationId)?.get(activityId),
    setMembers: (conversationId, list) => members.set(conversationId.split(';')[0], list),
    installApp: (ids) => ids.forEach((id) => installed.add(id.toLowerCase().replace(/^8:orgid:/, ''))),
    personalChats,
    fault: (f) => faults.set(f),
    close: () => server.close(),
  };
}

function keyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** The variants of a channel -> bot token that the bot must refuse (or, within the clock skew, accept). */
export interface InboundTokenOptions {
  serviceUrl?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresInSeconds?: number;
  /** No `exp` claim at all: a token that never expires. */
  omitExpiry?: boolean;
  /** `nbf` this many seconds from now (positive: not valid yet). */
  notBeforeSeconds?: number;
  key?: 'trusted' | 'untrusted';
  issuer?: string;
  /** The JWT header's `kid`; by default the published key's. */
  keyId?: string;
  /** Extra claims, e.g. `ver`/`appid` to shape a skill or emulator token. */
  claims?: Record<string, unknown>;
}
