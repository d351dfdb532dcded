import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { Incident, IncidentEvent } from '../domain/incident';
import type { ReplyInChat } from '../domain/react';
import { describe } from '../outside-error';
import type { Logger } from '../log';
import { keyedQueue } from '../serial';
import { conversationOf } from './activity';
import type { TeamsOutbox } from './outbox';
import { markdownParagraphs } from './text';

/**
 * Answer first, talk after (issue 15 item 1). Whatever a turn says with `context.sendActivity` is held until the
 * turn's HTTP answer has been given, then sent in order, one conversation at a time: the Bot Connector's latency is
 * never part of the answer. An invoke's own response passes through: it is the answer (Teams shows what it says).
 *
 * What a turn says leaves this way in one of three forms:
 * - the reply to `declare`, a note (src/teams/chat.ts), a follow-up change, `postmortem review`, a page made
 *   (src/paging/chat.ts), `update <audience>: …` (src/audiences/chat.ts) and a publication
 *   (src/status/chat-publish.ts) is an effect (`chat.reply`) written in the command's transaction, due only an effect
 *   lease later: this process claims and sends it right after the answer, and if it crashes before or while sending,
 *   any worker sends it once due or once that claim has lapsed: within a lease either way;
 * - a command that names someone (`ic @person`, `role <role> @person`, `postmortem @person`, `followup … @person`) is
 *   itself an effect (`chat.mention`, src/teams/mention-command.ts), run the same way: Teams is asked who the person
 *   is only after the answer;
 * - everything else is held in memory only, and a reply that needs an outside read (`postmortem check`) is made after
 *   the answer (`sayLater`). That includes the public resolution form offered after `resolve` (a card: the incident
 *   card's "Publish to status page…" opens the same form again). A read (`status`, `help`, a refusal, a card to pick
 *   from) changed nothing, so a crash that loses it loses no record, and asking again answers again. Writing a row for
 *   every read would spend a transaction per `status` to protect an answer the person can simply ask for again.
 */
export type Said = { activity: Partial<Activity> } | { effectKey: string } | { later: () => Promise<Partial<Activity> | undefined> };

const SAID = Symbol('firebreak.said');

/** Holds what this turn says until `sendHeld` is called with the list returned (after the HTTP answer). */
export function holdReplies(context: TurnContext): Said[] {
  const said: Said[] = [];
  context.turnState.set(SAID, said);
  context.onSendActivities(async (_ctx, activities, next) => {
    if (activities.some((a) => a.type === ActivityTypes.InvokeResponse)) return next();
    said.push(...activities.map((activity) => ({ activity })));
    // Nothing in Firebreak reads the id of a reply it sent in a turn; it has none yet.
    return activities.map(() => ({ id: '' }));
  });
  return said;
}

/** The effect that answers a command, for the command's transaction: `text` is rendered from the state it made. */
export function replyEffect(context: TurnContext, reply: { key: string; incidentId: string; text: string; at: string; graceMs: number }): ReplyInChat {
  const activity = context.activity;
  return {
    kind: 'chat.reply',
    key: `chat.reply:${reply.key}`,
    incidentId: reply.incidentId,
    notBefore: new Date(Date.parse(reply.at) + reply.graceMs).toISOString(),
    payload: { conversation: conversationOf(activity), ...(activity.id && { replyToId: activity.id }), text: reply.text },
  };
}

/** The effects' default lease (config: EFFECT_LEASE_SECONDS), for a bot made without one. */
const DEFAULT_REPLY_GRACE_MS = 60_000;

/**
 * The reply to a command that changes an incident, written with the change: pass `effects` as the run's
 * `alsoEffects`; `markdown` renders it from the state the command made (Markdown), or says nothing. `said()` puts it in
 * its place among the turn's replies once committed.
 */
