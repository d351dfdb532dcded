import { decidePage, evolvePageAll, pagingLine, type Page, type Pagee, type PageCommand, type PagingEvent } from '../../src/domain/paging';
import { pageEffects } from '../../src/domain/paging-effects';

const ALICE = { id: '29:alice', name: 'Alice Adams' };
const SYSTEM = { id: 'firebreak', name: 'Firebreak' };
const megan: Pagee = { id: 'meganb', name: 'Megan Bowen', email: 'meganb@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000021' };
const adele: Pagee = { id: 'adelev', name: 'Adele Vance', email: 'adelev@firebreak.test' };
const patti: Pagee = { id: 'pattif', name: 'Patti Fernandez', email: 'pattif@firebreak.test' };
const T0 = '2026-03-02T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function run(commands: PageCommand[], page: Page | null = null): { page: Page | null; events: PagingEvent[]; refused?: string } {
  const events: PagingEvent[] = [];
  for (const command of commands) {
    const decision = decidePage(command, page);
    if ('refused' in decision) return { page, events, refused: decision.refused };
    events.push(...decision);
    page = evolvePageAll(decision, page);
  }
  return { page, events };
}

const request = (chain: Pagee[][] = [[megan], [adele], [patti]]): PageCommand => ({ type: 'RequestPage', pageId: 'p1', service: 'payments', reason: ' card declines ', chain, ackMinutes: 5, incidentId: 'i1', at: T0, by: ALICE });
const answer = (person: Pagee, a: 'ack' | 'cant', step: number, minutes = 1): PageCommand => ({ type: 'AnswerPage', pageId: 'p1', step, personId: person.id, answer: a, at: at(minutes), by: { id: `29:${person.id}`, name: person.name } });
const expire = (step: number, minutes: number): PageCommand => ({ type: 'ExpirePageStep', pageId: 'p1', step, at: at(minutes), by: SYSTEM });

describe('a page', () => {
  it('pages whoever is on call now, with until when to answer; the first event carries the whole request', () => {
    const { events, page } = run([request()]);
    expect(events).toEqual([expect.objectContaining({ type: 'PagePaged', step: 0, people: [megan], ackBy: at(5), reason: 'card declines', chain: [[megan], [adele], [patti]] })]);
    expect(page).toMatchObject({ status: 'open', step: 0, ackBy: at(5), requestedAt: T0 });
    expect(pagingLine(events[0])).toBe('Paged Megan Bowen for payments: card declines.');
  });

  it('is refused when nobody is on call and there is no escalation contact; people in two steps are called once', () => {
    expect(run([request([[], [], []])]).refused).toMatch(/^Nobody is on call for payments now/);
    expect(run([request([[megan], [megan], [patti]])]).page!.chain).toEqual([[megan], [patti]]);
  });

  it('no answer in the window: the next in the rotation, then the escalation contact, then nobody is left', () => {
    const { events, page } = run([request(), expire(0, 5), expire(1, 10), expire(2, 15)]);
    expect(events.map((e) => [e.type, 'step' in e ? e.step : undefined, 'after' in e ? e.after : undefined])).toEqual([
      ['PagePaged', 0, undefined],
      ['PagePaged', 1, 'no-answer'],
      ['PagePaged', 2, 'no-answer'],
      ['PageExhausted', undefined, 'no-answer'],
    ]);
    expect(page!.status).toBe('exhausted');
    expect(pagingLine(events[1])).toBe('No answer within the window: paged Adele Vance for payments.');
  });

  it("a timer of a step already past, or of an answered page, changes nothing", () => {
    const { page } = run([request(), answer(megan, 'ack', 0)]);
    expect(decidePage(expire(0, 5), page)).toEqual([]);
    const moved = run([request(), expire(0, 5)]).page;
    expect(decidePage(expire(0, 6), moved)).toEqual([]);
  });

  it("Can't moves on at once; from everyone of a step only", () => {
    const both = run([request([[megan, adele], [patti]]), answer(megan, 'cant', 0)]);
    expect(both.events.map((e) => e.type)).toEqual(['PagePaged', 'PageDeclined']);
    const then = run([answer(adele, 'cant', 0, 2)], both.page);
    expect(then.events.map((e) => e.type)).toEqual(['PageDeclined', 'PagePaged']);
    expect(then.page).toMatchObject({ step: 1, declined: [] });
  });

  it('an acknowledgement records when it was paged and asked (time to acknowledge); later presses get plain answers', () => {
    const { events, page } = run([request(), answer(megan, 'ack', 0, 3)]);
    expect(events[1]).toEqual(expect.objectContaining({ type: 'PageAcknowledged', person: megan, requestedAt: T0, pagedAt: T0, at: at(3) }));
    expect(pagingLine(events[1])).toBe('Megan Bowen acknowledged the page for payments (3 min after it was sent).');
    expect(run([answer(megan, 'cant', 0, 4)], page).refused).toBe('You already acknowledged this page for payments at 10:03 UTC. Nothing else to do here.');
    expect(run([answer(adele, 'ack', 0, 4)], page).refused).toMatch(/^Megan Bowen already acknowledged/);
  });

  it('a button from an earlier step, or pressed by someone it was not sent to, changes nothing', () => {
    const moved = run([request(), expire(0, 5)]).page;
    expect(run([answer(megan, 'ack', 0, 6)], moved).refused).toMatch(/^This button is from an earlier call of this page/);
    expect(run([answer(patti, 'ack', 1, 6)], moved).refused).toBe('This page was not sent to you, so it is not yours to answer.');
  });
});

describe("a page's effects", () => {
  const place = { id: '19:ops;messageid=1', serviceUrl: 'https://smba.example/' };
  it('notifies each person paged and sets the timer at the end of the window; a move on is told to the incident', () => {
    const first = run([request()]);
    expect(pageEffects(first.events, first.page!, [place], 'INC-7')).toEqual([
      { kind: 'page.notify', key: 'page.notify:p1:0:meganb', incidentId: 'i1', payload: { pageId: 'p1', step: 0, person: megan } },
      { kind: 'page.timeout', key: 'page.timeout:p1:0', incidentId: 'i1', notBefore: at(5), payload: { pageId: 'p1', step: 0, due: at(5) } },
    ]);
    const next = run([expire(0, 5)], first.page);
    const effects = pageEffects(next.events, next.page!, [place], 'INC-7');
    expect(effects.map((e) => e.key)).toEqual(['page.notify:p1:1:adelev', 'page.timeout:p1:1', `message.post:page:p1:step1:${place.id}`]);
  });
});
