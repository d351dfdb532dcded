import type { Conversation, Person } from './values';

/**
 * Paging (issue 17 items 5-6): calling the people on call for a service until one of them acknowledges. A page has
 * steps: whoever is on call now, then the next person in the rotation, then the service's escalation contact (who is
 * on call is read outside the domain and arrives on the command, like time). Each step waits `ackMinutes`; "Can't"
 * from everyone in a step moves on at once. A page may belong to an incident (then its events are also on the
 * incident's timeline) or to nothing yet (an alert, issue 20).
 */

/** As commands.ts and events.ts stamp theirs (not imported: they import this file). */
interface Base {
  at: string;
  by: Person;
}

/** Someone who can be paged: a person of the organisation file (`id` is the file's id). */
export interface Pagee {
  id: string;
  name: string;
  email: string;
  aadObjectId?: string;
}

/** Page the people on call for a service; `chain` is who to call, step by step. */
export interface RequestPage extends Base {
  type: 'RequestPage';
  pageId: string;
  service: string;
  reason: string;
  chain: Pagee[][];
  ackMinutes: number;
  incidentId?: string;
  /** Where it was asked (told when nobody answers), when not in an incident's own conversation. */
  origin?: Conversation;
}
/** A paged person's answer ("Acknowledge" / "Can't"), from the button of step `step`. */
export interface AnswerPage extends Base {
  type: 'AnswerPage';
  pageId: string;
  step: number;
  personId: string;
  answer: 'ack' | 'cant';
}
/** The step's acknowledgement window is over (a timer effect). */
export interface ExpirePageStep extends Base {
  type: 'ExpirePageStep';
  pageId: string;
  step: number;
}
export type PageCommand = RequestPage | AnswerPage | ExpirePageStep;

/** These people were paged (a 1:1 message, an activity-feed notification, or mail) and have until `ackBy`. */
export interface PagePaged extends Base {
  type: 'PagePaged';
  pageId: string;
  service: string;
  reason: string;
  people: Pagee[];
  step: number;
  ackBy: string;
  /** Why this step: the first, or the one before had no answer / everyone in it said they can't. */
  after?: 'no-answer' | 'declined';
  /** The first step carries the whole request. */
  chain?: Pagee[][];
  ackMinutes?: number;
  incidentId?: string;
  origin?: Conversation;
}
/** `person` answered and is coming; `requestedAt` and `pagedAt` make time-to-acknowledge computable (issue 19). */
export interface PageAcknowledged extends Base {
  type: 'PageAcknowledged';
  pageId: string;
  service: string;
  person: Pagee;
  requestedAt: string;
  pagedAt: string;
}
export interface PageDeclined extends Base {
  type: 'PageDeclined';
  pageId: string;
  service: string;
  person: Pagee;
}
/** Every step was tried and nobody acknowledged. */
export interface PageExhausted extends Base {
  type: 'PageExhausted';
  pageId: string;
  service: string;
  after: 'no-answer' | 'declined';
}
export type PagingEvent = PagePaged | PageAcknowledged | PageDeclined | PageExhausted;

const PAGING_TYPES: ReadonlySet<string> = new Set<PagingEvent['type']>(['PagePaged', 'PageAcknowledged', 'PageDeclined', 'PageExhausted']);

export function isPagingEvent<E extends { type: string }>(event: E): event is Extract<E, PagingEvent> {
  return PAGING_TYPES.has(event.type);
}

export type PageStatus = 'open' | 'acknowledged' | 'exhausted';

/** A page as its events leave it. */
export interface Page {
  id: string;
  service: string;
  reason: string;
  requestedBy: Person;
  requestedAt: string;
  incidentId?: string;
  origin?: Conversation;
  chain: Pagee[][];
  ackMinutes: number;
  status: PageStatus;
  step: number;
  /** When the current step was paged, and until when it may answer. */
  pagedAt: string;
  ackBy: string;
  /** Who in the current step said they can't (file ids). */
  declined: string[];
  acknowledgedBy?: Pagee;
  acknowledgedAt?: string;
  version: number;
}

export interface PageRefusal {
  refused: string;
}

