import type { Conversation } from './values';
import type { Message } from './messages';
import { hhmm, pagingLine, type Page, type Pagee, type PagingEvent } from './paging';

/**
 * What a page's events ask of the outside world, as data (the outbox): notify each paged person (a 1:1 chat, an
 * activity-feed notification, mail when the chat can't be had), a timer at the end of each step's window, and a word
 * to the people who paged when it moves on or runs out.
 */
export type PageEffect =
  | { kind: 'page.notify'; key: string; incidentId: string | null; payload: { pageId: string; step: number; person: Pagee } }
  | { kind: 'page.timeout'; key: string; incidentId: string | null; notBefore: string; payload: { pageId: string; step: number; due: string } }
  | { kind: 'message.post'; key: string; incidentId: string | null; payload: { conversation: Conversation; message: Message } };

export type PageEffectKind = PageEffect['kind'];

/**
 * `tellPlaces`: where the people who paged hear how it goes (the incident's own conversations, else where it was
 * asked); `label` names the incident ("INC-7") when there is one.
 */
export function pageEffects(events: readonly PagingEvent[], page: Page, tellPlaces: readonly Conversation[], label?: string): PageEffect[] {
  const effects: PageEffect[] = [];
  const incidentId = page.incidentId ?? null;
  const tell = (suffix: string, lines: string[]) => {
    for (const conversation of tellPlaces) {
      effects.push({
        kind: 'message.post',
        key: `message.post:page:${page.id}:${suffix}:${conversation.id}`,
        incidentId,
        payload: { conversation, message: { subject: `${label ? `${label}: ` : ''}page for ${page.service}`, lines } },
      });
    }
  };
  for (const event of events) {
    switch (event.type) {
      case 'PagePaged':
        for (const person of event.people) {
          effects.push({ kind: 'page.notify', key: `page.notify:${page.id}:${event.step}:${person.id}`, incidentId, payload: { pageId: page.id, step: event.step, person } });
        }
        effects.push({ kind: 'page.timeout', key: `page.timeout:${page.id}:${event.step}`, incidentId, notBefore: event.ackBy, payload: { pageId: page.id, step: event.step, due: event.ackBy } });
        if (event.step > 0) tell(`step${event.step}`, [pagingLine(event), `They have until ${hhmm(event.ackBy)} UTC to acknowledge.`]);
        break;
      case 'PageAcknowledged':
        // The person's own answer card carries the links (src/paging/answer.ts). In an incident the role change is announced (RoleAssigned); a page without one says so itself.
        if (!incidentId) tell('acked', [pagingLine(event)]);
        break;
      case 'PageDeclined':
        tell(`declined:${event.person.id}`, [pagingLine(event)]);
        break;
      case 'PageExhausted':
        tell('exhausted', [pagingLine(event), 'Call someone directly, or page another service.']);
        break;
      default: {
        const never: never = event;
        throw new Error(`unhandled ${JSON.stringify(never)}`);
      }
    }
  }
  return effects;
}
