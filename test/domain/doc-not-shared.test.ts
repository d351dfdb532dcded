import { decide, type Command } from '../../src/domain/decide';
import { evolveAll, type IncidentEvent, type Person } from '../../src/domain/incident';
import { react, type PostMessage } from '../../src/domain/react';
import { timeline } from '../../src/domain/timeline';
import { announcements, AT, declareCommand, given, here, jo, sam } from './fixtures';

/**
 * People of a private incident whom the doc could not be shared with are told about once each, in the incident's
 * own conversation: nobody is left unable to open the doc without anyone knowing.
 */
const at = AT;
const kim: Person = { id: 'u-kim', name: 'Kim Ode' };
const con: Person = { id: 'u-con', name: 'Con Tractor', email: 'con@no-google.example' };
const url = 'https://docs.google.com/document/d/doc-1/edit';
const declared = declareCommand({ private: true, announceIn: [announcements], provisioning: ['doc'] });
const notShared = (...people: [Person, 'no-email' | 'no-google-account'][]): Command => ({
  type: 'RecordDocNotShared',
  people: people.map(([person, reason]) => ({ person, reason })),
  url,
  at,
  by: jo,
});
const eventsOf = (previous: Command[], command: Command) => decide(command, given(...previous).state) as IncidentEvent[];

test('each person the doc could not be shared with is recorded once, with why', () => {
  expect(eventsOf([declared], notShared([kim, 'no-email'], [con, 'no-google-account']))).toEqual([
    { type: 'DocNotShared', person: kim, reason: 'no-email', url, at, by: jo },
    { type: 'DocNotShared', person: con, reason: 'no-google-account', url, at, by: jo },
  ]);
});

test('a later report (the next fill) names only people not told before; the same person twice in one report is one', () => {
  const first = notShared([kim, 'no-email'], [con, 'no-google-account']);
  expect(eventsOf([declared, first], first)).toEqual([]);
  expect(eventsOf([declared, first], notShared([con, 'no-google-account'], [sam, 'no-email'], [sam, 'no-email'])).map((e) => (e as { person: Person }).person)).toEqual([sam]);
});

test('told again only when the reason changed: their email became known, so the doc can now be shared by hand', () => {
  const kimWithMail = { ...kim, email: 'kim@no-google.example' };
  expect(eventsOf([declared, notShared([kim, 'no-email'])], notShared([kimWithMail, 'no-google-account']))).toEqual([
    { type: 'DocNotShared', person: kimWithMail, reason: 'no-google-account', url, at, by: jo },
  ]);
});

test('recorded after resolution too (a system fact), and nothing on the timeline', () => {
  const { state } = given(declared, { type: 'ResolveIncident', at, by: jo });
  const events = decide(notShared([kim, 'no-email']), state) as IncidentEvent[];
  expect(events).toHaveLength(1);
  const log = [...given(declared).events, ...events].map((event, i) => ({ version: i + 1, event }));
  expect(timeline('inc-1', log)).toHaveLength(1); // the declaration only
});

test("one message per person, into the incident's own conversation only, saying why and what to do", () => {
  const { state } = given(declared);
  const events = decide(notShared([kim, 'no-email'], [con, 'no-google-account']), state) as IncidentEvent[];
  const effects = react(events, evolveAll(events, state)!);
  const posts = effects.filter((e): e is PostMessage => e.kind === 'message.post');
  expect(posts.map((p) => p.payload.conversation.id)).toEqual([here.id, here.id]);
  expect(new Set(posts.map((p) => p.key)).size).toBe(2);
  const [toldKim, toldCon] = posts.map((p) => [p.payload.message.subject, ...p.payload.message.lines].join('\n'));
  expect(toldKim).toContain('INC-1: Kim Ode cannot open the private incident doc');
  expect(toldKim).toContain('no email known');
  expect(toldKim).toContain('nothing Firebreak can do');
  expect(toldCon).toContain('INC-1: Con Tractor cannot open the private incident doc');
  expect(toldCon).toContain('no Google account for con@no-google.example');
  expect(toldCon).toContain("Share button");
  expect(toldCon).toContain(url);
  expect(effects.filter((e) => e.kind !== 'message.post')).toEqual([]);
});
