import type { TurnContext } from 'botbuilder';
import type { Person } from '../domain/incident';
import type { BotDeps } from '../teams/deps';
import { replyInCommit } from '../teams/replies';
import { markdownMessage } from '../teams/text';
import { incidentAt } from '../teams/where';
import { PUBLISH_USAGE } from './publish';

/** `publish …` typed to the bot: the incident of this conversation, published through the one publishing module. */
export async function publishFromChat(deps: BotDeps, context: TurnContext, text: string, by: Person, at: string, inboundKey: string | undefined): Promise<void> {
  const conversationId = context.activity.conversation.id;
  const reply = async (answer: string) => {
    // Refusals are answered once per activity; a publication's own answer is guarded by its inbound key.
    await context.sendActivity(markdownMessage(answer));
  };
  const once = async (answer: string) => {
    if (inboundKey && !(await deps.store.markInbound(inboundKey, at))) return;
    await reply(answer);
  };
  if (!deps.publish) return once('There is no status page here: the organisation file (FIREBREAK_ORG_FILE) is not set.');
  if (!text.trim()) return once(`Usage: ${PUBLISH_USAGE}`);
  // A resolved incident's thread is its own too: `publish resolved …` after `resolve confirm`.
  const here = await incidentAt(deps.store, conversationId);
  if (!here) return once('There is no incident in this conversation to publish.');
  if ('none' in here) return once(here.none);
  // A publication's answer is written with it (its timeline entry): a crash right after the HTTP answer loses neither.
  const recorded = replyInCommit(context, { key: inboundKey, at, graceMs: deps.replyGraceMs });
  const answer = await deps.publish({ incident: here.incident, text, by, at, inboundKey, reply: (said, incident) => recorded.effect(said, incident.id, `${incident.id}:${incident.version}`) });
  if ('duplicate' in answer || (answer.recorded && recorded.said())) return;
  // A refusal changed nothing and recorded no key: answer it once; a publication recorded its key with its note.
  if (answer.published) return reply(answer.reply);
  return once(answer.reply);
}
