import { SYSTEM } from '../workers/effects/system';
import type { Commit, Store } from '../store/store';
import type { Claim } from '../store/effects-store';
import { LeaseLost } from '../store/effects-store';
import { evolveAll, isAnnouncement, type Conversation, type Incident, type IncidentEvent, type Person } from '../domain/incident';
import { react, type Effect, type ReplyInChat } from '../domain/react';
import { decidePage, evolvePageAll, plusMinutes, type Page, type PageCommand, type Pagee, type PagingEvent } from '../domain/paging';
import { pageEffects } from '../domain/paging-effects';
import { incidentLabel } from '../domain/messages';
import { DEFAULT_ACK_MINUTES, type OrgPerson, type Service } from '../org/services';
import type { Experts } from '../oncall/experts';

export interface PagingDeps {
  store: Store;
  experts: Experts;
  now: () => Date;
  newId: () => string;
  /** Wakes the effect workers after a commit. */
  wake: () => void;
}

/**
 * A request to page a service's on-call people: the one entry point, for `page <service>`, the card's "Page experts"
 * and (issue 20) an alert's card, which has no incident yet.
 * @example await paging.request({ service: payments, reason: 'card declines', by, incidentId }) // { kind: 'paged', page }
 */
export interface PageRequest {
  service: Service;
  reason: string;
  by: Person;
  incidentId?: string;
  /** Where it was asked, told how it goes when there is no incident (an alert's conversation). */
  origin?: Conversation;
  inboundKey?: string;
  /** The reply to whoever asked, as an effect written with the page (src/teams/replies.ts): given the page made. */
  reply?: (page: Page) => ReplyInChat[];
}

export type PageOutcome =
  | { kind: 'paged'; page: Page }
  /** The service was paged already (open, or within its window): that page, nobody notified again. */
  | { kind: 'already'; page: Page }
  | { kind: 'refused'; reason: string }
  | { kind: 'unchanged'; page: Page | null }
  | { kind: 'duplicate' };

export interface Paging {
  request(req: PageRequest): Promise<PageOutcome>;
  /** An answer from a page's buttons; `by` is who pressed (their Teams identity, for the role). */
  answer(answer: { pageId: string; step: number; personId: string; answer: 'ack' | 'cant'; by: Person; inboundKey?: string }): Promise<PageOutcome>;
  /** A step's window is over (the `page.timeout` effect, completed with the commit). */
  expire(pageId: string, step: number, effect: Claim): Promise<PageOutcome>;
  load(pageId: string): Promise<Page | null>;
}

const MAX_CONFLICT_RETRIES = 12;

