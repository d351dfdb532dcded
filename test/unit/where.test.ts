import type { Incident } from '../../src/domain/incident';
import { incidentHere, namedIncident, threadRank } from '../../src/teams/where';
import { announcements, declareCommand, given } from '../domain/fixtures';

/** Two incidents declared in one ops channel (each in its own thread), both announced in the announcements channel. */
function incident(n: number, thread: string, extra: { private?: boolean } = {}): Incident {
  const origin = { id: `19:ops@thread.tacv2;messageid=${thread}`, serviceUrl: 'https://smba.example/' };
  const { state } = given(declareCommand({ incidentId: `inc-${n}`, number: n, origin, announceIn: [announcements], ...extra }));
  // The card's copy in the announcements channel opened a thread there.
  return { ...state, cards: [{ conversationId: announcements.id, postedIn: `${announcements.id};messageid=${100 + n}`, activityId: `${100 + n}` }] };
}

const older = incident(1, '1');
const newer = incident(2, '2');
const active = [newer, older]; // newest first, as the store gives them

test('a command in an incident thread is about that incident, whichever is newest', () => {
  expect(incidentHere(active, '19:ops@thread.tacv2;messageid=1')).toEqual({ incident: older });
  expect(incidentHere(active, `${announcements.id};messageid=102`)).toEqual({ incident: newer });
});

test('with several incidents in a place and no thread to tell them apart, the answer says where to ask', () => {
  const answer = incidentHere(active, '19:ops@thread.tacv2;messageid=55');
  expect(answer).toEqual({ none: expect.stringContaining('Several incidents are active here (INC-2, INC-1)') });
  expect(incidentHere([older], '19:ops@thread.tacv2;messageid=55')).toEqual({ incident: older });
});

test('at the root of an announcements channel no incident is assumed, even when only one is announced there', () => {
  expect(incidentHere([older], `${announcements.id};messageid=7`)).toEqual({ none: expect.stringContaining('announcements of INC-1') });
  expect(incidentHere([], '19:elsewhere@thread.tacv2')).toBeNull();
});

describe('a thread belongs to its incident, resolved or not', () => {
  const resolved: Incident = { ...older, status: 'resolved', resolvedAt: older.declaredAt };

  test("a command in a resolved incident's thread is about it, not about the only active incident of the channel", () => {
    expect(incidentHere([newer], '19:ops@thread.tacv2;messageid=1')).toEqual({ incident: newer });
    expect(incidentHere([newer], '19:ops@thread.tacv2;messageid=1', [newer, resolved])).toEqual({ incident: resolved });
  });

  test('an active incident owning the thread wins over a resolved one; elsewhere resolved incidents are not candidates', () => {
    const sameThread: Incident = { ...newer, origin: resolved.origin };
    expect(incidentHere([sameThread], resolved.origin.id, [sameThread, resolved])).toEqual({ incident: sameThread });
    expect(incidentHere([], '19:ops@thread.tacv2;messageid=55', [resolved])).toBeNull();
  });

  test("the incident's own channel owns every thread of it, but a thread declared inside it belongs to what was declared there", () => {
    const own = { id: '19:inc-1@thread.tacv2', serviceUrl: 'https://smba.example/' };
    const withChannel: Incident = { ...older, places: [...older.places, own] };
    const declaredInside: Incident = { ...newer, origin: { ...own, id: `${own.id};messageid=9` } };
    expect(threadRank(withChannel, `${own.id};messageid=3`)).toBe(1);
    expect(incidentHere([declaredInside, withChannel], `${own.id};messageid=3`)).toEqual({ incident: withChannel });
    expect(incidentHere([declaredInside, withChannel], `${own.id};messageid=9`)).toEqual({ incident: declaredInside });
  });
});

describe('a chat holding several incidents (declared there, or shown there with "Show card here")', () => {
  const chat = { id: '19:chat-ab@unq.gbl.spaces', serviceUrl: 'https://smba.example/' };
  const inChat = (n: number) => ({ ...given(declareCommand({ incidentId: `chat-${n}`, number: n, origin: chat })).state, cards: [{ conversationId: chat.id, postedIn: chat.id, activityId: `c${n}` }] });
  const shownHere = (n: number, extra: { private?: boolean } = {}): Incident => {
    const base = incident(n, `${n}`, extra);
    return { ...base, places: [...base.places, chat], announcedIn: [...base.announcedIn, chat.id], cards: [...base.cards, { conversationId: chat.id, postedIn: chat.id, activityId: `s${n}` }] };
  };

  test('a copy shown in a chat does not make the chat the incident\'s: commands there act on what was declared there', () => {
    const declared = inChat(3);
    expect(threadRank(shownHere(4), chat.id)).toBe(0);
    expect(incidentHere([shownHere(4), declared], chat.id)).toEqual({ incident: declared });
  });

  test('two incidents declared in one chat: nobody guesses, the answer says to start with the number, which then decides', () => {
    const [three, five] = [inChat(3), inChat(5)];
    expect(incidentHere([five, three], chat.id)).toEqual({ none: expect.stringContaining('start the command with its number, e.g. "INC-5 status"') });
    expect(incidentHere([five, three], chat.id, [], 3)).toEqual({ incident: three });
    expect(incidentHere([five, three], chat.id, [], 9)).toEqual({ none: 'INC-9 is not an incident of this conversation.' });
  });

  test('a resolved incident of the chat is reached by its number while another is active', () => {
    const [three, five] = [inChat(3), inChat(5)];
    const resolved: Incident = { ...three, status: 'resolved', resolvedAt: three.declaredAt };
    expect(incidentHere([five], chat.id, [five, resolved])).toEqual({ incident: five });
    expect(incidentHere([five], chat.id, [five, resolved], 3)).toEqual({ incident: resolved });
  });
});

test('"INC-7 note …" names the incident; anything else is left as it is', () => {
  expect(namedIncident('INC-7 note db is back')).toEqual({ number: 7, text: 'note db is back' });
  expect(namedIncident('inc-12 status')).toEqual({ number: 12, text: 'status' });
  expect(namedIncident('note INC-7 is related')).toEqual({ text: 'note INC-7 is related' });
  expect(namedIncident('INC-7')).toEqual({ text: 'INC-7' });
});
