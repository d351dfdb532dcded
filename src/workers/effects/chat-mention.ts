import type { Incidents, Outcome } from '../../app/incidents';
import type { Command, DeclareIncident } from '../../domain/decide';
import type { RunWithMember } from '../../domain/mention-effect';
import type { ReplyInChat } from '../../domain/react';
import { answerTo } from '../../followups/chat';
import type { ClaimedEffect, Store } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';
import type { MemberLookup } from '../../teams/people';
import { markdownMessage, markdownParagraphs } from '../../teams/text';
import { OutsideError } from '../../outside-error';

/**
 * Runs a command that names someone (src/teams/mention-command.ts), after the HTTP answer: asks Teams who the mention
 * is, then decides the command with them. A lookup Teams fails (throttled, down) is retried like any effect, and
 * given up on in words (give-up.ts).
 *
 * Run twice (a crash after the change, before the effect is settled), the change is not made twice: it is committed
 * under the effect's key as inbound key, so the second run finds that key and says nothing. A refusal or "nothing to
 * change" may be said twice then; that beats saying it never. A reply to a change (a follow-up's) is a `chat.reply`
 * effect written with the change.
 */
export function chatMention(deps: { store: Pick<Store, 'seenInbound' | 'effects'>; incidents: Incidents; members: MemberLookup; teams: Pick<TeamsOutbox, 'reply'>; followUpWindowDays: () => number; now: () => Date }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const asked = effect.payload as RunWithMember['payload'];
    // Done already (committed, then the process died before settling the effect): deciding again would only find
    // nothing to change and say so.
    if (await deps.store.seenInbound(effect.key)) return;
    // In the order they were asked: `ic @Bob` whose lookup Teams throttled must not be applied after a later
    // `ic @Carol`, handing command back to Bob (the last request would lose). An earlier one still waiting goes first.
    const earlier = (await deps.store.effects({ incidentId: effect.incidentId!, pending: true })).filter(
      (e) => e.kind === 'chat.mention' && e.id !== effect.id && (e.payload as RunWithMember['payload']).at < asked.at,
    );
    if (earlier.length) throw new OutsideError('retryable', `waits for ${earlier.length} earlier command(s) naming someone in this incident`);
    const person = await deps.members.member(asked.conversation, asked.mention.id, signal);
    const say = (text: string) => deps.teams.reply(asked.conversation, asked.replyToId, markdownMessage(text), signal);
    const named = (text: string) => text.replaceAll('{name}', person?.name ?? asked.mention.name);
    if (!person) return say(named(asked.say.notMember));
    // Stamped when it takes effect (a moment after it was asked; longer when Teams was slow to say who the person is),
    // so the timeline and the commander's "since" never go back in time.
    const at = new Date(Math.max(Date.parse(asked.at), deps.now().getTime())).toISOString();
    const command = { ...asked.command, [asked.personAt]: person, at, by: asked.by } as unknown as Exclude<Command, DeclareIncident>;
    const outcome = await deps.incidents.run(effect.incidentId!, command, {
      inboundKey: effect.key,
      alsoEffects: (incident, events) => {
        const text = asked.say.changed === 'followup' ? answerTo({ kind: 'changed', incident, events }, deps.followUpWindowDays()) : undefined;
        return text ? [replyTo(effect, asked, text)] : [];
      },
    });
    const answer = unchangedAnswer(outcome, named(asked.say.unchanged));
    if (answer) await say(answer);
  };
}

function unchangedAnswer(outcome: Outcome, unchanged: string): string | undefined {
  if (outcome.kind === 'refused') return outcome.reason;
  if (outcome.kind === 'unchanged') return unchanged;
  return undefined;
}

/** The answer to the change, due at once: the runner is woken by the commit and sends it. */
function replyTo(effect: ClaimedEffect, asked: RunWithMember['payload'], text: string): ReplyInChat {
  return {
    kind: 'chat.reply',
    key: `chat.reply:${effect.key}`,
    incidentId: effect.incidentId!,
    payload: { conversation: asked.conversation, ...(asked.replyToId && { replyToId: asked.replyToId }), text: markdownParagraphs(text) },
  };
}
