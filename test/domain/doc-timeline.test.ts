import { decide, type Command } from '../../src/domain/decide';
import { evolveAll, type IncidentEvent } from '../../src/domain/incident';
import { react } from '../../src/domain/react';
import { timeline } from '../../src/domain/timeline';
import { announcements, AT, declareCommand, given, jo } from './fixtures';

/** The doc's timeline as a second place to write it: rows people add or edit there join the log, told to the chat. */
const at = AT;
const bob = { id: 'google:bob@example.com', name: 'Bob Brown' };
const docReady: Command = { type: 'RecordResourceReady', resource: 'doc', url: 'https://docs/d/1', label: 'INC-1', at, by: jo };

function after(previous: Command[], command: Command) {
  const { state, events: log } = given(...previous);
  const events = decide(command, state) as IncidentEvent[];
  const next = evolveAll(events, state)!;
  const all = [...log, ...events].map((event, i) => ({ version: i + 1, event }));
  return { events, effects: react(events, next), entries: timeline(next.id, all), state: next };
}

test('a note syncs the doc timeline once the doc is ready, and the sync effect is coalesced', () => {
  const before = after([declareCommand()], { type: 'AddNote', kind: 'note', text: 'x', at, by: jo });
  expect(before.effects.map((e) => e.kind)).toEqual([]);
  const { effects } = after([declareCommand({ provisioning: ['doc'] }), docReady], { type: 'AddNote', kind: 'note', text: 'x', at, by: jo });
  expect(effects).toEqual([{ kind: 'timeline.sync', key: 'timeline.sync:inc-1:v3', incidentId: 'inc-1', payload: {}, coalesce: true }]);
});

test('a row added in the doc becomes an entry marked as from the doc, told to the incident conversation only', () => {
  const { events, effects, entries } = after([declareCommand({ provisioning: ['doc'], announceIn: [announcements] }), docReady], {
    type: 'RecordDocRow',
    text: ' Restarted the API pods ',
    who: '',
    time: 'about 10ish',
    at,
    by: bob,
  });
  expect(events).toEqual([{ type: 'DocRowAdded', text: 'Restarted the API pods', who: '', time: 'about 10ish', at, by: bob }]);
  expect(entries.at(-1)).toEqual({ id: 'inc-1:3', at, who: 'Bob Brown', text: 'Restarted the API pods', fromDoc: true });
  const posts = effects.filter((e) => e.kind === 'message.post');
  expect(posts).toHaveLength(1);
  expect(posts[0].payload).toMatchObject({ message: { subject: 'INC-1: added in the doc by Bob Brown', lines: ['about 10ish: Restarted the API pods'] } });
  expect(effects.map((e) => e.kind)).toContain('timeline.sync');
});

test('an edit in the doc changes its entry and is told once; the same edit again changes nothing', () => {
  const note: Command = { type: 'AddNote', kind: 'note', text: 'Rolled back', at, by: jo };
  const edit: Command = { type: 'RecordDocRowEdit', entryId: 'inc-1:3', text: 'Rolled back to v41', at, by: bob };
  const { events, effects, entries } = after([declareCommand({ provisioning: ['doc'] }), docReady, note], edit);
  expect(events.map((e) => e.type)).toEqual(['DocRowEdited']);
  expect(entries.find((e) => e.id === 'inc-1:3')).toMatchObject({ text: 'Rolled back to v41', edited: true });
  expect(effects.map((e) => e.kind)).toEqual(['message.post']);
  expect(after([declareCommand({ provisioning: ['doc'] }), docReady, note, edit], edit).events).toEqual([]);
});

test('an earlier doc edit put back after the chat changed the entry is an edit again, not dropped', () => {
  const recorded: Command = { type: 'RecordMessage', messageId: 'm1', text: 'Lag is 40 s', author: jo, sentAt: at, at, by: jo };
  const edit: Command = { type: 'RecordDocRowEdit', entryId: 'inc-1:3', text: 'Lag is 40 s on db-2', current: 'Lag is 40 s', at, by: bob };
  const chatEdit: Command = { type: 'EditRecordedMessage', messageId: 'm1', text: 'Lag is 4 s', at, by: jo };
  const again: Command = { type: 'RecordDocRowEdit', entryId: 'inc-1:3', text: 'Lag is 40 s on db-2', current: 'Lag is 4 s', at, by: bob };
  const { events, entries } = after([declareCommand({ provisioning: ['doc'] }), docReady, recorded, edit, chatEdit], again);
  expect(events.map((e) => e.type)).toEqual(['DocRowEdited']);
  expect(entries.find((e) => e.id === 'inc-1:3')).toMatchObject({ text: 'Lag is 40 s on db-2' });
  expect(after([declareCommand({ provisioning: ['doc'] }), docReady, recorded, edit, chatEdit, again], { ...again, current: 'Lag is 40 s on db-2' }).events).toEqual([]);
});

test('a lost doc is said once in plain words; the doc is marked failed', () => {
  const lost: Command = { type: 'RecordDocLost', detail: 'The incident doc was deleted.', at, by: jo };
  const { effects, state } = after([declareCommand({ provisioning: ['doc'] }), docReady], lost);
  expect(state.resources.doc).toMatchObject({ status: 'failed', detail: 'The incident doc was deleted.' });
  expect(effects.filter((e) => e.kind === 'message.post')).toHaveLength(1);
  expect(after([declareCommand({ provisioning: ['doc'] }), docReady, lost], lost).events).toEqual([]);
});
