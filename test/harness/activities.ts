import { randomUUID } from 'node:crypto';

export const BOT = { id: '28:firebreak-bot', name: 'Firebreak' };
export const ALICE = { id: '29:alice', name: 'Alice Adams', aadObjectId: '00000000-0000-0000-0000-00000000a11c' };
export const BOB = { id: '29:bob', name: 'Bob Brown', aadObjectId: '00000000-0000-0000-0000-000000000b0b' };
export const TENANT = '11111111-2222-3333-4444-555555555555';
export const CHANNEL_CONVERSATION = '19:ops-channel@thread.tacv2';

/** A Teams channel message that @mentions the bot, as the Teams channel delivers it (in the ops channel unless told). */
export function channelMessage(text: string, opts: { serviceUrl: string; from?: typeof ALICE; id?: string; thread?: string; mentions?: (typeof ALICE)[]; channel?: string }) {
  const from = opts.from ?? ALICE;
  const id = opts.id ?? randomUUID();
  const mentionText = (opts.mentions ?? []).map((m) => ` <at>${m.name}</at>`).join('');
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    serviceUrl: opts.serviceUrl,
    channelId: 'msteams',
    from,
    recipient: BOT,
    conversation: {
      id: `${opts.channel ?? CHANNEL_CONVERSATION};messageid=${opts.thread ?? id}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: TENANT,
    },
    text: `<at>Firebreak</at> ${text}${mentionText}`,
    textFormat: 'plain',
    entities: [
      { type: 'mention', mentioned: BOT, text: '<at>Firebreak</at>' },
      ...(opts.mentions ?? []).map((m) => ({ type: 'mention', mentioned: m, text: `<at>${m.name}</at>` })),
    ],
    channelData: {
      tenant: { id: TENANT },
      team: { id: '19:team@thread.tacv2', aadGroupId: '22222222-3333-4444-5555-666666666666' },
      channel: { id: opts.channel ?? CHANNEL_CONVERSATION },
    },
  };
}

export async function post(url: string, body: unknown, token?: string, contentType = 'application/json') {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? safeJson(text) : undefined };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An invoke activity (message extension, card action) from a person in the ops channel. */
export function invoke(name: string, value: unknown, opts: { serviceUrl: string; from?: typeof ALICE; thread?: string; id?: string }) {
  const base = channelMessage('', { serviceUrl: opts.serviceUrl, from: opts.from, thread: opts.thread ?? 'root', id: opts.id });
  const { text: _text, entities: _entities, textFormat: _format, ...rest } = base;
  return { ...rest, type: 'invoke', name, value };
}

/** A Teams edit or soft-delete event for a message in the ops channel. */
export function messageEvent(kind: 'edit' | 'delete', messageId: string, text: string, opts: { serviceUrl: string; thread: string }) {
  const base = channelMessage('', { serviceUrl: opts.serviceUrl, thread: opts.thread, id: messageId });
  return {
    ...base,
    type: kind === 'edit' ? 'messageUpdate' : 'messageDelete',
    text,
    entities: [],
    timestamp: new Date().toISOString(),
    channelData: { ...base.channelData, eventType: kind === 'edit' ? 'editMessage' : 'softDeleteMessage' },
  };
}

/** What a person reads from a Markdown message: escapes and bold markers gone, paragraphs as lines. */
export function readable(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.replace(/\*\*/g, '').replace(/\\([\\`*_[\]<>~#+\-.!|])/g, '$1').replace(/\n\n/g, '\n');
}
