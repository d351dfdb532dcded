import type { Incident, Person } from '../../domain/incident';
import type { Message } from '../../domain/messages';
import type { Graph } from '../../graph/graph';
import type { Logger } from '../../log';
import type { OrgPerson } from '../../org/services';
import { describe, failureKind, OutsideError, refusedOutright } from '../../outside-error';
import type { ClaimedEffect, Store } from '../../store/store';
import { directMemberId, type DirectReach } from '../../teams/direct-chat';
import { messageMarkdown, type TeamsOutbox } from '../../teams/outbox';
import { sendMailOnce } from './mail-once';

export interface NotifyPersonDeps {
  store: Store;
  teams: TeamsOutbox;
  /** The bot's 1:1 chats; absent (or without a target), everyone is told in the incident's conversation. */
  direct?: DirectReach;
  /** Mail through Graph when configured: the address is known from Teams or the organisation file. */
  mail?: { graph: Graph; sender: string; sentCopyWaitMs?: number };
  people?: readonly OrgPerson[];
  now: () => Date;
  log: Logger;
}

/** What one person is told, and where each part may be read. */
export interface PersonNotice {
  /** In the bot's 1:1 chat with them: read by them alone, so it may say all they may see. */
  direct: Message;
  /**
   * When the 1:1 can't be had: posted in this incident's conversation (the card's thread) @mentioning them. Everyone
   * there reads it, so it says only what that conversation may see.
   */
  fallback: { incident: Incident; message: Message };
  /** Also mailed, to them alone, when an address is known and mail is configured. */
  mail?: Message;
}

/** What was done for the notice under way, kept on the effect (one at a time: a new `step` starts afresh). */
interface Progress {
  step: string;
  /** The 1:1's conversation id once opened. */
  conversationId?: string;
  /** Why the 1:1 could not be had: the notice goes to the incident's conversation, on every attempt. */
  directFailed?: string;
  /** Attempts at the Teams post that were started (the intent, kept before the call). */
  posting?: number;
  /** Where the Teams post went, once Teams accepted it. */
  posted?: 'direct' | 'conversation';
}

const FIELD = 'notice';

/**
 * Tells one person something (issue 18 item 9, the hand-off reminder, the escalation of a missed update): in the bot's
 * 1:1 chat with them; when that can't be had (no Entra or Teams id, the app not installed for them: 403
 * BotNotInConversationRoster, no Teams connection to open it with) @mentioned in the incident's conversation; and by
 * mail when asked and an address is known. Each part once per effect and `step` (several notices in one effect, as the
 * digest sends, take one step each, one after another).
 *
 * The Bot Connector takes no idempotency key and can't be asked what was posted: as for cards (card-post.ts), the
 * intent is kept just before the post and where it went right after, so a retry never posts again what was recorded;
 * an attempt that finds the intent without the record posts again (a missed reminder is worse than a second one) and
 * says so in the log. The mail goes through the Sent Items check (mail-once.ts).
 * @example await notifyPerson(deps, effect, signal, item.owner, { direct: reminder, fallback: { incident, message: reminder }, mail: reminder })
 */
