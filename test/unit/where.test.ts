import type { Incident } from '../../src/domain/incident';
import { incidentHere, threadRank } from '../../src/teams/where';
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
