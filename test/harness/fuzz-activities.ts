import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { ALICE, BOT, TENANT } from './activities';

/**
 * Generated Teams activities for the property test: each starts from a well-formed activity Firebreak handles (a
 * command, the message extension's fetch and submit, a card button, an edit or delete) and then has a few of the
 * fields it reads removed or replaced by anything: wrong types, NULs, lone surrogates, markup, strings near the body
 * limit. What comes back must never be a 5xx.
 */
export interface FuzzPlace {
  serviceUrl: string;
  /** The conversation an incident is active in, so commands and buttons reach the store. */
  conversationId: string;
  incidentId: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const nasty = fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800', '[x](https://evil.example)', '<at>Bob</at>', '**', '&lt;b&gt;', '\u202e', ' ', '');
/** Text of every kind, now and then near the 256 KB body limit. */
export const weirdText: fc.Arbitrary<string> = fc.oneof(
  { weight: 40, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 30, arbitrary: fc.string({ unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), loneSurrogate, nasty), maxLength: 30 }) },
  { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 10, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  // Now and then a string near the body limit (256 KB): under it the activity is handled, over it it is a 413.
  { weight: 1, arbitrary: fc.integer({ min: 240_000, max: 270_000 }).map((n) => '\u00e9'.repeat(n / 2)) },
);

const anyValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: weirdText },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, 0, -1, 1e308, true, [], {}, [null], { id: 1 }, '2026-13-45T99:99:99Z', 'not a date') },
);

const commandText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('status', 'help', 'sev 2', 'sev 9', 'phase 1', 'impact yes', 'impact maybe', 'ic', 'role comms', 'role sme', 'frobnicate') },
  { weight: 3, arbitrary: weirdText.map((t) => `note ${t}`) },
  { weight: 1, arbitrary: weirdText.map((t) => `action ${t}`) },
  { weight: 1, arbitrary: weirdText.map((t) => `update ${t}`) },
  { weight: 3, arbitrary: weirdText },
  // Each declares a new incident: rarely, so the run stays about one incident.
  { weight: 1, arbitrary: weirdText.map((t) => `declare sev3 ${t}`) },
);

const person = fc.constantFrom({ ...ALICE }, { id: '29:bob', name: 'Bob Brown' }, { id: '29:nobody', name: '<at>Nobody</at>' });

function base(place: FuzzPlace, id: string, extra: Record<string, Json>): Record<string, Json> {
  return {
    type: 'message',
    id,
    timestamp: '2026-03-15T14:02:00.000Z',
    serviceUrl: place.serviceUrl,
    channelId: 'msteams',
    from: { ...ALICE },
    recipient: { ...BOT },
    conversation: { id: place.conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: place.conversationId.split(';')[0] } },
    ...extra,
  };
}

const messagePayload = fc.record({
  id: fc.string({ minLength: 1, maxLength: 12 }),
  body: fc.record({ contentType: fc.constant('html'), content: weirdText }),
  from: fc.record({ user: person.map((p) => ({ id: p.id, displayName: p.name })) }),
  createdDateTime: fc.constant('2026-03-15T14:10:00Z'),
  linkToMessage: fc.constantFrom('https://teams.microsoft.com/l/message/19:ops/1', 'https://evil.example/x', 'javascript:alert(1)'),
});

const formData = fc.record(
  {
    formId: fc.uuid(),
    title: weirdText,
    description: weirdText,
    severity: fc.constantFrom('1', '2', '3', '4', '0', 'x'),
    customerImpact: fc.constantFrom('true', 'false'),
    commander: person.map((p) => p.id),
    private: fc.constantFrom('true', 'false'),
    sourceUrl: fc.constantFrom('https://evil.example/phish', 'https://teams.microsoft.com/l/message/19:ops/1'),
  },
  { requiredKeys: [] },
);

const verb = fc.constantFrom('refresh', 'setSeverity', 'setPhase', 'takeCommand', 'handoffForm', 'roleForm', 'handoff', 'assignRole', 'note', 'update', 'launchMissiles');

