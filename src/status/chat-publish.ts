import type { TurnContext } from 'botbuilder';
import type { Incident, Person } from '../domain/incident';
import type { ReplyInChat } from '../domain/react';
import type { BotDeps } from '../teams/deps';
import { markdownLine } from '../teams/text';
import { DEFAULT_REPLY_GRACE_MS, replyEffect, sayRecorded } from '../teams/replies';
import { incidentAt } from '../teams/where';
import { PUBLISH_USAGE } from './publish';

/** `publish …` typed to the bot: the incident of this conversation, published through the one publishing module. */
export async function publishFromChat(deps: BotDeps, context: TurnContext, text: string, by: Person, at: string, inboundKey: string | undefined): Promise<void> {
  const conversationId = context.activity.conversation.id;
  const reply = async (answer: string) => {
    // Refusals are answered once per activity; a publication's own answer is guarded by its inbound key.
    await context.sendActivity({ type: 'message', text: answer.split('\n').map(markdownLine).join('\n\n'), textFormat: 'markdown' });
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
  let recorded: ReplyInChat | undefined;
  // A publication's answer is written with it (its timeline entry): a crash right after the HTTP answer loses neither.
  const said = (answer: string, incident: Incident) => {
    recorded = replyEffect(context, { key: inboundKey ?? `${incident.id}:${incident.version}`, incidentId: incident.id, text: answer.split('\n').map(markdownLine).join('\n\n'), at, graceMs: deps.replyGraceMs ?? DEFAULT_REPLY_GRACE_MS });
    return [recorded];
  };
  const answer = await deps.publish({ incident: here.incident, text, by, at, inboundKey, reply: said });
  if ('duplicate' in answer) return;
  if (answer.recorded && recorded) return sayRecorded(context, recorded);
  // A refusal changed nothing and recorded no key: answer it once; a publication recorded its key with its note.
  if (answer.published) return reply(answer.reply);
  return once(answer.reply);
}
