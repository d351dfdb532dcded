import type { TurnContext } from 'botbuilder';
import type { PersonField, RunWithMember } from '../domain/mention-effect';
import type { Person } from '../domain/incident';
import { conversationOf } from './activity';
import type { BotDeps } from './deps';
import { sayRecorded } from './replies';

/** The effects' default lease (config: EFFECT_LEASE_SECONDS), for a bot made without one. */
const DEFAULT_GRACE_MS = 60_000;

/**
 * Takes a command that names someone (`ic @Bob`) without asking Teams who Bob is first, so the HTTP answer comes
 * before any Bot Connector call (issue 15 item 1).
 *
 * Why not act on the mention entity alone: it carries Bob's id and name, but not whether he is in this team or chat
 * (a command must not make an outsider commander: the refusal has to come before the change), nor his Entra object
 * id and email, which 1:1 notices and mails need. So the lookup must come before the change, and the command waits
 * for it durably: a `chat.mention` effect, written with the activity's inbound key in one transaction (a re-delivery
 * writes nothing). Right after the answer this process claims and runs it (replies.ts, in order with the turn's
 * other replies); if this process dies first, any worker runs it once `notBefore` (a lease) has passed. Nothing
 * someone asked for is lost, and nothing waits on Teams before the answer.
 *
 * Returns false when this activity was taken before (a re-delivery): nothing is said.
 */
export async function takeWithMember(
  deps: Pick<BotDeps, 'store' | 'replyGraceMs'>,
  context: TurnContext,
  asked: {
    incidentId: string;
    key: string | undefined;
    mention: Person;
    command: RunWithMember['payload']['command'];
    personAt: PersonField;
    at: string;
    by: Person;
    say: RunWithMember['payload']['say'];
  },
): Promise<boolean> {
  const activity = context.activity;
  const { incidentId, key, at, ...rest } = asked;
  const effect: RunWithMember = {
    kind: 'chat.mention',
    // Without an activity id there is no re-delivery to tell apart: the incident and the time name the command.
    key: `chat.mention:${key ?? `${incidentId}:${at}:${asked.mention.id}`}`,
    incidentId,
    notBefore: new Date(Date.parse(at) + (deps.replyGraceMs ?? DEFAULT_GRACE_MS)).toISOString(),
    payload: { conversation: conversationOf(activity), ...(activity.id && { replyToId: activity.id }), at, ...rest },
  };
  if (!(await deps.store.enqueue([effect], { inboundKey: key, now: at }))) return false;
  sayRecorded(context, effect);
  return true;
}
