import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { Outcome } from '../app/incidents';
import type { ChangeRequest, Command, DeclareIncident } from '../domain/decide';
import { isAnnouncement, type Incident, type RoleName } from '../domain/incident';
import { ROLE_LABEL, ROLE_NAMES } from '../domain/vocabulary';
import { conversationOf, inboundKey, personOf } from './activity';
import { ADAPTIVE_CARD_CONTENT_TYPE, incidentCard, type AdaptiveCard, type CardOptions } from './cards';
import type { BotDeps } from './deps';
import { personForm } from './forms';
import { member, roster } from './people';
import { resolveConfirmCard } from './resolving';
import { AUDIENCE_VERBS, audienceCardAction } from '../audiences/card-action';
import { publishFromCard, resolutionOffer } from '../status/card-publish';
import { postmortemTerms } from '../postmortem/terms';
import { PAGE_FORM_VERBS, pageFromCard } from '../paging/card-form';
import { FOLLOW_UP_VERBS } from '../followups/card-parts';
import { followUpCardAction } from '../followups/card-action';

type Change = Exclude<Command, DeclareIncident>;
type Inputs = Record<string, unknown> & { incidentId?: string };

/**
 * The incident card's buttons (`Action.Execute` → `adaptiveCard/action` invoke). The answer is the card as the
 * person who pressed sees it now; every other copy is updated for everyone by the outbox.
 */
export class CardActions {
  constructor(private readonly deps: BotDeps) {}

  async handle(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const inputs = (value.action?.data ?? {}) as Inputs;
    const incident = typeof inputs.incidentId === 'string' ? await this.deps.store.load(inputs.incidentId) : null;
    if (!incident) return error(404, 'NotFound', 'This card belongs to an incident Firebreak does not know.');
    const verb = value.action.verb;
    const here = conversationOf(context.activity).id;

    if (verb === 'refresh') return this.card(incident, here);
    // What this press is answered with (a confirmation, a refusal, a form) is not rewritten away at once (card-pace.ts).
    // Noted before the change is run, so the rewrite it sets off already knows.
    this.deps.cardPace?.answered({ conversationId: here, activityId: context.activity.replyToId }, this.deps.now());
    if (isAnnouncement(incident, here)) {
      // An older copy may still show buttons: the announcements channel reads, the incident's conversation steers.
      return this.card(incident, here, { text: "This copy is for reading; change the incident from its own conversation.", tone: 'attention' });
    }
    if (AUDIENCE_VERBS.includes(verb)) return respond(await audienceCardAction(this.deps, context, incident, verb, inputs));
    if (FOLLOW_UP_VERBS.includes(verb)) return respond(await followUpCardAction(this.deps, context, incident, verb, inputs));
    if (verb === 'handoffForm' || verb === 'roleForm') {
      const people = await roster(context).catch(() => [personOf(context.activity.from)]);
      return respond(personForm(incident, verb === 'handoffForm' ? 'handoff' : 'role', people));
    }
    // "Resolve incident" asks first, to the presser only; its "Resolve now" (`resolveConfirm`) resolves.
    if (verb === 'resolve') return respond(resolveConfirmCard(incident, this.deps.now(), typeof inputs.summary === 'string' ? inputs.summary.trim() || undefined : undefined));
    if (verb === 'publishForm' || verb === 'publish') return publishFromCard(this.deps, context, incident, verb, inputs);
    if (PAGE_FORM_VERBS.includes(verb)) return respond(await pageFromCard(this.deps, context, incident, verb, inputs));
    const change = await this.changeFor(verb, inputs, context);
    if ('refused' in change) return this.card(incident, here, { text: change.refused, tone: 'attention' });
    const by = personOf(context.activity.from);
    const outcome = await this.deps.incidents.run(incident.id, { ...change, at: this.deps.now().toISOString(), by } as Change, {
      inboundKey: inboundKey(context.activity),
    });
    // Resolved, and it was on the status page: the presser is offered the public resolution (issue 16, item 7).
    const offer = verb === 'resolveConfirm' && outcome.kind === 'changed' ? await resolutionOffer(this.deps, outcome.incident, by) : undefined;
    if (offer) return respond(offer);
    return this.answer(outcome, incident, here);
  }

  private async changeFor(verb: string, inputs: Inputs, context: TurnContext): Promise<ChangeRequest | { refused: string }> {
    const text = (name: string) => (typeof inputs[name] === 'string' ? (inputs[name] as string) : '');
    switch (verb) {
      case 'setSeverity':
        return { type: 'ChangeSeverity', severity: Number(text('severity')) };
      case 'setPhase':
        return { type: 'ChangePhase', phase: Number(text('phase')) };
      case 'takeCommand':
        return { type: 'ChangeCommander', to: personOf(context.activity.from), mode: 'take' };
      case 'handoff':
      case 'assignRole': {
        const person = text('person') ? await member(context, text('person')) : undefined;
        if (!person) return { refused: 'That person is not in this team; choose someone from the list.' };
        if (verb === 'handoff') return { type: 'ChangeCommander', to: person, mode: 'handoff' };
        const role = text('role') as RoleName;
        if (!ROLE_NAMES.includes(role)) return { refused: `Choose a role: ${ROLE_NAMES.map((r) => ROLE_LABEL[r]).join(', ')}.` };
        return { type: 'AssignRole', role, person };
      }
      case 'note':
        return { type: 'AddNote', kind: text('destructive') === 'true' ? 'action' : 'note', text: text('note'), via: 'card' };
      case 'update':
        return { type: 'PostStakeholderUpdate', text: text('update') };
      case 'resolveConfirm':
        return { type: 'ResolveIncident', summary: text('summary') || undefined, postmortem: postmortemTerms(this.deps) };
      default:
        return { refused: `This button ("${verb.slice(0, 40)}") is not one Firebreak knows; the card was refreshed.` };
    }
  }

  private async answer(outcome: Outcome, before: Incident, here: string): Promise<AdaptiveCardInvokeResponse> {
    switch (outcome.kind) {
      case 'refused':
        return this.card(before, here, { text: outcome.reason, tone: 'attention' });
      case 'unchanged':
        return this.card(outcome.incident, here, { text: 'Nothing to change: it is already so.', tone: 'good' });
      case 'duplicate':
        return this.card((await this.deps.store.load(before.id)) ?? before, here);
      case 'changed': {
        const noted = outcome.events.find((e) => e.type === 'NoteAdded');
        const text = noted ? (noted.kind === 'action' ? 'Announced in the incident conversation and added to the timeline.' : 'Added to the timeline.') : 'Done. Everyone sees the change.';
        return this.card(outcome.incident, here, { text, tone: 'good' });
      }
    }
  }

  private card(incident: Incident, conversationId: string, notice?: CardOptions['notice']): AdaptiveCardInvokeResponse {
    // In an announcement channel, a private incident shows only who leads it.
    const redact = isAnnouncement(incident, conversationId);
    return respond(incidentCard(incident, { now: this.deps.now(), redact, notice }));
  }
}

function respond(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
}

/** https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards#response-format */
function error(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } as never };
}
