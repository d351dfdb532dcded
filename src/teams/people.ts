import { TeamsInfo, type CloudAdapter, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { Conversation, Person } from '../domain/incident';
import { referenceTo } from './activity';
import { classify } from './outbox';

/**
 * People come from Teams (mentions, the roster), never from typed names. A person is somebody in this team
 * (or chat); anyone else is refused in plain words.
 */
export async function roster(context: TurnContext, limit = 200): Promise<Person[]> {
  const people: Person[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, Math.min(limit, 100), continuationToken);
    for (const m of page.members) people.push({ id: m.id, name: m.name || m.givenName || 'Someone', ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}), ...(m.email ? { email: m.email } : {}) });
    continuationToken = page.continuationToken;
  } while (continuationToken && people.length < limit);
  return people;
}

const PLAUSIBLE_MEMBER_ID = /^[\w:@.+=\-]{1,256}$/;

/** The member with this id, or undefined when Teams says they are not in the team/chat. */
export async function member(context: TurnContext, id: string): Promise<Person | undefined> {
  return memberFrom(id, () => TeamsInfo.getMember(context, id));
}

/** Looks members up outside a turn: the worker that runs a command naming someone (src/workers/effects/chat-mention.ts). */
export interface MemberLookup {
  /** The member with this id in the conversation's team (or chat), or undefined when Teams says they are not there. */
  member(conversation: Conversation, id: string, signal?: AbortSignal): Promise<Person | undefined>;
}

export function createMemberLookup(adapter: CloudAdapter, botAppId: string): MemberLookup {
  return {
    member(conversation, id, signal) {
      return memberFrom(id, async () => {
        signal?.throwIfAborted();
        let found: TeamsChannelAccount | undefined;
        // botbuilder's member calls take no abort signal: the attempt stops waiting when the signal fires.
        const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
        const lookup = adapter.continueConversationAsync(botAppId, referenceTo(conversation, botAppId), async (context) => {
          // As in the message's own turn: a channel's members are its team's (TeamsInfo.getMember reads the team id
          // from the activity's channelData, which a proactive turn does not have).
          found = conversation.teamId ? await TeamsInfo.getTeamMember(context, conversation.teamId, id) : await TeamsInfo.getMember(context, id);
        });
        await Promise.race([lookup, aborted]);
        return found!;
      });
    },
  };
}

async function memberFrom(id: string, get: () => Promise<TeamsChannelAccount>): Promise<Person | undefined> {
  // A Teams member id ("29:1a2b…", an Entra object id, an 8:orgid: id) is short and plain; anything else (a form field
  // can carry whatever a client sends) names nobody, and would only make the connector's URL too long (431).
  if (!PLAUSIBLE_MEMBER_ID.test(id)) return undefined;
  try {
    const m = await get();
    return { id: m.id, name: m.name || m.givenName || 'Someone', ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}), ...(m.email ? { email: m.email } : {}) };
  } catch (err) {
    const failure = classify(err);
    // 400: the connector could not read the id as anyone's: as good as not a member.
    if (failure.kind === 'not-found' || failure.status === 400 || (err as { code?: string }).code === 'MemberNotFoundInConversation') return undefined;
    throw failure;
  }
}