export function recordedReply(
  context: TurnContext,
  reply: { key: string | undefined; at: string; graceMs?: number },
  markdown: (incident: Incident, events: readonly IncidentEvent[]) => string | undefined,
) {
  let effect: ReplyInChat | undefined;
  return {
    effects: (incident: Incident, events: IncidentEvent[]) => {
      const text = markdown(incident, events);
      effect =
        text === undefined
          ? undefined
          : replyEffect(context, { key: reply.key ?? `${incident.id}:${incident.version}`, incidentId: incident.id, text, at: reply.at, graceMs: reply.graceMs ?? DEFAULT_REPLY_GRACE_MS });
      return effect ? [effect] : [];
    },
    said: () => effect && sayRecorded(context, effect),
  };
}

/**
 * The reply to a change another module commits in its own transaction (a page, an audience update, a publication):
 * `effect` makes it from plain lines, for that commit; once the module says the commit was made, `said()` puts it in
 * its place among the turn's replies (false: there is none to put).
 */
export function replyInCommit(context: TurnContext, reply: { key: string | undefined; at: string; graceMs?: number }) {
  let effect: ReplyInChat | undefined;
  return {
    effect: (text: string, incidentId: string, fallbackKey: string): ReplyInChat[] => {
      effect = replyEffect(context, { key: reply.key ?? fallbackKey, incidentId, text: markdownParagraphs(text), at: reply.at, graceMs: reply.graceMs ?? DEFAULT_REPLY_GRACE_MS });
      return [effect];
    },
    said: (): boolean => {
      if (!effect) return false;
      sayRecorded(context, effect);
      return true;
    },
  };
}

/** Puts a reply recorded as an effect in its place among what the turn says. */
export function sayRecorded(context: TurnContext, effect: Pick<ReplyInChat, 'key'>): void {
  context.turnState.get<Said[] | undefined>(SAID)?.push({ effectKey: effect.key });
}

/**
 * A reply that needs an outside call to make (a read of the postmortem doc): the call is made after the answer, and
 * its reply sent in its place. Held in memory like any read; asking again answers again. Outside a held turn (no
 * answer to wait for) it is made and said at once.
 */
export async function sayLater(context: TurnContext, make: () => Promise<Partial<Activity> | undefined>): Promise<void> {
  const said = context.turnState.get<Said[] | undefined>(SAID);
  if (said) return void said.push({ later: make });
  const activity = await make();
  if (activity) await context.sendActivity(activity);
}

/**
 * A later reply made within `timeoutMs`, or a plain word that it was not: a read that hangs (Docs not answering) must
 * not hold up every reply queued after it in the conversation.
 */
async function madeWithin(make: () => Promise<Partial<Activity> | undefined>, timeoutMs: number): Promise<Partial<Activity> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    const made = await Promise.race([make(), late]);
    return made === 'late' ? { type: 'message', text: 'That took too long to look up (Google did not answer in time). Ask again in a minute.' } : made;
  } finally {
    clearTimeout(timer);
  }
}

export interface ReplyQueue {
  /** Sends what a turn said, after its answer: in order within the conversation, each after the one before. */
  send(inbound: Partial<Activity>, said: readonly Said[]): void;
}

/**
 * Held replies leave through `teams.reply`, those made later once made; recorded ones through the runner (`runNow`),
 * which settles the effect.
 */
export function createReplyQueue(deps: { teams: Pick<TeamsOutbox, 'reply'>; runNow: (effectKey: string) => Promise<void>; log: Logger; timeoutMs?: number }): ReplyQueue {
  const serially = keyedQueue();
  const timeoutMs = deps.timeoutMs ?? 30_000;
  return {
    send(inbound, said) {
      if (!said.length) return;
      const conversation = conversationOf(inbound);
      for (const item of said) {
        const reply = (activity: Partial<Activity> | undefined) => (activity ? deps.teams.reply(conversation, inbound.id, activity, AbortSignal.timeout(timeoutMs)) : undefined);
        const work = async () => {
          if ('effectKey' in item) return deps.runNow(item.effectKey);
          return reply('later' in item ? await madeWithin(item.later, timeoutMs) : item.activity);
        };
        serially(conversation.id, work).catch((err) => deps.log.warn('a reply could not be sent', { conversation: conversation.id, error: describe(err) }));
      }
    },
  };
}
