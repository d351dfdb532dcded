import { timeline } from '../../src/domain/timeline';
import { AT, declareCommand, given, jo, sam } from './fixtures';

const at = AT;
const versioned = (events: ReturnType<typeof given>['events']) => events.map((event, i) => ({ version: i + 1, event }));

test('every timeline-worthy event is one entry, in order, keyed by its event id', () => {
  const { events } = given(
    declareCommand({ provisioning: ['channel', 'bridge'] }),
    { type: 'ChangeSeverity', severity: 1, at, by: sam },
    { type: 'AssignRole', role: 'comms', person: sam, at, by: jo },
    { type: 'AssignRole', role: 'sme', person: jo, at, by: jo },
    { type: 'AddNote', kind: 'action', text: 'restarting api-3', at, by: sam },
    { type: 'RecordCardPosted', conversationId: 'c', postedIn: 'c', activityId: 'a', at, by: jo },
    { type: 'RecordResourceReady', resource: 'bridge', url: 'https://teams.example/join', label: 'Meeting bridge', at, by: jo },
    { type: 'PostStakeholderUpdate', text: 'Checkout degraded', at, by: sam },
    { type: 'ResolveIncident', summary: 'Rolled back', at, by: jo },
  );
  const entries = timeline('inc-1', versioned(events));
  expect(entries.map((e) => [e.id, e.who, e.text])).toEqual([
    ['inc-1:1', 'Jo Park', 'Declared: Production has failed over to secondary database (severity 2). Jo Park is incident commander.'],
    ['inc-1:2', 'Sam Lee', 'Severity raised from 2 to 1 by Sam Lee.'],
    ['inc-1:3', 'Jo Park', 'Sam Lee is communications lead.'],
    ['inc-1:4', 'Jo Park', 'Jo Park is a subject-matter expert.'],
    ['inc-1:5', 'Sam Lee', 'ACTION (announced before doing it): restarting api-3'],
    ['inc-1:7', 'Jo Park', 'Meeting bridge opened.'],
    ['inc-1:8', 'Sam Lee', 'Stakeholder update: Checkout degraded'],
    ['inc-1:9', 'Jo Park', 'Phase moved from 1 to 3 by Jo Park.'],
    ['inc-1:11', 'Jo Park', 'Resolved. Rolled back'], // inc-1:10 is the postmortem's start: not on the timeline
  ]);
});

test('a recorded message keeps its author, time and link; an edit changes it; a delete marks it', () => {
  const record = { type: 'RecordMessage' as const, messageId: 'm1', text: 'lag 40 s', author: sam, sentAt: '2026-03-15T00:10:00.000Z', link: 'https://teams/l/m1', at, by: jo };
  const { events } = given(declareCommand(), record, { type: 'EditRecordedMessage', messageId: 'm1', text: 'lag 4 s', at, by: sam });
  expect(timeline('inc-1', versioned(events))[1]).toEqual({ id: 'inc-1:2', at: '2026-03-15T00:10:00.000Z', who: 'Sam Lee', text: 'lag 4 s', link: 'https://teams/l/m1', edited: true });
  const deleted = given(declareCommand(), record, { type: 'DeleteRecordedMessage', messageId: 'm1', at, by: sam });
  expect(timeline('inc-1', versioned(deleted.events))[1]).toMatchObject({ text: 'lag 40 s', deleted: true });
});
