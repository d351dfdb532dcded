import type { TurnContext } from 'botbuilder';
import { findService } from '../org/services';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../teams/cards';
import type { BotDeps } from '../teams/deps';
import { markdownMessage } from '../teams/text';
import { expertsCard } from './card';
import { directory } from './source';

export const EXPERTS_USAGE = 'experts <service>   (who is on call for a service and for what it depends on)';

/** `experts <service>` typed to the bot: a card, or in plain words which services there are. Answered once. */
export async function expertsFromChat(deps: BotDeps, context: TurnContext, text: string, inboundKey: string | undefined): Promise<void> {
  if (inboundKey && !(await deps.store.markInbound(inboundKey, deps.now().toISOString()))) return;
  const say = (answer: string) => context.sendActivity(markdownMessage(answer));
  const experts = deps.experts;
  if (!experts || !experts.org.services.length) return void (await say('No services are listed here: the organisation file (FIREBREAK_ORG_FILE) has no services section.'));
  const known = experts.org.services.map((s) => s.name).join(', ');
  const asked = text.trim().split(/\s+/)[0] ?? '';
  if (!asked) return void (await say(`Usage: ${EXPERTS_USAGE}\nServices: ${known}`));
  const service = findService(experts.org.services, asked);
  if (!service) return void (await say(`I don't know a service called "${asked.slice(0, 60)}". Services: ${known}`));
  const [entry] = await directory(experts.org, experts.source, deps.now(), service);
  const escalation = experts.org.people.find((p) => p.id === service.escalation);
  await context.sendActivity({ type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: expertsCard(entry, escalation, experts.pageUrl) }] });
}
