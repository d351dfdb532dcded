import type { Incident } from '../domain/incident';
import { hhmm, type Page, type Pagee } from '../domain/paging';
import { incidentLabel } from '../domain/messages';
import type { AdaptiveCard } from '../teams/cards';
import { plain } from '../teams/text';

/** The verbs of the paged person's buttons; `data` carries the page, the step and who it was sent to. */
export const VERB_ACK = 'page.ack';
export const VERB_CANT = 'page.cant';

/**
 * What a paged person gets in their 1:1 chat with the bot: the incident's number and title, why, who paged and until
 * when to answer, with **Acknowledge** and **Can't**. `Action.Execute` (Universal Actions) works in a bot's 1:1 chat
 * and arrives as an `adaptiveCard/action` invoke, answered with the card that replaces this one for the presser.
 */
export function pageCard(page: Page, person: Pagee, incident: Incident | null): AdaptiveCard {
  const data = { pageId: page.id, step: String(page.step), personId: person.id };
  const facts = [
    ...(incident ? [{ title: 'Incident', value: `${incidentLabel(incident)}: ${plain(incident.title)} (severity ${incident.severity})` }] : []),
    { title: 'Service', value: plain(page.service) },
    ...(page.reason ? [{ title: 'Why', value: plain(page.reason) }] : []),
    { title: 'Paged by', value: plain(page.requestedBy.name) },
    { title: 'Answer by', value: `${hhmm(page.ackBy)} UTC, or the next person is called` },
  ];
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: `You are paged for ${plain(page.service)}`, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts },
    ],
    actions: [
      { type: 'Action.Execute', title: 'Acknowledge', verb: VERB_ACK, data, style: 'positive' },
      { type: 'Action.Execute', title: "Can't", verb: VERB_CANT, data },
    ],
  };
}

/** The card that replaces the page card for whoever answered: plain words, and the ways in when they come. */
export function answerCard(lines: string[], links: { title: string; url: string }[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: lines.map((text, i) => ({ type: 'TextBlock', text: plain(text), wrap: true, ...(i === 0 && { weight: 'Bolder' }) })),
    ...(links.length && { actions: links.map((l) => ({ type: 'Action.OpenUrl', title: plain(l.title), url: l.url })) }),
  };
}

/** The mail sent when the 1:1 chat can't be had (no Entra id in the file, the app not installed for them). */
export function pageMail(page: Page, incident: Incident | null): { subject: string; text: string } {
  const label = incident ? `${incidentLabel(incident)}: ${incident.title}` : page.service;
  return {
    subject: `Paged for ${page.service}: ${label}`.slice(0, 200),
    text: [
      `${page.requestedBy.name} paged you for ${page.service}${incident ? ` in ${incidentLabel(incident)} (${incident.title}, severity ${incident.severity})` : ''}.`,
      page.reason ? `Why: ${page.reason}` : '',
      incident?.resources.channel?.url ? `Join: ${incident.resources.channel.url}` : '',
      incident?.resources.bridge?.url ? `Bridge: ${incident.resources.bridge.url}` : '',
      `Firebreak could not reach you in Teams, so this mail is not an answer: tell ${page.requestedBy.name} directly, or the next person is called at ${hhmm(page.ackBy)} UTC.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
  };
}
