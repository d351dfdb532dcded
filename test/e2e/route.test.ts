import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { timeline } from '../../src/domain/timeline';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import type { Store } from '../../src/store/store';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';
import { storeChecks } from '../harness/store-checks';

/**
 * Which incident a message or command belongs to, end to end through the real server process (production mode, the
 * local Bot Framework channel): "Add to timeline" by thread and time, asking when several could own it; commands in
 * a resolved incident's thread, `reopen`; roles, hand-offs and resolutions told in the incident conversation; the
 * commander-also-expert note; `resolve` asking first. Each test works in a channel (or chat) of its own.
 */
const APP_ID = '7a1e0b55-3333-4444-8555-955555555555';
const TEAM = '19:team@thread.tacv2';

let channel: BotChannel;
let firebreak: RunningFirebreak;
const databaseDir = `${tmpdir()}/firebreak-route-${randomUUID()}`;
const checks = storeChecks();

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'route-e2e-secret', tenantId: TENANT });
  channel.setMembers(TEAM, [ALICE, BOB]);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'route-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${databaseDir}`,
  });
}, 60_000);

afterAll(async () => {
  try {
    await firebreak?.stop();
    if (firebreak) await checks.run(`pglite:${databaseDir}`);
  } finally {
    await channel?.close();
  }
});

const send = async (activity: object) => {
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as any;
};
const isCard = (r: Recorded) => r.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';
/** Everything Firebreak wrote (not cards) in a conversation or its threads, as read. */
const textsIn = (prefix: string) => channel.recorded.filter((r) => r.conversationId.startsWith(prefix) && !isCard(r) && typeof r.activity.text === 'string').map((r) => readable(r.activity.text) as string);
const expectValidCard = (card: unknown) => expect(adaptiveCardErrors(card)).toEqual([]);
const newChannel = () => `19:route-${randomUUID()}@thread.tacv2`;

/** A place to talk in: a channel thread, or a group chat. */
interface Place {
  conversation: string;
  /** Builds an activity from a person in this place. */
  at<T extends { conversation: object; channelData?: object }>(activity: T): T;
}

function thread(channelId: string, threadId: string): Place {
  const conversation = `${channelId};messageid=${threadId}`;
  return { conversation, at: (a) => ({ ...a, conversation: { ...a.conversation, id: conversation }, channelData: { ...a.channelData, channel: { id: channelId } } }) };
}

function groupChat(): Place {
  const conversation = `19:chat-${randomUUID()}@thread.v2`;
  return {
    conversation,
    at: (a) => ({ ...a, conversation: { id: conversation, conversationType: 'groupChat', isGroup: true, tenantId: TENANT }, channelData: { tenant: { id: TENANT } } }),
  };
}

/** A command typed to the bot (with its mention) in a place, delivered twice as a retry would; the index before. */
async function say(place: Place, text: string, opts: { mentions?: (typeof ALICE)[]; from?: typeof ALICE } = {}): Promise<number> {
  const before = channel.recorded.length;
  const activity = place.at(channelMessage(text, { serviceUrl: channel.serviceUrl, ...opts }));
  await send(activity);
  await send(activity);
  return before;
}

/** The bot's first plain answer in the place after `before` that contains `fragment`, as read. */
const answer = (place: Place, before: number, fragment: string) =>
  eventually(
    () => channel.recorded.slice(before).map((r) => (r.conversationId === place.conversation && !isCard(r) ? readable(r.activity.text) : undefined)).find((t) => t?.includes(fragment)),
    `"${fragment}" in ${place.conversation}`,
  );

interface Declared {
  number: number;
  incidentId: string;
  place: Place;
  card: Recorded;
}

/** Declares by command in `place` (Alice is commander) and waits for its card there. */
async function declare(place: Place, title = `Checkout API returning 500s ${randomUUID().slice(0, 6)}`): Promise<Declared> {
  const before = await say(place, `declare sev2 ${title}`);
  const declared = await answer(place, before, 'Declared INC-');
  const number = Number(/Declared INC-(\d+)/.exec(declared)![1]);
  checks.declared(title);
  const card = await eventually(() => channel.recorded.find((r) => isCard(r) && r.conversationId === place.conversation && r.activity.summary?.startsWith(`INC-${number}: `)), `the card of INC-${number}`);
  return { number, incidentId: card.activity.attachments[0].content.refresh.action.data.incidentId, place, card };
}

