import type { TurnContext } from 'botbuilder';
import type { Incident } from '../domain/incident';
import { inboundKey, personOf } from '../teams/activity';
import type { AdaptiveCard } from '../teams/cards';
import type { BotDeps } from '../teams/deps';
import { member, roster } from '../teams/people';
import { answerTo, followUpPolicy } from './chat';
import { followUpForm } from './card';
import { VERB_ADD, VERB_CANCEL, VERB_DONE } from './card-parts';

/** The card's follow-up buttons: open the form, add an item, close one. Answered with the form, a notice on top. */
export async function followUpCardAction(deps: BotDeps, context: TurnContext, incident: Incident, verb: string, data: Record<string, unknown>): Promise<AdaptiveCard> {
  const people = await roster(context).catch(() => [personOf(context.activity.from)]);
  const text = (name: string) => (typeof data[name] === 'string' ? (data[name] as string).trim() : '');
  const form = (current: Incident, notice?: { text: string; tone: 'good' | 'attention' }) => followUpForm(current, people, notice);
  if (verb !== VERB_ADD && verb !== VERB_DONE && verb !== VERB_CANCEL) return form(incident);

  let change;
  if (verb === VERB_ADD) {
    const owner = text('owner') ? await member(context, text('owner')) : undefined;
    if (text('owner') && !owner) return form(incident, { text: 'That person is not in this team; choose someone from the list.', tone: 'attention' });
    change = { type: 'AddFollowUp' as const, text: text('followup'), ...(owner && { owner }), ...(text('due') && { due: text('due') }), policy: followUpPolicy(deps) };
  } else {
    const n = Number(text('n'));
    if (!Number.isInteger(n) || n < 1) return form(incident, { text: 'That button names no follow-up; the form was refreshed.', tone: 'attention' });
    change = { type: 'CloseFollowUp' as const, n, outcome: verb === VERB_DONE ? ('done' as const) : ('cancelled' as const) };
  }
  const outcome = await deps.incidents.run(incident.id, { ...change, at: deps.now().toISOString(), by: personOf(context.activity.from) }, { inboundKey: inboundKey(context.activity) });
  const current = outcome.kind === 'changed' || outcome.kind === 'unchanged' ? outcome.incident : ((await deps.store.load(incident.id)) ?? incident);
  const answer = answerTo(outcome, followUpPolicy(deps).windowDays);
  return form(current, answer ? { text: answer, tone: outcome.kind === 'refused' ? 'attention' : 'good' } : undefined);
}
