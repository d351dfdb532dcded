import { decide, type Command } from '../../src/domain/decide';
import { evolveAll, type IncidentEvent } from '../../src/domain/incident';
import { react } from '../../src/domain/react';
import { announcements, AT, declareCommand, given, here, jo, sam } from './fixtures';

const at = AT;

/** When `command` follows `previous`, the effects it causes. */
function effectsOf(previous: Command[], command: Command) {
  const { state } = previous.length ? given(...previous) : { state: null };
  const events = decide(command, state) as IncidentEvent[];
  return react(events, evolveAll(events, state)!);
}

/** The same without the policy's timers (the overdue escalation follows every update reminder: test/domain/policy.test.ts). */
const withoutEscalation = (effects: ReturnType<typeof effectsOf>) => effects.filter((e) => e.kind !== 'escalate.overdue');

test('a declaration posts the card to every place and starts each resource, plus the mail when asked', () => {
  const effects = effectsOf([], declareCommand({ announceIn: [announcements], provisioning: ['channel', 'bridge', 'doc'], mail: true }));
  expect(effects.map((e) => e.key)).toEqual([
    `card.post:inc-1:${here.id}`,
    `card.post:inc-1:${announcements.id}`,
    'channel.create:inc-1',
    'bridge.create:inc-1',
    'doc.create:inc-1',
    'mail.send:inc-1:declaration',
    'reminder.update:inc-1:2026-03-15T01:02:00.000Z', // severity 2: an update within 60 minutes
    'reminder.handoff:inc-1:u-jo:2026-03-15T00:02:00.000Z', // the IC is reminded to hand off after 3 hours (policy.ts)
    'escalate.overdue:inc-1:2026-03-15T01:02:00.000Z', // 30 minutes after that update is due, if it is still missed
  ]);
});

test('a severity change refreshes the cards and follows up in every place, redacted outside a private origin', () => {
  const effects = withoutEscalation(effectsOf([declareCommand({ announceIn: [announcements], private: true })], { type: 'ChangeSeverity', severity: 1, at, by: sam }));
  expect(effects.map((e) => e.kind)).toEqual(['reminder.update', 'card.refresh', 'message.post', 'message.post']);
  expect(effects[0]).toMatchObject({ notBefore: '2026-03-15T00:32:00.000Z' }); // severity 1: every 30 minutes
  const [, , inOrigin, inAnnouncements] = effects as { payload: { message: { subject: string } } }[];
  expect(inOrigin.payload.message.subject).toBe('Re: INC-1: Production has failed over to secondary database');
  expect(inAnnouncements.payload.message.subject).toBe('Re: INC-1: private incident');
});

test('resolving sends one follow-up that carries both changes', () => {
  const effects = effectsOf([declareCommand()], { type: 'ResolveIncident', at, by: jo });
  const posts = effects.filter((e) => e.kind === 'message.post') as { payload: { message: { lines: string[] } } }[];
  expect(posts).toHaveLength(1);
  expect(posts[0].payload.message.lines.slice(0, 2)).toEqual(['Phase moved from 1 to 3 by Jo Park.', 'Resolved by Jo Park.']);
});

test('a role refreshes the card and is told in the incident conversation; a note causes nothing yet', () => {
  expect(effectsOf([declareCommand()], { type: 'AssignRole', role: 'comms', person: sam, at, by: jo }).map((e) => e.kind)).toEqual(['message.post', 'card.refresh']);
  expect(effectsOf([declareCommand()], { type: 'AddNote', kind: 'note', text: 'x', at, by: jo })).toEqual([]);
});

test('a ready resource fills the doc once the doc exists; the doc itself sets off no second fill (it was filled as it was made)', () => {
  const declared = declareCommand({ provisioning: ['bridge', 'doc'] });
  const bridgeFirst = effectsOf([declared], { type: 'RecordResourceReady', resource: 'bridge', url: 'u', label: 'l', at, by: jo });
  expect(bridgeFirst.map((e) => e.kind)).toEqual(['card.refresh']);
  const docReady = { type: 'RecordResourceReady' as const, resource: 'doc' as const, url: 'd', label: 'INC-1', at, by: jo };
  expect(effectsOf([declared], docReady).map((e) => e.key)).toEqual(['timeline.sync:inc-1:v2', 'card.refresh:inc-1:2']);
  const bridgeAfterDoc = effectsOf([declared, docReady], { type: 'RecordResourceReady', resource: 'bridge', url: 'u', label: 'l', at, by: jo });
  expect(bridgeAfterDoc.map((e) => e.key)).toEqual(['doc.fill:inc-1:bridge', 'timeline.sync:inc-1:v3', 'card.refresh:inc-1:3']);
});

test('every change that makes a timeline entry brings the doc up to date, customer impact too', () => {
  const docReady = { type: 'RecordResourceReady' as const, resource: 'doc' as const, url: 'd', label: 'INC-1', at, by: jo };
  const impact = effectsOf([declareCommand({ provisioning: ['doc'] }), docReady], { type: 'ChangeCustomerImpact', customerImpact: true, at, by: sam });
  expect(impact.map((e) => e.key)).toContain('timeline.sync:inc-1:v3');
});