/** The newest copy of an incident's card in its own place, as JSON text. */
const latestCard = (incident: Declared) => {
  const copies = channel.recorded.filter((r) => r.activityId === incident.card.activityId && isCard(r));
  return JSON.stringify(copies[copies.length - 1].activity.attachments[0].content);
};

/** "Add to timeline" on a message, as Teams sends the action's invoke. */
function addToTimeline(place: Place, message: { id: string; text: string; createdDateTime: string; replyToId?: string }) {
  return place.at(
    invoke(
      'composeExtension/fetchTask',
      {
        commandId: 'addToTimeline',
        commandContext: 'message',
        messagePayload: {
          id: message.id,
          ...(message.replyToId ? { replyToId: message.replyToId } : {}),
          body: { contentType: 'html', content: message.text },
          from: { user: { id: BOB.id, displayName: BOB.name } },
          createdDateTime: message.createdDateTime,
          linkToMessage: `https://teams.microsoft.com/l/message/x/${message.id}`,
        },
      },
      { serviceUrl: channel.serviceUrl },
    ),
  );
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
/** The timeline's texts as the store builds it (domain/timeline.ts), for the store checks. */
const timelineTexts = async (store: Store, incidentId: string) =>
  timeline(incidentId, await store.events(incidentId)).map((e) => e.text);

describe('1. "Add to timeline"', () => {
  test('records into the incident whose thread the message is in, not the newest, by the time it was said', async () => {
    const ch = newChannel();
    const first = await declare(thread(ch, `t-${randomUUID()}`));
    const newer = await declare(thread(ch, `t-${randomUUID()}`));
    const rootOfFirst = first.place.conversation.split('=')[1];
    // Said later, added first; then a reply in the first incident's thread whose `replyToId` names that thread (the
    // payload speaks for the message, so it wins over the conversation id the invoke carries: add-to-timeline.ts).
    expect(await send(addToTimeline(first.place, { id: `m-${randomUUID()}`, text: 'error rate back to 0.1%', createdDateTime: inSeconds(120) }))).toEqual({
      task: { type: 'message', value: `Added to the timeline of INC-${first.number}.` },
    });
    const bare: Place = { conversation: ch, at: (a) => ({ ...thread(ch, 'x').at(a), conversation: { ...a.conversation, id: ch } }) };
    expect(await send(addToTimeline(bare, { id: `m-${randomUUID()}`, text: 'db-2 replica lag is 40 s', createdDateTime: inSeconds(60), replyToId: rootOfFirst }))).toEqual({
      task: { type: 'message', value: `Added to the timeline of INC-${first.number}.` },
    });
    // A thread of neither: both are active in the channel, so it asks.
    const neither = await send(addToTimeline(thread(ch, `t-${randomUUID()}`), { id: `m-${randomUUID()}`, text: 'disk full on db-3', createdDateTime: inSeconds(10) }));
    expect(neither.task.value.card.content.body.find((e: any) => e.id === 'incidentId').choices.map((c: any) => c.value)).toEqual([newer.incidentId, first.incidentId]);
    checks.add(async (store) => {
      expect((await timelineTexts(store, first.incidentId)).slice(1)).toEqual(['db-2 replica lag is 40 s', 'error rate back to 0.1%']);
      expect(await timelineTexts(store, newer.incidentId)).toHaveLength(1);
    });
  });

  test('in a chat where two incidents were declared it asks which, with a card listing both, and records the choice', async () => {
    const chat = groupChat();
    const one = await declare(chat, 'Payments timing out');
    const two = await declare(chat, 'Search index stale');
    const messageId = `m-${randomUUID()}`;
    const asked = await send(addToTimeline(chat, { id: messageId, text: 'payments p99 is 9 s', createdDateTime: inSeconds(30) }));
    expect(asked.task.type).toBe('continue');
    const card = asked.task.value.card.content;
    expectValidCard(card);
    expect(JSON.stringify(card)).toContain('Which incident is this message about?');
    const choices = card.body.find((e: any) => e.id === 'incidentId').choices;
    expect(choices.map((c: any) => c.title)).toEqual([`INC-${two.number}: Search index stale`, `INC-${one.number}: Payments timing out`]);
    // Nothing was recorded while asking.
    const submit = (incidentId: string) =>
      chat.at(invoke('composeExtension/submitAction', { commandId: 'addToTimeline', commandContext: 'message', data: { ...card.actions[0].data, incidentId } }, { serviceUrl: channel.serviceUrl }));
    expect(await send(submit(one.incidentId))).toEqual({ task: { type: 'message', value: `Added to the timeline of INC-${one.number}.` } });
    expect(await send(submit(one.incidentId))).toEqual({ task: { type: 'message', value: `That message is already on the timeline of INC-${one.number}.` } });
    // A choice that was not offered, or a card that was altered, records nothing.
    expect((await send(submit('not-an-incident'))).task.value).toBe('Choose one of the incidents on the card.');
    const forged = chat.at(invoke('composeExtension/submitAction', { commandId: 'addToTimeline', data: { ...card.actions[0].data, pending: card.actions[0].data.pending.replace('payments', 'PAYMENTS'), incidentId: two.incidentId } }, { serviceUrl: channel.serviceUrl }));
    expect((await send(forged)).task.value).toBe('This choice is no longer valid. Use "Add to timeline" on the message again.');
    // A chat has no threads: a command there names its incident by number, or is asked to.
    expect(await answer(chat, await say(chat, 'resolve confirm index rebuilt'), 'Several incidents')).toContain(`start the command with its number, e.g. "INC-${two.number} status"`);
    // Once one is resolved, a message said after that can only be about the other: recorded there without asking.
    await answer(chat, await say(chat, `INC-${two.number} resolve confirm index rebuilt`), `Resolved by ${ALICE.name}. index rebuilt`);
    expect(await send(addToTimeline(chat, { id: `m-${randomUUID()}`, text: 'payments p99 back to 300 ms', createdDateTime: inSeconds(60) }))).toEqual({
      task: { type: 'message', value: `Added to the timeline of INC-${one.number}.` },
    });
    checks.add(async (store) => {
      expect((await timelineTexts(store, one.incidentId)).slice(1)).toEqual(['payments p99 is 9 s', 'payments p99 back to 300 ms']);
      expect((await timelineTexts(store, two.incidentId)).join('\n')).not.toContain('payments');
    });
  });
});

describe('2. a resolved incident’s thread', () => {
  test('commands there say it is resolved and what still makes sense; a note still goes on; reopen takes it back to phase 2', async () => {
    const ch = newChannel();
    const incident = await declare(thread(ch, `t-${randomUUID()}`));
    await declare(thread(ch, `t-${randomUUID()}`)); // another active incident in the same channel
    await answer(incident.place, await say(incident.place, 'resolve confirm Rolled back'), `Resolved by ${ALICE.name}. Rolled back`);
    const refused = await answer(incident.place, await say(incident.place, 'sev 1'), 'was resolved');
    expect(refused).toMatch(new RegExp(`^INC-${incident.number} was resolved at \\d\\d:\\d\\d UTC \\(less than a minute ago\\), so it can't be changed any more\\.\\nWhat still makes sense here:\\n• note <text>: adds to its timeline\\n• reopen \\[why\\]: takes it back to phase 2`));
    expect(await answer(incident.place, await say(incident.place, 'note root cause: connection pool too small'), 'Added')).toBe(`Added to the timeline of INC-${incident.number}.`);
    await answer(incident.place, await say(incident.place, 'reopen errors are back'), `Reopened by ${ALICE.name}: back to phase 2 (full resolution). errors are back`);
    await eventually(() => (latestCard(incident).includes('2: Full resolution') && !latestCard(incident).includes('· Resolved') ? true : undefined), 'the card back in phase 2');
    expect(await answer(incident.place, await say(incident.place, 'reopen'), 'not resolved')).toBe(`INC-${incident.number} is not resolved (it is in phase 2): there is nothing to reopen.`);
  });
});

describe('10 and 11. told in the incident conversation, attributed', () => {
  test('a role assignment, a hand-off and the commander also named expert', async () => {
    const ch = newChannel();
    channel.setMembers(ch, [ALICE, BOB]);
    const incident = await declare(thread(ch, `t-${randomUUID()}`));
    await answer(incident.place, await say(incident.place, 'role comms', { mentions: [BOB] }), `${BOB.name} is now communications lead (assigned by ${ALICE.name}).`);
    await answer(incident.place, await say(incident.place, 'role sme', { mentions: [ALICE] }), `${ALICE.name} is now a subject-matter expert (took it on themselves).`);
    const note = `${ALICE.name} is incident commander and also a subject-matter expert. The commander coordinates while others type`;
    await eventually(() => (latestCard(incident).includes(note) ? true : undefined), 'the gentle note on the card');
    await answer(incident.place, await say(incident.place, 'ic', { mentions: [BOB] }), `${ALICE.name} handed command to ${BOB.name}.`);
    await eventually(() => (latestCard(incident).includes(`${BOB.name} is incident commander.`) && !latestCard(incident).includes('also a subject-matter expert') ? true : undefined), 'the note gone with the hand-off');
  });
});

describe('13. resolve asks first', () => {
  test('typed: "resolve <summary>" asks, keeping the summary; "resolve confirm <summary>" resolves and says what happens next', async () => {
    const incident = await declare(thread(newChannel(), `t-${randomUUID()}`));
    const question = await answer(incident.place, await say(incident.place, 'resolve Rolled back deploy 4411'), 'To resolve it now');
    expect(question.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^Resolve INC-${incident.number}: Checkout API returning 500s \\w+\\?$`)),
      expect.stringMatching(/^Severity 2, phase 1\. Alice Adams is incident commander\. Open for (less than a minute|1 min) \(declared \d\d:\d\d UTC\)\.$/),
      'No business liaison yet (expected from severity 2 upward).',
      'Summary: Rolled back deploy 4411',
      'To resolve it now, type: resolve confirm Rolled back deploy 4411',
    ]);
    expect(latestCard(incident)).not.toContain('· Resolved');
    const told = await answer(incident.place, await say(incident.place, 'resolve confirm Rolled back deploy 4411'), 'Resolved by');
    expect(told).toContain(`Resolved by ${ALICE.name}. Rolled back deploy 4411`);
    expect(told).toContain(`Postmortem: ${ALICE.name} owns it (the incident commander, by default)`);
    expect(told).toMatch(/take a break of about 15 minutes/);
    await eventually(() => (latestCard(incident).includes('· Resolved') ? true : undefined), 'the card resolved');
  });

  test('on the card: the button asks with severity, duration and open roles; confirming resolves', async () => {
    const incident = await declare(thread(newChannel(), `t-${randomUUID()}`));
    const press = async (verb: string, inputs: Record<string, string> = {}) => {
      const body = await send(incident.place.at(invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data: { incidentId: incident.incidentId, ...inputs } }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl })));
      expect(body.statusCode).toBe(200);
      expectValidCard(body.value);
      return body.value;
    };
    const asked = await press('resolve', { summary: 'Failed back to primary' });
    const text = JSON.stringify(asked);
    expect(text).toContain(`Resolve INC-${incident.number}`);
    expect(text).toContain('Severity 2, phase 1.');
    expect(text).toContain('No business liaison yet');
    expect(text).toContain('Summary: Failed back to primary');
    const confirm = asked.actions.find((a: any) => a.verb === 'resolveConfirm');
    expect(confirm).toMatchObject({ type: 'Action.Execute', data: { incidentId: incident.incidentId, summary: 'Failed back to primary' } });
    expect(latestCard(incident)).not.toContain('· Resolved');
    const done = await press('resolveConfirm', confirm.data);
    expect(JSON.stringify(done)).toContain('· Resolved');
    await eventually(() => textsIn(incident.place.conversation).find((t) => t.includes(`Resolved by ${ALICE.name}. Failed back to primary`)), 'the resolution told in the thread');
  });
});
