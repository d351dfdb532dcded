import { randomBytes } from 'node:crypto';
import type { ChannelState, DriveData } from './drive-state';
import { fail } from './errors';

/**
 * Drive push notifications (https://developers.google.com/workspace/drive/api/guides/push): `files.watch` opens a
 * channel to a web_hook address; Drive POSTs a `sync` message when the channel opens, then a bodiless POST per
 * change carrying X-Goog-Channel-ID, X-Goog-Channel-Token (the token given at watch), X-Goog-Resource-ID,
 * X-Goog-Resource-State, X-Goog-Message-Number and X-Goog-Changed. Drive coalesces changes, so several edits
 * close together make one notification; here after `delayMs`. Channels stop at their expiration (an hour by
 * default for files, a day at most) or on `channels.stop`.
 */
export interface PushDelivery {
  channelId: string;
  state: string;
  /** The receiver's answer; 0 when it could not be reached. */
  status: number;
}

export interface Push {
  watch(data: DriveData, fileId: string, owner: string, body: Record<string, any>): ChannelState;
  stop(data: DriveData, caller: string, body: Record<string, any>): void;
  /** A watched file changed: its channels get one notification after the coalescing delay. */
  changed(data: DriveData, fileId: string): void;
  deliveries: PushDelivery[];
  close(): void;
}

const DEFAULT_MS = 3600_000;
const MAX_MS = 86_400_000;

export function createPush(opts: { now: () => number; delayMs: number }): Push {
  const timers = new Map<string, NodeJS.Timeout>();
  const deliveries: PushDelivery[] = [];
  const channels = (data: DriveData) => (data.channels ??= {});

  async function send(channel: ChannelState, state: string): Promise<void> {
    channel.messages += 1;
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': channel.id,
      'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      'X-Goog-Message-Number': String(channel.messages),
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-State': state,
      'X-Goog-Resource-URI': `https://www.googleapis.com/drive/v3/files/${channel.fileId}?alt=json`,
      ...(channel.token ? { 'X-Goog-Channel-Token': channel.token } : {}),
      ...(state === 'update' ? { 'X-Goog-Changed': 'content' } : {}),
    };
    let status = 0;
    try {
      status = (await fetch(channel.address, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) })).status;
    } catch {
      /* unreachable receiver: Drive drops the message */
    }
    deliveries.push({ channelId: channel.id, state, status });
  }

  return {
    deliveries,
    watch(data, fileId, owner, body) {
      if (!body.id) throw fail.badRequest('A channel id is required.', { reason: 'required', location: 'id' });
      if (body.type !== 'web_hook' && body.type !== 'webhook') throw fail.badRequest(`Invalid channel type: ${body.type}. Use web_hook.`, { reason: 'invalid', location: 'type' });
      let address: URL;
      try {
        address = new URL(String(body.address));
      } catch {
        throw fail.badRequest(`Invalid address: ${body.address}`, { reason: 'push.webhookUrlUnauthorized' });
      }
      // Drive requires https with a valid certificate (and a verified domain); the sandbox lets loopback http through.
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(address.hostname);
      if (address.protocol !== 'https:' && !(address.protocol === 'http:' && loopback)) {
        throw fail.badRequest(`WebHook callback must be HTTPS: ${body.address}`, { reason: 'push.webhookUrlNotHttps' });
      }
      if (channels(data)[body.id]) throw fail.badRequest(`Channel id ${body.id} not unique`, { reason: 'channelIdNotUnique' });
      const now = opts.now();
      const requested = body.expiration ? Number(body.expiration) : now + DEFAULT_MS;
      const channel: ChannelState = {
        id: body.id,
        resourceId: randomBytes(18).toString('base64url'),
        fileId,
        address: address.toString(),
        ...(body.token ? { token: String(body.token) } : {}),
        expiration: Math.min(requested, now + MAX_MS),
        owner,
        messages: 0,
      };
      channels(data)[channel.id] = channel;
      setImmediate(() => void send(channel, 'sync'));
      return channel;
    },
    stop(data, caller, body) {
      const channel = channels(data)[body.id];
      if (!channel || channel.resourceId !== body.resourceId || channel.owner !== caller) {
        throw fail.notFound(`Channel '${body.id}' not found for project`, { reason: 'notFound' });
      }
      delete channels(data)[channel.id];
      clearTimeout(timers.get(channel.id));
      timers.delete(channel.id);
    },
    changed(data, fileId) {
      const now = opts.now();
      for (const channel of Object.values(channels(data))) {
        if (channel.fileId !== fileId) continue;
        if (channel.expiration <= now) {
          delete channels(data)[channel.id];
          continue;
        }
        if (timers.has(channel.id)) continue; // coalesced into the notification already on its way
        const timer = setTimeout(() => {
          timers.delete(channel.id);
          if (channels(data)[channel.id]) void send(channel, 'update');
        }, opts.delayMs);
        timer.unref();
        timers.set(channel.id, timer);
      }
    },
    close() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
