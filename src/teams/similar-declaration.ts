import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Incident } from '../domain/incident';
import { coordinationLinks, incidentLabel } from '../domain/messages';
import { similarIncident, type DeclarationProbe } from '../domain/similar';
import { elapsed, type AdaptiveCard } from './cards';
import { conversationOf } from './activity';
import type { BotDeps } from './deps';
import { isOwnConversation } from './incident-list';
import { plain } from './text';

/** The verbs of the "Looks like INC-7" card (bot.ts routes them to FindIncidents). */
export const JOIN = 'joinIncident';
export const DECLARE_ANYWAY = 'declareAnyway';

/** How many active incidents the check looks at: the newest; anything older than 30 minutes does not count anyway. */
const LOOK_AT = 100;

/**
 * The active incident this declaration most likely repeats (same team, last 30 minutes), if any. A re-delivery of a
 * declaration already made (its inbound key seen) is not asked about: it would look like the incident it made.
 */
export async function similarTo(deps: BotDeps, probe: DeclarationProbe, key: string | undefined): Promise<Incident | undefined> {
  if (!deps.similarWindowMinutes) return undefined;
  if (key && (await deps.store.seenInbound(key))) return undefined;
  return similarIncident(await deps.store.list({ status: 'active', limit: LOOK_AT }), probe, deps.similarWindowMinutes);
}

/**
 * "Join" is offered, not open to anyone: it may add the person to a private channel, and a button's incident id is
 * anyone's to forge. The offer made to a person (for an incident) is recorded, and Join honours only that.
 */
const offerKey = (incidentId: string, personId: string) => `join-offer:${incidentId}:${personId}`;
export async function offerJoin(deps: BotDeps, incidentId: string, personId: string): Promise<void> {
  await deps.store.markInbound(offerKey(incidentId, personId), deps.now().toISOString());
}
export function joinOffered(deps: BotDeps, incidentId: string, personId: string): Promise<boolean> {
  return deps.store.seenInbound(offerKey(incidentId, personId));
}

/** Asks "Looks like INC-7 — Join it / Declare anyway" in the conversation instead of declaring; true when asked. */
export async function askIfSimilar(deps: BotDeps, context: TurnContext, key: string | undefined, declaration: { title: string; severity?: number }): Promise<boolean> {
  const probe = { title: declaration.title, origin: conversationOf(context.activity), at: deps.now().toISOString() };
  const similar = await similarTo(deps, probe, key);
  if (!similar) return false;
  if (key && !(await deps.store.markInbound(key, probe.at))) return true;
  await offerJoin(deps, similar.id, context.activity.from.id);
  const card = looksLikeCard(similar, declaration, context.activity.conversation.id, deps.now(), key ?? deps.newId());
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  return true;
}

/**
 * "Looks like INC-7: <title>, declared 3 min ago; Alice Adams leads it." A private incident is named as its card
 * names it outside its own conversation: no title.
 */
export function looksLike(incident: Incident, here: string, now: Date): string {
  const title = incident.private && !isOwnConversation(incident, here) ? 'a private incident' : `"${incident.title}"`;
  return `Looks like ${incidentLabel(incident)}: ${title}, declared ${elapsed(incident.declaredAt, now)} ago; ${incident.commander.name} leads it.`;
}

/** The question a chat `declare` gets when it looks like an active incident: join that one, or declare anyway. */
export function looksLikeCard(incident: Incident, declaration: { title: string; severity?: number }, here: string, now: Date, ask: string): AdaptiveCard {
  // `ask` names this question: everyone in the conversation sees the button, and however many press it, or however
  // often, it declares once (find-incidents.ts keys the declaration by it).
  const again = { title: declaration.title, ask, ...(declaration.severity !== undefined ? { severity: String(declaration.severity) } : {}) };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: plain(looksLike(incident, here, now)), wrap: true, weight: 'Bolder' },
      { type: 'TextBlock', text: `You were declaring: ${plain(declaration.title)}`, wrap: true, isSubtle: true },
    ],
    actions: [
      { type: 'Action.Execute', title: `Join ${incidentLabel(incident)}`, verb: JOIN, data: { incidentId: incident.id } },
      { type: 'Action.Execute', title: 'Declare anyway', verb: DECLARE_ANYWAY, data: again },
    ],
  };
}

/** What someone who joined reads: where the incident is run (a private one's links only in its own conversation). */
export function joinedText(incident: Incident, here: string, channelMember: boolean): string {
  const links = incident.private && !isOwnConversation(incident, here) && !channelMember ? [] : coordinationLinks(incident);
  const where = links.length ? ` It is run in: ${links.map((l) => l.label).join(', ')}.` : ' It is run in the conversation where it was declared.';
  const added = channelMember ? ' You are being added to its channel.' : '';
  return `You joined ${incidentLabel(incident)}.${added}${where}`;
}

/** A card that answers a button with words only (and the links it names). */
export function answerCard(text: string, links: { label: string; url: string }[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text: plain(text), wrap: true }],
    ...(links.length ? { actions: links.map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url })) } : {}),
  };
}
