import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Person } from '../domain/incident';
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

/** The member with this id, or undefined when Teams says they are not in the team/chat. */
export async function member(context: TurnContext, id: string): Promise<Person | undefined> {
  try {
    const m = await TeamsInfo.getMember(context, id);
    return { id: m.id, name: m.name || m.givenName || 'Someone', ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}), ...(m.email ? { email: m.email } : {}) };
  } catch (err) {
    const failure = classify(err);
    if (failure.kind === 'not-found' || (err as { code?: string }).code === 'MemberNotFoundInConversation') return undefined;
    throw failure;
  }
}