test('a new place gets the card; a final failure is said in the origin conversation', () => {
  expect(effectsOf([declareCommand()], { type: 'AddPlace', conversation: announcements, at, by: jo }).map((e) => e.key)).toEqual([
    `card.post:inc-1:${announcements.id}`,
  ]);
  const failed = effectsOf([declareCommand({ provisioning: ['channel'] })], {
    type: 'RecordResourceTrouble',
    resource: 'channel',
    detail: 'Graph says 403: missing application permission Channel.Create',
    final: true,
    at,
    by: jo,
  });
  const said = failed.find((e) => e.kind === 'message.post') as { payload: { conversation: { id: string }; message: { lines: string[] } } };
  expect(said.payload.conversation.id).toBe(here.id);
  expect(said.payload.message.lines[0]).toBe('Firebreak gave up creating the channel: Graph says 403: missing application permission Channel.Create');
});

test('follow-ups are mailed when the incident mails', () => {
  const effects = effectsOf([declareCommand({ mail: true })], { type: 'ChangePhase', phase: 2, at, by: jo });
  expect(effects.find((e) => e.kind === 'mail.send')).toEqual({
    kind: 'mail.send',
    key: 'mail.send:inc-1:3', // v2 the phase, v3 the team's break it calls for (breaks.ts)
    incidentId: 'inc-1',
    payload: { what: 'follow-up', changes: ['Phase moved from 1 to 2 by Jo Park.'] },
  });
});

test('a stakeholder update posts everywhere and moves the reminder; a same-time reminder keeps its key', () => {
  const effects = effectsOf([declareCommand({ announceIn: [announcements] })], { type: 'PostStakeholderUpdate', text: 'Recovering', at: '2026-03-15T00:20:00.000Z', by: sam });
  expect(effects.map((e) => e.key)).toEqual([
    `message.post:inc-1:2:${here.id}:update`,
    `message.post:inc-1:2:${announcements.id}:update`,
    'reminder.update:inc-1:2026-03-15T01:20:00.000Z',
    'escalate.overdue:inc-1:2026-03-15T01:20:00.000Z',
    'card.refresh:inc-1:2',
  ]);
  const post = effects[0] as { payload: { message: { subject: string; lines: string[] } } };
  expect(post.payload.message).toEqual({
    subject: 'Update: INC-1: Production has failed over to secondary database',
    lines: ['Recovering', 'Severity 2, phase 1. Jo Park is incident commander.', 'Next update by 01:20 UTC.'],
  });
});

test('a private incident: announcement places and the mail get no resolution summary; its own places get all of it', () => {
  const effects = effectsOf([declareCommand({ announceIn: [announcements], private: true, mail: true })], { type: 'ResolveIncident', summary: 'customer X data restored', at, by: jo });
  const texts = effects.filter((e) => e.kind === 'message.post' || e.kind === 'mail.send').map((e) => JSON.stringify(e.payload));
  expect(texts.filter((t) => t.includes('customer X'))).toHaveLength(1);
  expect(texts.find((t) => t.includes('customer X'))).toContain(here.id);
});

test('once the doc exists, changes to its live fields refill it', () => {
  const declared = declareCommand({ provisioning: ['doc'] });
  const docReady = { type: 'RecordResourceReady' as const, resource: 'doc' as const, url: 'd', label: 'INC-1', at, by: jo };
  expect(effectsOf([declared, docReady], { type: 'ChangePhase', phase: 2, at, by: jo }).map((e) => e.key)).toContain('doc.fill:inc-1:v4'); // v3 the phase, v4 the break
  expect(effectsOf([declared], { type: 'ChangePhase', phase: 2, at, by: jo }).map((e) => e.kind)).not.toContain('doc.fill');
});

test('a note written in the doc sidebar is told to the incident conversation, not the announcements', () => {
  const effects = effectsOf([declareCommand({ announceIn: [announcements] })], { type: 'AddNote', kind: 'note', text: 'db-2 is back', via: 'sidebar', at, by: sam });
  expect(effects.map((e) => e.key)).toEqual([`message.post:inc-1:2:${here.id}:note`]);
  expect((effects[0] as { payload: { message: unknown } }).payload.message).toEqual({ subject: 'INC-1: Sam Lee added to the timeline from the incident doc', lines: ['db-2 is back'] });
});

test('a card copy recorded after a change it did not show is refreshed; one that showed the latest is not', () => {
  const posted = (renderedVersion: number) => ({ type: 'RecordCardPosted' as const, conversationId: here.id, postedIn: here.id, activityId: 'a1', renderedVersion, at, by: jo });
  // Declared (v1), then the severity changed (v2) while the card rendered at v1 was on its way.
  expect(effectsOf([declareCommand(), { type: 'ChangeSeverity', severity: 1, at, by: jo }], posted(1)).map((e) => e.key)).toEqual(['card.refresh:inc-1:3']);
  expect(effectsOf([declareCommand(), { type: 'ChangeSeverity', severity: 1, at, by: jo }], posted(2))).toEqual([]);
});

test('customers found to be affected: a follow-up, the card, and an update due within the hour', () => {
  const effects = withoutEscalation(effectsOf([declareCommand({ severity: 3 })], { type: 'ChangeCustomerImpact', customerImpact: true, at, by: sam }));
  expect(effects.map((e) => e.kind)).toEqual(['reminder.update', 'card.refresh', 'message.post']);
  expect(effects[0]).toMatchObject({ notBefore: '2026-03-15T01:02:00.000Z' }); // severity 3 alone would wait 120 minutes
  expect((effects[2].payload as { message: { lines: string[] } }).message.lines[0]).toBe('Customers are affected, says Sam Lee.');
  expect(effectsOf([declareCommand({ customerImpact: true })], { type: 'ChangeCustomerImpact', customerImpact: true, at, by: sam })).toEqual([]);
});
