import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Incident } from '../domain/incident';
import { ADAPTIVE_CARD_CONTENT_TYPE, incidentCard, type AdaptiveCard } from '../teams/cards';
import { inboundKey, personOf } from '../teams/activity';
import type { BotDeps } from '../teams/deps';
import { readForm } from './publish-card';
import { mayPublish } from './publish';

const respond = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card });

/**
 * The card's "Publish to status page…" (`publishForm`: the form, to the presser only) and its submit (`publish`):
 * the same publisher as the `publish` command. A refused submit shows the form again with the reason and what was
 * typed; a refused opening shows the card with the reason.
 */
export async function publishFromCard(deps: BotDeps, context: TurnContext, incident: Incident, verb: 'publishForm' | 'publish', inputs: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const now = deps.now();
  const card = (text: string, tone: 'good' | 'attention') => respond(incidentCard(incident, { now, notice: { text, tone } }));
  if (!deps.publish || !deps.publishCards) return card('There is no status page here: the organisation file (FIREBREAK_ORG_FILE) is not set.', 'attention');
  const by = personOf(context.activity.from);
  if (verb === 'publishForm') {
    const refused = mayPublish(incident, by, true);
    if (refused) return card(refused, 'attention');
    return respond(await deps.publishCards.form(incident, now.toISOString()));
  }
  const form = readForm(inputs);
  const answer = await deps.publish({ incident, form, by, at: now.toISOString(), inboundKey: inboundKey(context.activity) });
  const fresh = (await deps.store.load(incident.id)) ?? incident;
  if ('duplicate' in answer) return respond(incidentCard(fresh, { now }));
  if (answer.published) return respond(incidentCard(fresh, { now, notice: { text: answer.reply, tone: 'good' } }));
  const values = Object.fromEntries(Object.entries(inputs).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return respond(await deps.publishCards.form(incident, now.toISOString(), { problem: answer.reply, values, resolution: form.status === 'resolved' }));
}

/** After a resolve: the public resolution form, when the incident was published and the resolver may publish it. */
export async function resolutionOffer(deps: BotDeps, incident: Incident, by: ReturnType<typeof personOf>): Promise<AdaptiveCard | undefined> {
  if (!deps.publishCards || !(await deps.publishCards.awaitsResolution(incident))) return undefined;
  if (mayPublish(incident, by, true)) return undefined;
  return deps.publishCards.form(incident, deps.now().toISOString(), { resolution: true, lead: `INC-${incident.number} is resolved. It is on the status page: publish the resolution.` });
}
