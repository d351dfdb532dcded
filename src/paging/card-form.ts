import type { TurnContext } from 'botbuilder';
import type { Incident } from '../domain/incident';
import { findService } from '../org/services';
import { inboundKey, personOf } from '../teams/activity';
import type { AdaptiveCard } from '../teams/cards';
import type { BotDeps } from '../teams/deps';
import { plain } from '../teams/text';
import { answerCard } from './page-card';
import { pageOutcomeText } from './outcome-text';
import { incidentLabel } from '../domain/messages';

export const VERB_PAGE_FORM = 'page.form';
export const VERB_PAGE_SEND = 'page.send';
export const PAGE_FORM_VERBS: readonly string[] = [VERB_PAGE_FORM, VERB_PAGE_SEND];

/** "Page experts…" on the incident card: a small form (services, several at once, and why), then the pages sent. */
export async function pageFromCard(deps: BotDeps, context: TurnContext, incident: Incident, verb: string, data: Record<string, unknown>): Promise<AdaptiveCard> {
  const services = deps.experts?.org.services ?? [];
  if (!deps.paging || !services.length) return answerCard(['Paging needs the services of the organisation file (FIREBREAK_ORG_FILE), and it lists none.']);
  if (verb === VERB_PAGE_FORM) return pageForm(incident, services.map((s) => ({ name: s.name, description: s.description })));
  const picked = (typeof data.services === 'string' ? data.services : '').split(',').map((s) => s.trim()).filter(Boolean);
  const reason = typeof data.reason === 'string' ? data.reason.trim() : '';
  if (!picked.length) return pageForm(incident, services.map((s) => ({ name: s.name, description: s.description })), 'Choose at least one service to page.');
  const by = personOf(context.activity.from);
  const key = inboundKey(context.activity);
  const lines: string[] = [];
  for (const name of [...new Set(picked)].slice(0, 10)) {
    const service = findService(services, name);
    if (!service) {
      lines.push(`There is no service "${name.slice(0, 60)}".`);
      continue;
    }
    const outcome = await deps.paging.request({ service, reason, by, incidentId: incident.id, ...(key && { inboundKey: `${key}:page:${service.name}` }) });
    lines.push(outcome.kind === 'duplicate' ? `${service.name}: already sent.` : pageOutcomeText(service.name, outcome));
  }
  return answerCard([`${incidentLabel(incident)}: page experts`, ...lines]);
}

export function pageForm(incident: Incident, services: { name: string; description?: string }[], notice?: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      ...(notice ? [{ type: 'TextBlock', text: plain(notice), wrap: true, color: 'Attention', weight: 'Bolder' }] : []),
      { type: 'TextBlock', text: `${incidentLabel(incident)}: page experts`, weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'Input.ChoiceSet',
        id: 'services',
        label: 'Services whose on-call people to page',
        isMultiSelect: true,
        style: 'expanded',
        isRequired: true,
        errorMessage: 'Choose at least one service',
        choices: services.map((s) => ({ title: plain(s.description ? `${s.name}: ${s.description}` : s.name), value: s.name })),
      },
      { type: 'Input.Text', id: 'reason', label: 'Why (they see it)', maxLength: 500, isMultiline: true },
    ],
    actions: [{ type: 'Action.Execute', title: 'Page', verb: VERB_PAGE_SEND, data: { incidentId: incident.id } }],
  };
}