export function createPaging(deps: PagingDeps): Paging {
  const { store } = deps;

  /** Who to call, step by step: on call now; the next in the rotation; the escalation contact. */
  async function chainFor(service: Service, at: Date): Promise<Pagee[][]> {
    const onCall = await deps.experts.source.onCall(service, at);
    const escalation = deps.experts.org.people.find((p) => p.id === service.escalation);
    return [onCall.now.map(pagee), (onCall.next?.people ?? []).map(pagee), escalation ? [pagee(escalation)] : []];
  }

  /** Decide, evolve, and commit the page with its incident's part; retried on a version conflict. */
  async function run(command: PageCommand, opts: { inboundKey?: string; completesEffect?: Claim; slot?: { key: string; until: string }; reply?: (page: Page) => ReplyInChat[] } = {}): Promise<PageOutcome> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.round(Math.random() * Math.min(500, 10 * 2 ** attempt))));
      const page = command.type === 'RequestPage' ? null : await store.paging.load(command.pageId);
      const incidentId = command.type === 'RequestPage' ? command.incidentId : page?.incidentId;
      const incident = incidentId ? await store.load(incidentId) : null;
      if (incidentId && !incident) return { kind: 'refused', reason: 'That incident does not exist.' };
      const over = incident?.status === 'resolved' ? `${incidentLabel(incident)} was resolved at ${incident.resolvedAt!.slice(11, 16)} UTC` : undefined;
      if (over && command.type === 'AnswerPage') return { kind: 'refused', reason: `${over}: thank you, nothing more is needed.` };
      if (over && command.type === 'RequestPage') return { kind: 'refused', reason: `${over}: there is nobody to page for.` };
      const decision = over ? [] : decidePage(command, page);
      if ('refused' in decision) return { kind: 'refused', reason: decision.refused };
      if (!decision.length) {
        if (opts.completesEffect && !(await store.completeEffect(opts.completesEffect, command.at))) throw new LeaseLost(opts.completesEffect.id);
        return { kind: 'unchanged', page };
      }
      const next = evolvePageAll(decision, page)!;
      const result = await store.paging.commit({
        page: next,
        expectedVersion: page?.version ?? 0,
        events: decision,
        effects: [...pageEffects(decision, next, tellPlaces(next, incident), incident ? incidentLabel(incident) : undefined), ...(opts.reply?.(next) ?? [])],
        ...(incident && { incident: incidentPart(incident, decision, command, opts.completesEffect) }),
        ...(opts.slot && { slot: opts.slot }),
        inboundKey: opts.inboundKey,
        // With an incident, its commit completes the effect (writeCommit); without one, the page's does.
        ...(!incident && opts.completesEffect && { completesEffect: opts.completesEffect }),
        now: command.at,
      });
      if (result.ok) {
        deps.wake();
        return { kind: 'paged', page: next };
      }
      if (result.reason === 'already-paged') return { kind: 'already', page: result.page };
      if (result.reason === 'duplicate') return { kind: 'duplicate' };
      if (result.reason === 'lease-lost') throw new LeaseLost(opts.completesEffect!.id);
    }
    throw new Error(`page ${command.type}: gave up after ${MAX_CONFLICT_RETRIES} version conflicts`);
  }

  return {
    async request(req) {
      const now = deps.now();
      const at = now.toISOString();
      const ackMinutes = req.service.paging?.ackMinutes ?? DEFAULT_ACK_MINUTES;
      const chain = await chainFor(req.service, now);
      return run(
        { type: 'RequestPage', pageId: deps.newId(), service: req.service.name, reason: req.reason, chain, ackMinutes, ...(req.incidentId && { incidentId: req.incidentId }), ...(req.origin && { origin: req.origin }), at, by: req.by },
        { inboundKey: req.inboundKey, slot: { key: `${req.incidentId ?? 'none'}:${req.service.name}`, until: plusMinutes(at, ackMinutes) }, reply: req.reply },
      );
    },
    answer(a) {
      return run({ type: 'AnswerPage', pageId: a.pageId, step: a.step, personId: a.personId, answer: a.answer, at: deps.now().toISOString(), by: a.by }, { inboundKey: a.inboundKey });
    },
    expire(pageId, step, effect) {
      return run({ type: 'ExpirePageStep', pageId, step, at: deps.now().toISOString(), by: SYSTEM }, { completesEffect: effect });
    },
    load: (pageId) => store.paging.load(pageId),
  };
}

/**
 * The incident's side of the same commit: the page's events on its timeline and, on an acknowledgement, the person
 * as a subject-matter expert (announced like any role), added to a private incident's channel.
 */
function incidentPart(incident: Incident, decision: readonly PagingEvent[], command: PageCommand, completesEffect?: Claim): Commit {
  const events: IncidentEvent[] = [...decision];
  const acked = decision.find((e) => e.type === 'PageAcknowledged');
  let joinPerson: Person | undefined;
  if (acked) {
    const person: Person = { ...command.by, ...(acked.person.email && { email: acked.person.email }), ...(!command.by.aadObjectId && acked.person.aadObjectId && { aadObjectId: acked.person.aadObjectId }) };
    if (!incident.roles.sme.some((p) => p.id === person.id)) {
      events.push({ type: 'RoleAssigned', role: 'sme', person, at: command.at, by: command.by });
      joinPerson = person;
    }
  }
  const state = evolveAll(events, incident)!;
  const effects: Effect[] = react(events, state);
  // A private channel has members of its own; a standard one is open to the team (the answer card links it).
  if (joinPerson && state.private && state.resources.channel?.status === 'ready') {
    effects.push({ kind: 'channel.join', key: `channel.join:${state.id}:${joinPerson.id}`, incidentId: state.id, payload: { person: joinPerson } });
  }
  return { incidentId: incident.id, expectedVersion: incident.version, events, state, effects, ...(completesEffect && { completesEffect }), now: command.at };
}

/** Where the people who paged hear how it goes: the incident's own conversations, else where it was asked. */
function tellPlaces(page: Page, incident: Incident | null): Conversation[] {
  if (incident) return incident.places.filter((p) => !isAnnouncement(incident, p.id) && !incident.shownIn?.includes(p.id));
  return page.origin ? [page.origin] : [];
}

function pagee(p: OrgPerson): Pagee {
  return { id: p.id, name: p.name, email: p.email, ...(p.aadObjectId && { aadObjectId: p.aadObjectId }) };
}
