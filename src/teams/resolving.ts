import type { Incident } from '../domain/incident';
import { resolvedAnswer, resolveQuestion } from '../domain/resolution';
import type { AdaptiveCard } from './cards';
import { plain } from './text';

/**
 * `resolve` asks before it resolves (issue 14, item 13): where the incident stands, how long it has been open, the
 * roles nobody holds, and the summary it would be resolved with. A resolved incident answers that it is resolved
 * and what still makes sense instead of asking.
 */
export function askToResolve(incident: Incident, at: string, summary?: string): string {
  if (incident.status === 'resolved') return resolvedAnswer(incident, at);
  return resolveQuestion(incident, at, summary).join('\n');
}

/**
 * The same question asked by the card's "Resolve incident" button: shown to the person who pressed it only (the
 * Universal Actions response replaces the card for that user), with a button that resolves (`resolveConfirm`,
 * carrying the summary) and one that goes back to the live card (`refresh`). Nobody else's card changes until it
 * is confirmed.
 */
export function resolveConfirmCard(incident: Incident, now: Date, summary?: string): AdaptiveCard {
  if (incident.status === 'resolved') return notice(resolvedAnswer(incident, now.toISOString()), incident);
  const [question, ...lines] = resolveQuestion(incident, now.toISOString(), summary);
  // The typed form ("To resolve it now, type: …") is for chat; here the button says it.
  const facts = lines.filter((l) => !l.startsWith('To resolve it now'));
  const data = { incidentId: incident.id, ...(summary ? { summary } : {}) };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: plain(question), weight: 'Bolder', size: 'Medium', wrap: true },
      ...facts.map((line) => ({ type: 'TextBlock', text: plain(line), wrap: true, spacing: 'Small' })),
    ],
    actions: [
      { type: 'Action.Execute', title: 'Resolve now', verb: 'resolveConfirm', style: 'positive', data },
      { type: 'Action.Execute', title: 'Not yet', verb: 'refresh', data: { incidentId: incident.id } },
    ],
    msteams: { width: 'Full' },
  };
}

function notice(text: string, incident: Incident): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: text.split('\n').map((line) => ({ type: 'TextBlock', text: plain(line), wrap: true })),
    actions: [{ type: 'Action.Execute', title: 'Back to the card', verb: 'refresh', data: { incidentId: incident.id } }],
  };
}
