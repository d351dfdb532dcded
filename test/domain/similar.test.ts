import { decide } from '../../src/domain/decide';
import { normalisedWords, similarIncident, titleOverlap } from '../../src/domain/similar';
import { react } from '../../src/domain/react';
import { announcements, AT, declareCommand, given, here, jo } from './fixtures';

const minutesAfter = (minutes: number) => new Date(new Date(AT).getTime() + minutes * 60_000).toISOString();
const incident = (overrides: Parameters<typeof declareCommand>[0] = {}) => given(declareCommand(overrides)).state;
const inTeam = (id: string, teamId = 'team-a') => ({ id, serviceUrl: here.serviceUrl, isChannel: true, teamId });

describe('normalised titles', () => {
  test('case, punctuation, accents, filler words and plurals do not count', () => {
    expect(normalisedWords('The Checkout API is returning 500s!')).toEqual(['checkout', 'api', 'returning', '500']);
    expect(normalisedWords('Café  LOGIN errors')).toEqual(['cafe', 'login', 'error']);
  });

  test('overlap: the same perception in other words is close, a different system is not', () => {
    expect(titleOverlap('Checkout API returning 500s', 'checkout api returning 500 errors')).toBeGreaterThanOrEqual(0.6);
    expect(titleOverlap('Checkout API returning 500s', 'Checkout API returning 500s')).toBe(1);
    expect(titleOverlap('Login slow', 'Checkout slow')).toBeLessThan(0.6);
    expect(titleOverlap('!!!', 'Login slow')).toBe(0);
  });
});

describe('a similar active incident', () => {
  const checkout = incident({ title: 'Checkout API returning 500s', origin: inTeam('19:ops@thread.tacv2;messageid=1') });

  test('found for a close title in the same team within 30 minutes, even from another channel', () => {
    const probe = { title: 'checkout api returning 500 errors', origin: inTeam('19:payments@thread.tacv2'), at: minutesAfter(29) };
    expect(similarIncident([checkout], probe)?.id).toBe(checkout.id);
  });

  test('not after 30 minutes, not in another team, not once resolved, not for another system', () => {
    const probe = { title: 'Checkout API returning 500s', origin: inTeam('19:payments@thread.tacv2'), at: minutesAfter(5) };
    expect(similarIncident([checkout], { ...probe, at: minutesAfter(31) })).toBeUndefined();
    expect(similarIncident([checkout], { ...probe, origin: inTeam('19:other@thread.tacv2', 'team-b') })).toBeUndefined();
    expect(similarIncident([{ ...checkout, status: 'resolved' }], probe)).toBeUndefined();
    expect(similarIncident([checkout], { ...probe, title: 'Search index stale' })).toBeUndefined();
  });

  test('the same source message counts whatever the titles say', () => {
    const fromMessage = incident({ title: 'Something odd', origin: here, sourceMessageUrl: 'https://teams.microsoft.com/l/message/19:ops/42' });
    const probe = { title: 'Payments failing', origin: here, at: minutesAfter(1), sourceMessageUrl: 'https://teams.microsoft.com/l/message/19:ops/42' };
    expect(similarIncident([fromMessage], probe)?.id).toBe(fromMessage.id);
  });

  test('outside teams, only the same chat counts', () => {
    const chat = incident({ title: 'VPN down', origin: { id: '19:chat-1@thread.v2', serviceUrl: here.serviceUrl } });
    expect(similarIncident([chat], { title: 'vpn is down', origin: { id: '19:chat-1@thread.v2', serviceUrl: here.serviceUrl }, at: minutesAfter(2) })?.id).toBe(chat.id);
    expect(similarIncident([chat], { title: 'vpn is down', origin: { id: '19:chat-2@thread.v2', serviceUrl: here.serviceUrl }, at: minutesAfter(2) })).toBeUndefined();
  });
});

describe('a place outside the incident ("Show card here")', () => {
  test('gets the card, and reads like an announcements channel', () => {
    const outside = { id: 'a:personal-chat', serviceUrl: here.serviceUrl };
    const declared = declareCommand({ private: true, announceIn: [announcements] });
    const { events, state } = given(declared, { type: 'AddPlace', conversation: outside, outside: true, at: AT, by: jo });
    expect(state.announcedIn).toEqual([announcements.id, outside.id]);
    expect(react(events.slice(1), state).map((e) => e.key)).toEqual([`card.post:${state.id}:${outside.id}`]);
  });

  test('then sees the card change in place, without every follow-up message the incident conversation gets', () => {
    const outside = { id: 'a:personal-chat', serviceUrl: here.serviceUrl };
    const { events, state } = given(declareCommand({ announceIn: [announcements] }), { type: 'AddPlace', conversation: outside, outside: true, at: AT, by: jo }, { type: 'ChangeSeverity', severity: 1, at: AT, by: jo });
    const effects = react(events.slice(-1), state);
    expect(effects.filter((e) => e.kind === 'message.post').map((e) => (e.payload as { conversation: { id: string } }).conversation.id).sort()).toEqual([announcements.id, here.id].sort());
    expect(effects.some((e) => e.kind === 'card.refresh')).toBe(true);
  });
});

describe('joining instead of declaring again', () => {
  const bob = { id: 'u-bob', name: 'Bob Brown', aadObjectId: 'oid-bob' };
  const channelReady = { type: 'RecordResourceReady' as const, resource: 'channel' as const, url: 'https://teams.example/c', label: '#inc-1-x', at: AT, by: jo };

  test('the incident conversation hears of it; a private incident with its channel made adds the person there', () => {
    const { events, state } = given(declareCommand({ private: true, provisioning: ['channel'] }), channelReady, { type: 'JoinIncident', at: AT, by: bob });
    const effects = react(events.slice(-1), state);
    expect(effects.map((e) => e.kind)).toEqual(['message.post', 'channel.join']);
    expect(effects[1]).toMatchObject({ key: `channel.join:${state.id}:u-bob`, payload: { person: bob } });
    // Joining twice (a second press, another form) changes nothing more.
    expect(decide({ type: 'JoinIncident', at: AT, by: bob }, state)).toEqual([]);
  });

  test('who joined while the private channel was still being made is added when it is ready', () => {
    const joinedEarly = given(declareCommand({ private: true, provisioning: ['channel'] }), { type: 'JoinIncident', at: AT, by: bob });
    expect(react(joinedEarly.events.slice(-1), joinedEarly.state).map((e) => e.kind)).toEqual(['message.post']);
    const { events, state } = given(declareCommand({ private: true, provisioning: ['channel'] }), { type: 'JoinIncident', at: AT, by: bob }, channelReady);
    expect(react(events.slice(-1), state).filter((e) => e.kind === 'channel.join')).toEqual([expect.objectContaining({ key: `channel.join:${state.id}:u-bob`, payload: { person: bob } })]);
  });

  test('a standard channel is the whole team\'s: nothing to add; a resolved incident can\'t be joined', () => {
    const { events, state } = given(declareCommand({ provisioning: ['channel'] }), channelReady, { type: 'JoinIncident', at: AT, by: bob });
    expect(react(events.slice(-1), state).map((e) => e.kind)).toEqual(['message.post']);
    const resolved = given(declareCommand(), { type: 'ResolveIncident', at: AT, by: jo }).state;
    expect(decide({ type: 'JoinIncident', at: AT, by: bob }, resolved)).toEqual({ refused: expect.stringMatching(/was resolved/) });
  });
});