export async function notifyPerson(deps: NotifyPersonDeps, effect: ClaimedEffect, signal: AbortSignal, to: Person, notice: PersonNotice, step = ''): Promise<'direct' | 'conversation'> {
  const stored = (effect.payload as Record<string, Progress | undefined>)[FIELD];
  const track = tracker(deps, effect, stored?.step === step ? stored : { step });

  if (!track.progress.posted && !track.progress.directFailed) {
    try {
      await direct(deps, to, notice, track, signal);
    } catch (err) {
      if (failureKind(err) === 'retryable') throw err;
      await track.keep({ directFailed: describe(err) });
      deps.log.info('a 1:1 chat could not be had; telling them in the incident conversation', { effect: effect.key, person: to.id, reason: describe(err) });
    }
  }
  if (!track.progress.posted) {
    const { incident, message } = notice.fallback;
    const thread = incident.cards.find((c) => c.conversationId === incident.origin.id)?.postedIn ?? incident.origin.id;
    // A person known only to Google can't be @mentioned in Teams: named in the text, as before.
    const mention = to.id.startsWith('google:') ? [] : [{ id: to.id, name: to.name }];
    await track.post('conversation', () => deps.teams.postMessage({ ...incident.origin, id: thread }, { ...message, mentions: [...(message.mentions ?? []), ...mention] }, signal));
  }

  const address = addressOf(to, deps.people);
  if (notice.mail && deps.mail && address) {
    try {
      await sendMailOnce({ store: deps.store, graph: deps.mail.graph, sender: deps.mail.sender, sentCopyWaitMs: deps.mail.sentCopyWaitMs, now: deps.now, log: deps.log }, effect, signal, {
        to: [address],
        subject: notice.mail.subject,
        text: notice.mail.lines.join('\n\n'),
        what: 'a notice by mail',
        part: `${step}:mail`,
      });
    } catch (err) {
      // Retried (the Teams part is recorded and won't go again); refused for good, the person was told in Teams.
      if (failureKind(err) === 'retryable') throw err;
      deps.log.warn('a notice could not be mailed; it went to Teams', { effect: effect.key, error: describe(err) });
    }
  }
  return track.progress.posted!;
}

async function direct(deps: NotifyPersonDeps, to: Person, notice: PersonNotice, track: Tracker, signal: AbortSignal): Promise<void> {
  const memberId = directMemberId(to);
  if (!memberId) throw new OutsideError('permanent', `${to.name} has neither a Microsoft Entra object id nor a Teams user id to open a 1:1 chat with`);
  const reach = deps.direct;
  const target = reach?.target(notice.fallback.incident.origin);
  if (!reach || !target) throw new OutsideError('permanent', 'Firebreak has no Teams connection to open a 1:1 chat with');
  let conversationId = track.progress.conversationId;
  if (!conversationId) {
    conversationId = await reach.chats.open({ ...target, memberId }, signal);
    await track.keep({ conversationId });
  }
  const activity = { type: 'message', text: messageMarkdown(notice.direct), textFormat: 'markdown', summary: notice.direct.subject };
  await track.post('direct', () => reach.chats.send({ ...target, conversationId }, activity, signal));
}

interface Tracker {
  readonly progress: Progress;
  keep(more: Partial<Progress>): Promise<void>;
  /** One Teams post: its intent kept first (un-kept when refused outright, a 4xx: nothing went), then where it went. */
  post(where: 'direct' | 'conversation', send: () => Promise<unknown>): Promise<void>;
}

function tracker(deps: NotifyPersonDeps, effect: ClaimedEffect, start: Progress): Tracker {
  let progress = start;
  const keep = async (more: Partial<Progress>) => {
    progress = { ...progress, ...more };
    await deps.store.noteEffectProgress(effect, { [FIELD]: progress });
  };
  return {
    get progress() {
      return progress;
    },
    keep,
    async post(where, send) {
      const before = progress.posting ?? 0;
      if (before) deps.log.warn('a notice was interrupted while being posted; posting it again may show it twice', { effect: effect.key, where, interrupted: before });
      await keep({ posting: before + 1 });
      await send().catch(async (err) => {
        if (refusedOutright(err)) await keep({ posting: before });
        throw err;
      });
      await keep({ posted: where });
    },
  };
}

/** A person's mail address: what Teams gave, else the organisation file's entry with the same Entra id. */
export function addressOf(person: Person, people: readonly OrgPerson[] = []): string | undefined {
  if (person.email) return person.email;
  // By Entra object id only: a display name is not an identity (two people may share one).
  const id = person.aadObjectId?.toLowerCase();
  return id ? people.find((p) => p.aadObjectId?.toLowerCase() === id)?.email : undefined;
}