/** Activities that would be well-formed before mutation: commands, the extension, buttons, edits and deletes. */
function wellFormed(place: FuzzPlace): fc.Arbitrary<Record<string, Json>> {
  const id = fc.uuid();
  // Mentions the bot (or not: in a channel that is people talking) and perhaps people, as `ic @x`, `role sme @x` need.
  const message = fc.tuple(id, commandText, fc.boolean(), fc.array(person, { maxLength: 2 })).map(([i, text, mention, people]) =>
    base(place, i, {
      text: `${mention ? '<at>Firebreak</at> ' : ''}${text}${people.map((p) => ` <at>${p.name}</at>`).join('')}`,
      textFormat: 'plain',
      entities: [
        ...(mention ? [{ type: 'mention', mentioned: { ...BOT }, text: '<at>Firebreak</at>' }] : []),
        ...people.map((p) => ({ type: 'mention', mentioned: { id: p.id, name: p.name }, text: `<at>${p.name}</at>` })),
      ],
    }),
  );
  const invoke = (name: string, value: fc.Arbitrary<Json>) => fc.tuple(id, value).map(([i, v]) => base(place, i, { type: 'invoke', name, value: v }));
  const fetchTask = invoke('composeExtension/fetchTask', fc.record({ commandId: fc.constantFrom('declareIncident', 'addToTimeline', 'nope'), commandContext: fc.constantFrom('message', 'compose'), messagePayload }, { requiredKeys: ['commandId'] }));
  const submit = invoke('composeExtension/submitAction', fc.record({ commandId: fc.constantFrom('declareIncident', 'nope'), commandContext: fc.constantFrom('message', 'compose'), data: formData, messagePayload }, { requiredKeys: ['commandId', 'data'] }));
  const button = invoke(
    'adaptiveCard/action',
    fc.record({
      action: fc.record({ type: fc.constant('Action.Execute'), verb, data: fc.record({ incidentId: fc.constantFrom(place.incidentId, 'no-such-incident'), severity: fc.constantFrom('1', '5'), phase: fc.constantFrom('2', 'x'), person: person.map((p) => p.id), role: fc.constantFrom('comms', 'boss'), note: weirdText, update: weirdText }, { requiredKeys: ['incidentId'] }) }),
      trigger: fc.constant('manual'),
    }),
  );
  const otherInvoke = fc.tuple(id, fc.oneof(fc.constantFrom('composeExtension/query', 'task/fetch', 'signin/verifyState', 'config/fetch', 'actionableMessage/executeAction', 'healthCheck'), weirdText), anyValue).map(([i, name, value]) => base(place, i, { type: 'invoke', name, value }));
  const change = fc.tuple(fc.constantFrom('messageUpdate', 'messageDelete'), fc.string({ minLength: 1, maxLength: 8 }), weirdText).map(([type, i, text]) =>
    base(place, i, { type, text, channelData: { tenant: { id: TENANT }, eventType: type === 'messageUpdate' ? 'editMessage' : 'softDeleteMessage' } }),
  );
  const other = fc.tuple(id, fc.constantFrom('conversationUpdate', 'typing', 'event', 'messageReaction', 'installationUpdate', 'endOfConversation')).map(([i, type]) => base(place, i, { type }));
  return fc.oneof({ weight: 5, arbitrary: message }, { weight: 2, arbitrary: fetchTask }, { weight: 2, arbitrary: submit }, { weight: 3, arbitrary: button }, { weight: 1, arbitrary: otherInvoke }, { weight: 1, arbitrary: change }, { weight: 1, arbitrary: other });
}

/** The fields handlers read: each mutation removes one or replaces it with anything. */
const PATHS = [
  'type', 'id', 'timestamp', 'localTimestamp', 'channelId', 'replyToId', 'name', 'value', 'text', 'textFormat', 'attachments', 'locale',
  'from', 'from.id', 'from.name', 'from.aadObjectId', 'recipient', 'recipient.id', 'recipient.name',
  'conversation', 'conversation.id', 'conversation.conversationType', 'conversation.tenantId', 'conversation.isGroup',
  'entities', 'entities.0', 'entities.0.type', 'entities.0.mentioned', 'entities.0.mentioned.id', 'entities.0.mentioned.name', 'entities.1',
  'channelData', 'channelData.tenant', 'channelData.tenant.id', 'channelData.team', 'channelData.team.id', 'channelData.channel', 'channelData.channel.id', 'channelData.eventType',
  'value.commandId', 'value.commandContext', 'value.data', 'value.data.formId', 'value.data.title', 'value.data.description', 'value.data.severity', 'value.data.commander', 'value.data.customerImpact', 'value.data.private',
  'value.botMessagePreviewAction', 'value.botActivityPreview',
  'value.messagePayload', 'value.messagePayload.id', 'value.messagePayload.body', 'value.messagePayload.body.content', 'value.messagePayload.from', 'value.messagePayload.from.user', 'value.messagePayload.from.user.id', 'value.messagePayload.from.user.displayName', 'value.messagePayload.createdDateTime', 'value.messagePayload.linkToMessage',
  'value.action', 'value.action.type', 'value.action.verb', 'value.action.data', 'value.action.data.incidentId', 'value.action.data.severity', 'value.action.data.person', 'value.action.data.role', 'value.action.data.note', 'value.action.data.update',
] as const;

type Mutation = { path: string; value: Json | undefined };
const mutation: fc.Arbitrary<Mutation> = fc.record({ path: fc.constantFrom(...PATHS), value: fc.option(anyValue, { nil: undefined, freq: 4 }) });

/** Sets (or, for undefined, deletes) a dotted path, making the parents objects when they are not. */
function setPath(target: Record<string, Json>, path: string, value: Json | undefined): void {
  const keys = path.split('.');
  let node: Record<string, Json> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, Json>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  // A copy: fast-check hands out the same instance of a constant object to several mutations, and setting one inside
  // itself (`data` then `data.note`) would make the activity circular, which no HTTP client can send.
  else node[last] = structuredClone(value);
}

/** A well-formed activity (about one in four) or one with up to four fields broken. */
export function fuzzActivity(place: FuzzPlace): fc.Arbitrary<Record<string, Json>> {
  return fc.tuple(wellFormed(place), fc.array(mutation, { maxLength: 4 })).map(([activity, mutations]) => {
    const copy = structuredClone(activity);
    for (const m of mutations) setPath(copy, m.path, m.value);
    return copy;
  });
}

/**
 * Posts activities over kept-alive connections: fetch costs about three times the CPU per request, which at 10,000
 * requests on two cores is the difference between a bounded test and a slow one. Answers the status and body.
 */
export function activitySender(baseUrl: string, token: string, sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL('/api/messages', baseUrl);
  function send(activity: unknown): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(activity));
    });
  }
  return { send, close: () => agent.destroy() };
}

/**
 * A port nothing listens on now, from the kernel. The harness picks a random port in 20000-40000, which overlaps the
 * ephemeral range that 10,000 requests' outbound connections draw from: a collision there is EADDRINUSE.
 */
export function freePort(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(String(port)));
    });
  });
}
