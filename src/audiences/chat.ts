import type { TurnContext } from 'botbuilder';
import type { Person } from '../domain/incident';
import { audienceText, findAudience, momentsOf } from '../org/audiences';
import type { OrgFile } from '../org/schema';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../teams/cards';
import type { BotDeps } from '../teams/deps';
import { replyInCommit } from '../teams/replies';
import { markdownMessage } from '../teams/text';
import { incidentAt } from '../teams/where';
import { sendToAudiences } from './send';
import { audienceUpdateCard, freshInputs } from './update-card';

/** `update` alone, and `update <audience>: <text>`. */
export const AUDIENCE_USAGE = 'update   (a card: pick audiences and templates, preview, send) · update <audience>: <text>   (one audience, in its template)';

/**
 * The audience forms of `update` typed to the bot, when there is an organisation file. Returns false for what keeps
 * today's meaning (`update <text>`: the incident's default audiences), which the caller then runs as before.
 */
export async function audienceUpdateFromChat(deps: BotDeps, context: TurnContext, text: string, by: Person, at: string, key: string | undefined): Promise<boolean> {
  const org = deps.org;
  const rest = /^\/?update\b\s*([\s\S]*)$/i.exec(text.trim())?.[1].trim();
  if (!org || rest === undefined) return false;
  const named = rest ? audienceLine(org, rest) : undefined;
  if (rest && !named) return false;
  const reply = async (answer: string) => {
    if (key && !(await deps.store.markInbound(key, at))) return;
    await context.sendActivity(markdownMessage(answer));
  };
  if (named && 'unknown' in named) {
    await reply(`There is no audience "${named.unknown}". The audiences are: ${org.audiences.map((a) => `${a.id} (${a.name})`).join(', ')}.`);
    return true;
  }
  const here = await incidentAt(deps.store, context.activity.conversation.id);
  if (!here || 'none' in here) {
    await reply(here ? here.none : 'There is no active incident in this conversation to update.');
    return true;
  }
  const incident = here.incident;
  if (!named) {
    if (key && !(await deps.store.markInbound(key, at))) return true;
    const card = audienceUpdateCard(org, incident, freshInputs(org, incident));
    await context.sendActivity({ type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] });
    return true;
  }
  const audience = named.audience;
  const body = audienceText(incident, audience, momentsOf(audience)[0], named.text, at, deps.statusUrl) ?? named.text;
  // Who was told is answered by a reply written with the update: a crash right after the answer loses neither.
  const answer = replyInCommit(context, { key, at, graceMs: deps.replyGraceMs });
  const result = await sendToAudiences(deps, incident, [{ audience, text: body }], by, at, key, (text, now) => answer.effect(text, now.id, `${now.id}:${now.version}`));
  if ('duplicate' in result) return true;
  if ('refused' in result) {
    await reply(result.refused);
    return true;
  }
  if (!(result.recorded && answer.said())) await reply(result.sent.join('\n'));
  return true;
}

/**
 * `support: text` or `Front-line support: text`: a known audience; a one-word prefix that is none of them is a
 * mistyped audience (answered with the list); anything else is an ordinary update that happens to have a colon.
 */
function audienceLine(org: OrgFile, rest: string) {
  const m = /^([^:\n]{1,100}):\s*([\s\S]+)$/.exec(rest);
  if (!m) return undefined;
  const audience = findAudience(org, m[1]);
  if (audience) return { audience, text: m[2].trim() };
  return /^[a-z0-9][a-z0-9_-]*$/i.test(m[1].trim()) ? { unknown: m[1].trim() } : undefined;
}
