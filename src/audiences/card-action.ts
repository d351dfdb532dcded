import type { TurnContext } from 'botbuilder';
import type { Incident } from '../domain/incident';
import { audienceText } from '../org/audiences';
import type { Moment, OrgFile } from '../org/schema';
import { inboundKey, personOf } from '../teams/activity';
import type { AdaptiveCard } from '../teams/cards';
import type { BotDeps } from '../teams/deps';
import { sendToAudiences } from './send';
import { audienceUpdateCard, readInputs, sentCard, VERB_PREVIEW, VERB_SEND, type CardInputs } from './update-card';

export const AUDIENCE_VERBS: readonly string[] = [VERB_PREVIEW, VERB_SEND];

/** `update`'s card buttons: Preview (each picked audience's text side by side) and Send. Answered with the next card. */
export async function audienceCardAction(deps: BotDeps, context: TurnContext, incident: Incident, verb: string, data: Record<string, unknown>): Promise<AdaptiveCard> {
  const org = deps.org;
  if (!org) return sentCard(incident, ['There are no audiences here: the organisation file (FIREBREAK_ORG_FILE) is not set.']);
  const at = deps.now().toISOString();
  const inputs = readInputs(org, data);
  const texts = textsOf(org, incident, inputs, at, deps.statusUrl);
  if (verb === VERB_PREVIEW) return audienceUpdateCard(org, incident, inputs, { previews: texts });
  const picks = org.audiences.filter((a) => texts[a.id] !== undefined).map((audience) => ({ audience, text: texts[audience.id] }));
  const result = await sendToAudiences(deps, incident, picks, personOf(context.activity.from), at, inboundKey(context.activity));
  if ('refused' in result) return audienceUpdateCard(org, incident, inputs, { previews: texts, notice: result.refused });
  if ('duplicate' in result) return sentCard((await deps.store.load(incident.id)) ?? incident, ['Already sent.']);
  return sentCard(result.incident, result.sent);
}

/** Each picked audience's text: as edited on the card, else its chosen template filled with the summary. */
function textsOf(org: OrgFile, incident: Incident, inputs: CardInputs, at: string, statusUrl?: string): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const a of org.audiences) {
    if (!inputs.picked[a.id]) continue;
    texts[a.id] = inputs.text[a.id].trim() || (audienceText(incident, a, inputs.moment[a.id] as Moment, inputs.summary.trim(), at, statusUrl) ?? inputs.summary.trim());
  }
  return texts;
}
