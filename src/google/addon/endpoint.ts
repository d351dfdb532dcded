import { createHash, randomUUID } from 'node:crypto';
import type { Incidents } from '../../app/incidents';
import type { Command, DeclareIncident } from '../../domain/decide';
import { incidentLabel } from '../../domain/messages';
import type { Incident } from '../../domain/incident';
import { timeline } from '../../domain/timeline';
import type { Logger } from '../../log';
import type { Store } from '../../store/store';
import { changeFor, isSidebarAction, notice, type SidebarAction } from './actions';
import { resolvedRefusal } from './resolved';
import { errorCard, fileAccessCard, incidentCard, notIncidentCard, type CardContext } from './cards';
import { parseEvent, type AddonEvent } from './event';
import { docIdOf } from '../incident-docs';
import { incidentOfDoc } from './incident-doc';
import { mayChange, personFor } from './people';
import { pushCard, requestFileScope, updateCard, type AddonResponse } from './responses';
import { KeysUnavailable, Unauthenticated, type GoogleUser, type Verifier } from './verify';
import type { Card } from './widgets';

export interface AddonAnswer {
  status: number;
  body?: unknown;
}

export interface AddonDeps {
  store: Store;
  incidents: Incidents;
  verifier: Verifier;
  log: Logger;
  now: () => Date;
  /** The endpoint URL in the deployment: buttons call it back. */
  url: string;
  allowedDomains: readonly string[];
  declareUrl?: string;
}

/** The parameters Firebreak's own buttons carry; anything else did not come from a Firebreak card. */
const PARAMETERS = new Set(['action', 'incidentId', 'nonce']);

/**
 * POST /api/addon: every trigger and button of the Docs sidebar arrives here and is routed on
 * `commonEventObject.parameters`. Errors map in one place: not Google's request 401, Google's keys unreachable 503,
 * a malformed event 400, anything Firebreak cannot act on a card that says why (never a 500 for bad input).
 */
export function createAddonEndpoint(deps: AddonDeps) {
  async function handle(body: unknown, authorization: string | undefined): Promise<AddonAnswer> {
    let user: GoogleUser;
    let event: AddonEvent;
    try {
      await deps.verifier.request(authorization);
      const parsed = parseEvent(body);
      if (!parsed.ok) return { status: 400, body: { error: parsed.reason } };
      event = parsed.event;
      if (!event.userIdToken) throw new Unauthenticated('the event carries no authorizationEventObject.userIdToken');
      user = await deps.verifier.user(event.userIdToken);
    } catch (err) {
      if (err instanceof Unauthenticated) {
        deps.log.warn('rejected an unauthenticated request to /api/addon', { reason: err.message });
        return { status: 401, body: { error: `unauthorized: ${err.message}` } };
      }
      if (err instanceof KeysUnavailable) {
        deps.log.error('cannot verify add-on requests', { reason: err.message });
        return { status: 503, body: { error: 'Google signing keys are unavailable; try again' } };
      }
      throw err;
    }
    try {
      return { status: 200, body: await route(event, user, inboundKey(event, user, authorization, body)) };
    } catch (err) {
      // The store or the database failed: Google shows its own error and the person can try again.
      deps.log.error('add-on request failed', { action: event.parameters.action ?? 'home', error: (err as Error).stack ?? String(err) });
      return { status: 500, body: { error: 'internal error; the request can be retried' } };
    }
  }

  async function route(event: AddonEvent, user: GoogleUser, key: string): Promise<AddonResponse> {
    const p = event.parameters;
    // Triggers (homepage, file scope granted) carry no parameters and open the sidebar; buttons update it.
    const answer = Object.keys(p).length === 0 ? pushCard : (card: Card, text?: string) => updateCard(card, text);
    const unknown = Object.keys(p).filter((k) => !PARAMETERS.has(k));
    if (unknown.length) return answer(errorCard(`This request carries parameters Firebreak does not know (${unknown.join(', ')}), so nothing was changed.`, deps.url));
    if (event.hostApp !== 'DOCS') return answer(errorCard(`Firebreak's sidebar works in Google Docs, not in ${event.hostApp}: open the incident doc.`, deps.url));
    const action = p.action ?? 'home';
    if (action === 'home') return answer(await home(event));
    if (action === 'requestFileScope') return requestFileScope();
    if (isSidebarAction(action)) return act(action, event, user, key);
    return answer(errorCard(`Firebreak does not know the action "${action.slice(0, 40)}", so nothing was changed.`, deps.url));
  }

  async function home(event: AddonEvent): Promise<Card> {
    if (!event.doc?.hasFileScope || !event.doc.id) return fileAccessCard(deps.url);
    const incident = await incidentOfDoc(deps.store, event.doc.id);
    return incident ? card(incident, event) : notIncidentCard(deps.declareUrl);
  }

  async function act(action: SidebarAction, event: AddonEvent, user: GoogleUser, key: string): Promise<AddonResponse> {
    const incident = event.parameters.incidentId ? await deps.store.load(event.parameters.incidentId) : null;
    if (!incident) return updateCard(errorCard('This button belongs to an incident Firebreak does not know; reopen the sidebar.', deps.url));
    const docId = incident.resources.doc?.url ? docIdOf(incident.resources.doc.url) : undefined;
    if (event.doc?.id && docId !== event.doc.id) {
      return updateCard(await home(event), `That card was for ${incidentLabel(incident)}, which is not this doc's incident; nothing was changed.`);
    }
    const right = mayChange(user, deps.allowedDomains);
    if (!right.ok) return updateCard(await card(incident, event), right.reason);
    // A card shown before the resolution can still send an entry or a change: the sidebar of a resolved incident is
    // read-only, and says so in its own words (the domain's refusal names Teams commands, typed where it can't be).
    if (incident.status === 'resolved') return updateCard(await card(incident, event), resolvedRefusal(incident, event.timeZone, deps.now(), action === 'addEntry' ? 'entry' : 'change'));
    const events = (await deps.store.events(incident.id)).map((e) => e.event);
    const by = personFor(user, incident, events);
    const command = { ...changeFor(action, event.inputs), at: deps.now().toISOString(), by } as Exclude<Command, DeclareIncident>;
    const outcome = await deps.incidents.run(incident.id, command, { inboundKey: key });
    const latest = outcome.kind === 'changed' || outcome.kind === 'unchanged' ? outcome.incident : ((await deps.store.load(incident.id)) ?? incident);
    return updateCard(await card(latest, event), outcome.kind === 'duplicate' ? 'Already done.' : notice(outcome));
  }

  async function card(incident: Incident, event: AddonEvent): Promise<Card> {
    const ctx: CardContext = { endpoint: deps.url, now: deps.now(), timeZone: event.timeZone, nonce: randomUUID() };
    const recent = timeline(incident.id, await deps.store.events(incident.id)).slice(-5);
    return incidentCard(incident, recent, ctx);
  }

  return { handle };
}

/**
 * Google gives an add-on event no id, and each request carries fresh tokens. Every card Firebreak shows gives its
 * buttons a new nonce, so the same button of the same card pressed twice by the same person with the same inputs (a
 * double click, a re-delivery) is one request. Without a nonce only a byte-identical request counts as the same.
 */
function inboundKey(event: AddonEvent, user: GoogleUser, authorization: string | undefined, body: unknown): string {
  const hash = createHash('sha256');
  const nonce = event.parameters.nonce;
  if (nonce) hash.update(JSON.stringify([user.email, nonce, event.parameters.action, event.inputs]));
  else hash.update(authorization ?? '').update('\n').update(JSON.stringify(body));
  return `addon:${hash.digest('base64url')}`;
}
