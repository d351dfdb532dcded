import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { incidentLabel } from '../domain/messages';
import { inboundKey, personOf } from '../teams/activity';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../teams/cards';
import type { BotDeps } from '../teams/deps';
import { answerCard, VERB_ACK, VERB_CANT } from './page-card';

export const PAGE_ANSWER_VERBS: readonly string[] = [VERB_ACK, VERB_CANT];

/**
 * **Acknowledge** / **Can't** on a page card, pressed in the person's 1:1 chat. The answer replaces the card for
 * them: thanks and the ways in (the incident's channel, the meeting's join link), or in plain words why nothing
 * changed (an answered page, an older button, a resolved incident).
 */
export async function answerPage(deps: BotDeps, context: TurnContext, verb: string, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const text = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : '');
  const reply = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card });
  const paging = deps.paging;
  const page = paging && text('pageId') ? await paging.load(text('pageId')) : null;
  if (!paging || !page) return reply(answerCard(['This page is not one Firebreak knows; nothing was changed.']));
  const step = Number(text('step'));
  const personId = text('personId');
  const paged = page.chain.flat().find((p) => p.id === personId);
  const presser = personOf(context.activity.from);
  // The card went to one person's 1:1 chat; a forwarded or replayed button pressed by someone else is not their answer.
  if (!paged || (paged.aadObjectId && presser.aadObjectId?.toLowerCase() !== paged.aadObjectId)) {
    return reply(answerCard([`This page was sent to ${paged?.name ?? 'someone else'}; only they can answer it.`]));
  }
  const outcome = await paging.answer({ pageId: page.id, step: Number.isInteger(step) ? step : -1, personId, answer: verb === VERB_ACK ? 'ack' : 'cant', by: presser, inboundKey: inboundKey(context.activity) });
  if (outcome.kind === 'refused') return reply(answerCard([outcome.reason]));
  const now = (outcome.kind === 'paged' ? outcome.page : await paging.load(page.id)) ?? page;
  const incident = now.incidentId ? await deps.store.load(now.incidentId) : null;
  if (now.status === 'acknowledged' && now.acknowledgedBy?.id === personId) {
    const links = [
      ...(incident?.resources.channel?.url ? [{ title: 'Open the incident channel', url: incident.resources.channel.url }] : []),
      ...(incident?.resources.bridge?.url ? [{ title: 'Join the meeting', url: incident.resources.bridge.url }] : []),
    ];
    const lines = incident
      ? [
          `Thank you: you are a subject-matter expert on ${incidentLabel(incident)} (${incident.title}) now, and the incident's conversation was told.`,
          // Firebreak does not add attendees to the createOrGet meeting (docs/oncall.md): the link is the way in.
          incident.resources.bridge?.url ? 'Join the meeting with the link below; Firebreak does not add people to it.' : '',
        ].filter(Boolean)
      : [`Thank you: ${now.requestedBy.name} knows you are coming.`];
    return reply(answerCard(lines, links));
  }
  const next = now.status === 'open' && now.step !== step ? now.chain[now.step].map((p) => p.name).join(', ') : undefined;
  return reply(answerCard([next ? `Thanks for saying so: ${next} is being called instead.` : now.status === 'exhausted' ? 'Thanks for saying so. Nobody else is left to call; the incident commander was told.' : 'Thanks for saying so.']));
}
