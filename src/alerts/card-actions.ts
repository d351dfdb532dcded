import { createHash } from 'node:crypto';
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { conversationOf, personOf } from '../teams/activity';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../teams/cards';
import type { BotDeps } from '../teams/deps';
import { findService } from '../org/services';
import type { Incident, Person } from '../domain/incident';
import { alertCard, SILENCE_CHOICES } from './card';
import { alertDeclareForm } from './declare-form';
import type { AlertGroup } from './group';
import { recordAlertState } from './record-state';

type Inputs = Record<string, unknown> & { group?: string };

/**
 * The alert card's buttons (`Action.Execute`, verbs `alert.*`): Acknowledge, Silence here, Declare incident (its
 * form, then its submit). Each answers the presser with the card as it is now; the other copies are the outbox's.
 */
export class AlertCardActions {
  static handles(verb: string | undefined): boolean {
    return typeof verb === 'string' && verb.startsWith('alert.');
  }

  constructor(private readonly deps: BotDeps) {}

  async handle(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const inputs = (value.action?.data ?? {}) as Inputs;
    const key = typeof inputs.group === 'string' ? inputs.group : '';
    const g = key ? await this.deps.store.alerts.get(key) : undefined;
    if (!g) return error(404, 'NotFound', 'This card belongs to an alert group Firebreak does not know.');
    const by = personOf(context.activity.from);
    const at = this.deps.now().toISOString();
    switch (value.action.verb) {
      case 'alert.refresh':
        return this.card(g);
      case 'alert.ack': {
        const done = await this.deps.store.alerts.change(g.key, (x) => (x.acknowledged || x.episode !== g.episode ? undefined : { ...x, acknowledged: { name: by.name, at } }), at, { refreshCard: true });
        return this.card(done ?? g, done ? { text: `Acknowledged by ${by.name}.`, tone: 'good' } : { text: `Already acknowledged by ${g.acknowledged?.name ?? 'someone'}.`, tone: 'good' });
      }
      case 'alert.silence': {
        const minutes = Number(inputs.minutes);
        if (!(SILENCE_CHOICES as readonly number[]).includes(minutes)) return this.card(g, { text: `Choose how long to silence it: ${SILENCE_CHOICES.join(', ')} minutes.`, tone: 'attention' });
        const until = new Date(this.deps.now().getTime() + minutes * 60_000).toISOString();
        const done = await this.deps.store.alerts.change(g.key, (x) => ({ ...x, silencedUntil: until }), at, { refreshCard: true });
        return this.card(done ?? g, { text: `Silenced here by ${by.name} until ${until.slice(11, 16)} UTC: no new card for this group until then.`, tone: 'good' });
      }
      case 'alert.declare':
        if (g.incident) return this.card(g, { text: `INC-${g.incident.number} was already declared from this alert.`, tone: 'attention' });
        return respond(this.form(g));
      case 'alert.declareSubmit':
        return this.declare(context, g, inputs, by, at);
      default:
        return this.card(g, { text: `This button ("${value.action.verb.slice(0, 40)}") is not one Firebreak knows; the card was refreshed.`, tone: 'attention' });
    }
  }

  private form(g: AlertGroup, problem?: string): AdaptiveCard {
    const service = g.service && this.deps.org ? findService(this.deps.org.services, g.service) : undefined;
    const component = service?.component && this.deps.org?.statusPage.components.find((c) => c.id === service.component)?.name;
    return alertDeclareForm(g, service, component, problem);
  }

  /**
   * Declares once per alert episode: the incident id is derived from the group and episode, so a second press (or a
   * re-delivery) finds the same incident. Detection is monitoring, detected when the group first fired, for the
   * group's service.
   */
  private async declare(context: TurnContext, g: AlertGroup, inputs: Inputs, by: Person, at: string): Promise<AdaptiveCardInvokeResponse> {
    const origin = conversationOf(context.activity);
    const text = (name: string) => (typeof inputs[name] === 'string' ? (inputs[name] as string).trim() : '');
    const incidentId = idFor(`${g.key}#${g.episode}`);
    const outcome = await this.deps.incidents.declare(
      {
        type: 'DeclareIncident',
        incidentId,
        title: text('title'),
        description: `Declared from the alert "${g.title}"${g.service ? ` of ${g.service}` : ''}.${g.alerts[0]?.generatorURL ? ` Source: ${g.alerts[0].generatorURL}` : ''}`,
        severity: text('severity') ? Number(text('severity')) : g.severity,
        customerImpact: text('customerImpact') === 'true',
        private: text('private') === 'true',
        commander: by,
        origin,
        announceIn: this.deps.announceIn?.(origin),
        provisioning: this.deps.provisioning,
        mail: this.deps.mail,
        detection: 'monitoring',
        detectedAt: g.since,
        // From the stored group (mapped from the alert's labels), never from the form: the postmortem names it.
        ...(g.service && { service: g.service }),
        at,
        by,
      },
      { inboundKey: `alert-declare:${g.key}:${g.episode}` },
    );
    if (outcome.kind === 'refused') return respond(this.form(g, outcome.reason));
    const incident = outcome.kind === 'changed' ? outcome.incident : await this.deps.store.load(incidentId);
    if (!incident) return this.card(g, { text: 'The incident could not be declared; try again.', tone: 'attention' });
    const linked = await this.deps.store.alerts.change(g.key, (x) => (x.incident ? undefined : { ...x, incident: { id: incident.id, number: incident.number } }), at, { refreshCard: true });
    if (linked) await recordAlertState(this.deps, linked); // the incident card shows the alert from the start
    const published = await this.statusPage(g, incident, text('statusPage') === 'true', at);
    return this.card(linked ?? (await this.deps.store.alerts.get(g.key)) ?? g, { text: `Declared INC-${incident.number}; you lead it. Its card is in this thread.${published ? ` ${published}` : ''}`, tone: 'good' });
  }

  /**
   * Issue 20 item 7: the service's status page policy. `auto` publishes the first-contact update with its component on
   * the commander's behalf (recorded as "Firebreak for <IC>"); `ask` only when the form's box was ticked; never for a
   * private incident (publish.ts refuses it without the IC's explicit word).
   */
  private async statusPage(g: AlertGroup, incident: Incident, asked: boolean, at: string): Promise<string | undefined> {
    const service = g.service && this.deps.org ? findService(this.deps.org.services, g.service) : undefined;
    if (!service?.component || !this.deps.publish || incident.private) return undefined;
    if (service.statusPage === 'never' || (service.statusPage === 'ask' && !asked)) return undefined;
    const component = this.deps.org?.statusPage.components.find((c) => c.id === service.component);
    const onBehalf = { ...incident.commander, name: `Firebreak for ${incident.commander.name}` };
    const answer = await this.deps.publish({
      incident,
      text: `${service.component}: We are investigating a problem affecting ${component?.name ?? service.component}.`,
      by: onBehalf,
      at,
      inboundKey: `alert-publish:${incident.id}`,
    });
    return 'reply' in answer ? answer.reply.split('\n')[0] : undefined;
  }

  private async card(g: AlertGroup, notice?: { text: string; tone: 'good' | 'attention' }): Promise<AdaptiveCardInvokeResponse> {
    return respond(alertCard(g, { now: this.deps.now(), onCall: await this.deps.alerts?.onCall(g), ...(notice && { notice }) }));
  }
}

/** A UUID-shaped id from a seed: the same alert episode always declares the same incident. */
function idFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function respond(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
}

function error(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } as never };
}