export function decidePage(command: PageCommand, page: Page | null): PagingEvent[] | PageRefusal {
  const { at, by } = command;
  if (command.type === 'RequestPage') {
    if (page) return { refused: `This page was already sent.` };
    const chain = distinctSteps(command.chain);
    if (!chain.length) return { refused: `Nobody is on call for ${command.service} now and it has no escalation contact: call someone directly.` };
    const reason = command.reason.trim().slice(0, 500);
    return [
      {
        type: 'PagePaged',
        pageId: command.pageId,
        service: command.service,
        reason,
        people: chain[0],
        step: 0,
        ackBy: plusMinutes(at, command.ackMinutes),
        chain,
        ackMinutes: command.ackMinutes,
        ...(command.incidentId && { incidentId: command.incidentId }),
        ...(command.origin && { origin: command.origin }),
        at,
        by,
      },
    ];
  }
  if (!page) return { refused: 'Firebreak does not know this page.' };
  switch (command.type) {
    case 'ExpirePageStep':
      if (page.status !== 'open' || page.step !== command.step) return [];
      return nextStep(page, 'no-answer', at, by);
    case 'AnswerPage': {
      const closed = closedAnswer(page, command.personId);
      if (closed) return { refused: closed };
      if (command.step !== page.step) return { refused: `This button is from an earlier call of this page; it has moved on since ${hhmm(page.pagedAt)} UTC. Nothing was changed.` };
      const person = page.chain[page.step].find((p) => p.id === command.personId);
      if (!person) return { refused: 'This page was not sent to you, so it is not yours to answer.' };
      if (command.answer === 'ack') {
        return [{ type: 'PageAcknowledged', pageId: page.id, service: page.service, person, requestedAt: page.requestedAt, pagedAt: page.pagedAt, at, by }];
      }
      if (page.declined.includes(person.id)) return [];
      const declined: PagingEvent = { type: 'PageDeclined', pageId: page.id, service: page.service, person, at, by };
      const everyone = page.chain[page.step].every((p) => p.id === person.id || page.declined.includes(p.id));
      return everyone ? [declined, ...nextStep(page, 'declined', at, by)] : [declined];
    }
    default: {
      const never: never = command;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}

/** The plain answer to someone pressing a button of a page that is over, or undefined while it is open. */
function closedAnswer(page: Page, personId: string): string | undefined {
  if (page.status === 'acknowledged' && page.acknowledgedBy) {
    const who = page.acknowledgedBy.id === personId ? 'You' : page.acknowledgedBy.name;
    return `${who} already acknowledged this page for ${page.service} at ${hhmm(page.acknowledgedAt!)} UTC. Nothing else to do here.`;
  }
  if (page.status === 'exhausted') return `This page for ${page.service} is over: nobody acknowledged it in time. Join the incident's conversation if you can help.`;
  return undefined;
}

function nextStep(page: Page, after: 'no-answer' | 'declined', at: string, by: Person): PagingEvent[] {
  const step = page.step + 1;
  if (step >= page.chain.length) return [{ type: 'PageExhausted', pageId: page.id, service: page.service, after, at, by }];
  return [{ type: 'PagePaged', pageId: page.id, service: page.service, reason: page.reason, people: page.chain[step], step, ackBy: plusMinutes(at, page.ackMinutes), after, at, by }];
}

/** Each person once, in the first step that names them; empty steps dropped. */
function distinctSteps(chain: readonly Pagee[][]): Pagee[][] {
  const seen = new Set<string>();
  const steps: Pagee[][] = [];
  for (const step of chain) {
    const people = step.filter((p) => !seen.has(p.id) && seen.add(p.id));
    if (people.length) steps.push(people);
  }
  return steps;
}

export function evolvePage(page: Page | null, event: PagingEvent): Page {
  if (event.type === 'PagePaged' && event.step === 0) {
    return {
      id: event.pageId,
      service: event.service,
      reason: event.reason,
      requestedBy: event.by,
      requestedAt: event.at,
      ...(event.incidentId && { incidentId: event.incidentId }),
      ...(event.origin && { origin: event.origin }),
      chain: event.chain ?? [event.people],
      ackMinutes: event.ackMinutes ?? 5,
      status: 'open',
      step: 0,
      pagedAt: event.at,
      ackBy: event.ackBy,
      declined: [],
      version: 1,
    };
  }
  if (!page) throw new Error(`${event.type} before the page was sent`);
  const next = { ...page, version: page.version + 1 };
  switch (event.type) {
    case 'PagePaged':
      return { ...next, step: event.step, pagedAt: event.at, ackBy: event.ackBy, declined: [] };
    case 'PageAcknowledged':
      return { ...next, status: 'acknowledged', acknowledgedBy: event.person, acknowledgedAt: event.at };
    case 'PageDeclined':
      return { ...next, declined: [...page.declined, event.person.id] };
    case 'PageExhausted':
      return { ...next, status: 'exhausted' };
    default: {
      const never: never = event;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}

export function evolvePageAll(events: readonly PagingEvent[], page: Page | null): Page | null {
  return events.reduce<Page | null>((p, e) => evolvePage(p, e), page);
}

/** The timeline's words for each step (the doc's table, the add-on, the postmortem). */
export function pagingLine(event: PagingEvent): string {
  const names = (people: readonly Pagee[]) => people.map((p) => p.name).join(', ');
  switch (event.type) {
    case 'PagePaged':
      if (event.step === 0) return `Paged ${names(event.people)} for ${event.service}${event.reason ? `: ${event.reason}` : ''}.`;
      return `${event.after === 'declined' ? "Nobody could come" : `No answer within the window`}: paged ${names(event.people)} for ${event.service}.`;
    case 'PageAcknowledged':
      return `${event.person.name} acknowledged the page for ${event.service} (${minutesBetween(event.requestedAt, event.at)} after it was sent).`;
    case 'PageDeclined':
      return `${event.person.name} can't come (page for ${event.service}).`;
    case 'PageExhausted':
      return `Nobody acknowledged the page for ${event.service}: everyone on call and the escalation contact were tried.`;
    default: {
      const never: never = event;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}

export function plusMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

export function hhmm(iso: string): string {
  return iso.slice(11, 16);
}

/** "3 min", "less than a minute". */
function minutesBetween(from: string, to: string): string {
  const minutes = Math.floor((Date.parse(to) - Date.parse(from)) / 60_000);
  return minutes < 1 ? 'less than a minute' : `${minutes} min`;
}
