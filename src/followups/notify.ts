import type { Incident, Person } from '../domain/incident';
import type { Message } from '../domain/messages';
import type { Graph } from '../graph/graph';
import type { Logger } from '../log';
import type { OrgPerson } from '../org/services';
import type { ClaimedEffect, Store } from '../store/store';
import type { TeamsOutbox } from '../teams/outbox';

export interface FollowUpNotifyDeps {
  store: Store;
  teams: TeamsOutbox;
  now: () => Date;
  log: Logger;
  /** Mail through Graph when configured: the owner's address is known from Teams or the organisation file. */
  mail?: { graph: Graph; sender: string };
  people?: readonly OrgPerson[];
}

/** A person's mail address: what Teams gave, else the organisation file's entry with the same Entra id or name. */
export function addressOf(person: Person, people: readonly OrgPerson[] = []): string | undefined {
  if (person.email) return person.email;
  // By Entra object id only: a display name is not an identity (two people may share one).
  const id = person.aadObjectId?.toLowerCase();
  return id ? people.find((p) => p.aadObjectId?.toLowerCase() === id)?.email : undefined;
}

/**
 * Tells one person about follow-ups: in the incident's conversation (the card's thread) with an @mention, so Teams
 * notifies them, and by mail when an address is known. Each once per effect step (`step` keys the mail).
 * TODO(integrate): a 1:1 chat from the bot (src/paging/, issue 17 item 5) instead of the incident conversation.
 */
export async function notify(deps: FollowUpNotifyDeps, effect: ClaimedEffect, signal: AbortSignal, incident: Incident, to: Person, message: Message, step = '', mailMessage: Message = message): Promise<void> {
  const thread = incident.cards.find((c) => c.conversationId === incident.origin.id)?.postedIn ?? incident.origin.id;
  await deps.teams.postMessage({ ...incident.origin, id: thread }, { ...message, mentions: [...(message.mentions ?? []), { id: to.id, name: to.name }] }, signal);
  const address = addressOf(to, deps.people);
  if (!deps.mail || !address) return;
  try {
    await deps.mail.graph.sendMail({ sender: deps.mail.sender, to: [address], subject: mailMessage.subject, text: mailMessage.lines.join('\n\n'), key: `${effect.key}${step}:mail` }, signal);
  } catch (err) {
    // The Teams message went; a mail that fails is logged, not retried (a retry would post in Teams again).
    deps.log.warn('a follow-up mail could not be sent', { effect: effect.key, error: (err as Error).message });
  }
}
