import type { TurnContext } from 'botbuilder';
import type { Person } from '../domain/incident';
import type { Page } from '../domain/paging';
import { incidentLabel } from '../domain/messages';
import { findService, type Service } from '../org/services';
import type { BotDeps } from '../teams/deps';
import { replyInCommit } from '../teams/replies';
import { markdownMessage } from '../teams/text';
import { incidentAt } from '../teams/where';
import { pageOutcomeText } from './outcome-text';

export const PAGE_USAGE = 'page <service> [why]   (calls whoever is on call for it in a 1:1 chat with me; no answer within its window, 5 min by default: the next)';

/** `page <service> [why]` in an incident's conversation: pages the service's on-call people. Answered once. */
export async function pageFromChat(deps: BotDeps, context: TurnContext, text: string, number: number | undefined, by: Person, key: string | undefined): Promise<void> {
  const say = async (answer: string) => {
    if (key && !(await deps.store.markInbound(key, deps.now().toISOString()))) return;
    await context.sendActivity(markdownMessage(answer));
  };
  const paging = deps.paging;
  const services = deps.experts?.org.services ?? [];
  if (!paging || !services.length) return say('Paging needs the services of the organisation file (FIREBREAK_ORG_FILE), and it lists none.');
  const [asked = '', ...rest] = text.trim().split(/\s+/);
  if (!asked) return say(`Usage: ${PAGE_USAGE}\nServices: ${services.map((s) => s.name).join(', ')}`);
  const service = findService(services, asked);
  if (!service) return say(unknownService(services, asked));
  const here = await incidentAt(deps.store, context.activity.conversation.id, number);
  if (!here) return say(`Page from an incident's conversation, so the people paged know what for (or start with its number: "INC-7 page ${service.name}").`);
  if ('none' in here) return say(here.none);
  const label = incidentLabel(here.incident);
  // A page made is answered by a reply written with it (a crash after the answer loses neither); anything else once.
  const answer = replyInCommit(context, { key, at: deps.now().toISOString(), graceMs: deps.replyGraceMs });
  const reply = (page: Page) => answer.effect(pageOutcomeText(service.name, { kind: 'paged', page }, label), here.incident.id, `page:${page.id}`);
  const outcome = await paging.request({ service, reason: rest.join(' '), by, incidentId: here.incident.id, inboundKey: key, reply });
  if (outcome.kind === 'duplicate' || (outcome.kind === 'paged' && answer.said())) return;
  return say(pageOutcomeText(service.name, outcome, label));
}

/** "I don't know a service called "paymnts". Did you mean payments?" — the closest names, else every one. */
export function unknownService(services: readonly Service[], asked: string): string {
  const wanted = asked.toLowerCase().slice(0, 60);
  const scored = services
    .flatMap((s) => [s.name, ...s.aliases].map((n) => ({ name: s.name, d: distance(wanted, n) })))
    .sort((a, b) => a.d - b.d)
    .filter((s, i, all) => all.findIndex((t) => t.name === s.name) === i);
  const close = scored.filter((s) => s.d <= Math.max(2, Math.floor(wanted.length / 3)) || s.name.startsWith(wanted) || wanted.startsWith(s.name)).slice(0, 3);
  const names = (list: { name: string }[]) => list.map((s) => s.name).join(', ');
  return close.length ? `I don't know a service called "${wanted}". Did you mean ${names(close)}? All services: ${names(scored.sort((a, b) => a.name.localeCompare(b.name)))}` : `I don't know a service called "${wanted}". Services: ${services.map((s) => s.name).join(', ')}`;
}

/** Levenshtein distance, for the names of a few dozen services. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}
