import { validateActivity } from '../../src/teams/validate';
import { channelMessage, invoke, messageEvent } from '../harness/activities';

/** The edge check, without a server: each activity Firebreak would crash on is a one-line reason naming the field. */
const serviceUrl = 'https://smba.example/';
const message = (patch: Record<string, unknown> = {}) => ({ ...channelMessage('sev 2', { serviceUrl }), ...patch });
const reasonFor = (activity: unknown) => {
  const checked = validateActivity(JSON.parse(JSON.stringify(activity)));
  return checked.ok ? 'ok' : checked.reason;
};

test('well-formed activities of every kind Firebreak handles pass, and pass unchanged', () => {
  const activities = [
    message(),
    invoke('composeExtension/fetchTask', { commandId: 'declareIncident', commandContext: 'message', messagePayload: { id: '1', body: { contentType: 'html', content: '<p>x</p>' }, from: { user: null, application: { id: 'a' } }, createdDateTime: '2026-03-15T14:10:00.123Z', linkToMessage: 'https://teams.microsoft.com/l/message/x/1', replyToId: null, summary: null } }, { serviceUrl }),
    invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'compose', data: { formId: 'f', title: 't', severity: '2', customerImpact: 'false', commander: '29:a', private: 'false' } }, { serviceUrl }),
    invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'setSeverity', data: { incidentId: 'i', severity: '1' } }, trigger: 'manual' }, { serviceUrl }),
    invoke('composeExtension/query', { commandId: 'findIncidents', parameters: [{ name: 'query', value: 'INC-7' }], queryOptions: { skip: 0, count: 25 } }, { serviceUrl }),
    messageEvent('edit', 'm1', 'new text', { serviceUrl, thread: 't' }),
    messageEvent('delete', 'm1', '', { serviceUrl, thread: 't' }),
    { ...message(), type: 'conversationUpdate', membersAdded: [{ id: '29:x', name: 'X' }] },
    // Teams sends an HTML message's attachment content as a string, though the contract says object.
    message({ attachments: [{ contentType: 'text/html', content: '<div>x</div>' }], entities: [{ type: 'clientInfo', locale: 'en-GB' }], timestamp: null, localTimestamp: '2026-03-15T15:02:00.1234567+01:00' }),
  ];
  for (const activity of activities) {
    const checked = validateActivity(JSON.parse(JSON.stringify(activity)));
    expect(checked).toEqual({ ok: true, activity: JSON.parse(JSON.stringify(activity)) });
  }
});

test.each([
  ['not an object', [], 'the body must be a JSON activity object'],
  ['nothing an activity needs', { hello: 'world' }, 'the activity is missing type, serviceUrl, channelId, conversation, from'],
  ['a conversation without id', message({ conversation: { isGroup: true } }), 'the activity is missing conversation.id'],
  ['a sender without id', message({ from: { name: 'x' } }), 'the activity is missing from.id'],
  ['a number for a name (botbuilder copies it into the reply)', message({ from: { id: '29:a', name: 5 } }), 'from.name must be a string'],
  ['a string for isGroup', message({ conversation: { id: 'c', isGroup: 'yes' } }), 'conversation.isGroup must be a boolean'],
  ['a conversation id no HTTP header can carry', message({ conversation: { id: 'c\u202ed' } }), 'conversation.id must be printable ASCII, as Teams ids are'],
  ['an object for text', message({ text: { a: 1 } }), 'text must be a string'],
  ['entities that are not a list', message({ entities: 'x' }), 'entities must be an array'],
  ['a null entity', message({ entities: [null] }), 'entities.0 must be an object'],
  ['a mention of nobody', message({ entities: [{ type: 'mention', mentioned: { name: 'Bob' } }] }), 'the activity is missing entities.0.mentioned.id'],
  ['an empty mentioned id', message({ entities: [{ type: 'mention', mentioned: { id: '' } }] }), 'entities.0.mentioned.id must not be empty'],
  ['a timestamp that is no time', message({ timestamp: 'yesterday' }), 'timestamp must be a date-time'],
  ['a tenant id that is a number', message({ channelData: { tenant: { id: 7 } } }), 'channelData.tenant.id must be a string'],
  ['an edit without its Teams event type', { ...messageEvent('edit', 'm', 'x', { serviceUrl, thread: 't' }), channelData: {} }, 'the activity is missing channelData.eventType'],
  ['an invoke without a name', { ...invoke('x', {}, { serviceUrl }), name: undefined }, 'the activity is missing name'],
  ['an invoke Firebreak does not handle', invoke('task/fetch', {}, { serviceUrl }), 'Firebreak does not handle the invoke "task/fetch"; it handles composeExtension/fetchTask, composeExtension/submitAction, composeExtension/query, adaptiveCard/action'],
  ['a fetch without value', invoke('composeExtension/fetchTask', undefined, { serviceUrl }), 'the activity is missing value'],
  ['a fetch with a numeric command id', invoke('composeExtension/fetchTask', { commandId: 3 }, { serviceUrl }), 'value.commandId must be a string'],
  ['a message payload with no date', invoke('composeExtension/fetchTask', { commandId: 'x', messagePayload: { createdDateTime: 'soon' } }, { serviceUrl }), 'value.messagePayload.createdDateTime must be a date-time'],
  ['a message payload whose text is an object', invoke('composeExtension/fetchTask', { commandId: 'x', messagePayload: { body: { content: {} } } }, { serviceUrl }), 'value.messagePayload.body.content must be a string or null'],
  ['a search whose text is a number', invoke('composeExtension/query', { commandId: 'findIncidents', parameters: [{ name: 'query', value: 7 }] }, { serviceUrl }), 'value.parameters.0.value must be a string'],
  ['a submit whose title is a number', invoke('composeExtension/submitAction', { commandId: 'declareIncident', data: { title: 3 } }, { serviceUrl }), 'value.data.title must be a string'],
  ['a message preview Firebreak never sent', invoke('composeExtension/submitAction', { commandId: 'declareIncident', botMessagePreviewAction: 'send' }, { serviceUrl }), 'value.botMessagePreviewAction is not expected: Firebreak answers the message extension with no message preview'],
  ['a button press without action', invoke('adaptiveCard/action', { trigger: 'manual' }, { serviceUrl }), 'the activity is missing value.action'],
  ['a button press with a numeric verb', invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 1 } }, { serviceUrl }), 'value.action.verb must be a string'],
  ['a button that is no Action.Execute', invoke('adaptiveCard/action', { action: { type: 'Action.Submit', verb: 'x' } }, { serviceUrl }), 'value.action.type must be "Action.Execute"'],
  ['a button input that is a list', invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'note', data: { note: ['x'] } } }, { serviceUrl }), 'value.action.data.note must be a string'],
])('%s: 400 with "%s"', (_name, activity, reason) => {
  expect(reasonFor(activity)).toBe(reason);
});

test('a body nested past any activity is refused by name, not a stack overflow', () => {
  const deep = JSON.parse(`{"type":"message","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
  expect(validateActivity(deep)).toEqual({ ok: false, reason: 'the activity is nested more than 64 levels deep' });
});

test('NUL and unpaired surrogates anywhere become U+FFFD before anything reads them', () => {
  const checked = validateActivity(JSON.parse(JSON.stringify(message({ text: 'note a\u0000b\ud800', from: { id: '29:a', name: 'Al\udc00' } }))));
  expect(checked.ok && [checked.activity.text, checked.activity.from.name]).toEqual(['note a\ufffdb\ufffd', 'Al\ufffd']);
});
