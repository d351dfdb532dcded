/**
 * What Firebreak's handlers read from an activity, as JSON Schema, beyond the Bot Connector contract (validate.ts):
 * the Teams parts (`channelData`, the invoke values of the message extension and of Universal Actions) are not in
 * that contract. Only fields a handler reads are constrained; anything else Teams adds passes.
 * Teams shapes: https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/create-task-module
 * (the message a message action was invoked on) and
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
 */
const text = { type: 'string' };
const id = { type: 'string', minLength: 1 };
const strings = (...names: string[]) => Object.fromEntries(names.map((n) => [n, text]));
const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', required, properties });
const account = object({ id, name: text, aadObjectId: text }, ['id']);

/** Teams sends `null` for the parts of a message that don't apply (`from.user` of a bot's message). */
const nullable = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type as string, 'null'] });

/** The message a message action was invoked on (`value.messagePayload`). */
const messagePayload = object({
  id: text,
  linkToMessage: text,
  createdDateTime: nullable({ type: 'string', format: 'date-time' }),
  body: nullable(object({ content: nullable(text), contentType: text })),
  from: nullable(object({ user: nullable(object(strings('id', 'displayName'))) })),
});

/** A mention entity names who is mentioned; other entities (clientInfo, …) need only their type. */
const entity = {
  type: 'object',
  required: ['type'],
  properties: { type: text },
  if: { required: ['type'], properties: { type: { const: 'mention' } } },
  then: { required: ['mentioned'], properties: { mentioned: account, text } },
};

/**
 * Teams conversation ids are ASCII (`19:…@thread.tacv2;messageid=…`, `a:…`), and botbuilder sends the id back in an
 * HTTP header (`x-ms-conversation-id`), where Node refuses control and non-Latin-1 characters with a throw.
 */
const HEADER_SAFE_ID = '^[\\x21-\\x7e]+$';

const activity = {
  type: 'object',
  required: ['type', 'serviceUrl', 'channelId', 'conversation', 'from'],
  properties: {
    type: id,
    // Replies name the activity they answer in the connector's URL: Teams' ids are short; a 20 kB one only makes
    // that URL too long for the connector (431), after the turn has begun (fuzz seed 868067).
    id: { type: 'string', maxLength: 256 },
    replyToId: { type: 'string', maxLength: 256 },
    // Which channels are accepted is the authentication's business (auth.ts); without one botbuilder's throws.
    channelId: id,
    serviceUrl: id,
    conversation: object({ id: { type: 'string', pattern: HEADER_SAFE_ID, maxLength: 1024 }, conversationType: text, tenantId: text }, ['id']),
    from: account,
    recipient: account,
    text,
    entities: { type: 'array', items: entity },
    channelData: object({
      tenant: object(strings('id')),
      team: object(strings('id', 'aadGroupId')),
      channel: object(strings('id')),
      eventType: text,
    }),
  },
  allOf: [
    { if: { required: ['type'], properties: { type: { const: 'invoke' } } }, then: { required: ['name'], properties: { name: text } } },
    // botbuilder dispatches Teams edits and deletes on `channelData.eventType`, reading it without a check.
    {
      if: { required: ['type'], properties: { type: { enum: ['messageUpdate', 'messageDelete'] } } },
      then: { required: ['channelData'], properties: { channelData: object({ eventType: text }, ['eventType']) } },
    },
  ],
};

/** The invokes Firebreak answers: the message extension's fetch and submit, and the incident card's buttons. */
export const HANDLED_INVOKES = ['composeExtension/fetchTask', 'composeExtension/submitAction', 'composeExtension/query', 'adaptiveCard/action'] as const;

const invoke = (value: unknown) => object({ value }, ['value']);

export function activitySchemas(): { activity: object; invokes: Record<(typeof HANDLED_INVOKES)[number], object> } {
  return {
    activity,
    invokes: {
      'composeExtension/fetchTask': invoke(object({ commandId: id, commandContext: text, messagePayload }, ['commandId'])),
      'composeExtension/submitAction': invoke(
        object(
          {
            commandId: id,
            commandContext: text,
            // The declare form's inputs, and "Add to timeline"'s choice card (add-to-timeline.ts): Adaptive Card inputs submit strings.
            data: object(strings('formId', 'title', 'description', 'severity', 'customerImpact', 'commander', 'private', 'detection', 'service', 'pending', 'incidentId', 'join', 'declareAnyway')),
            messagePayload,
          },
          ['commandId'],
        ),
      ),
      // The search command: `parameters` as named in the manifest (https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/search-commands/respond-to-search).
      'composeExtension/query': invoke(
        object({ commandId: id, parameters: { type: 'array', items: object({ name: text, value: text }, ['name']) }, queryOptions: object({ skip: { type: 'integer' }, count: { type: 'integer' } }) }, ['commandId']),
      ),
      'adaptiveCard/action': invoke(
        object(
          {
            action: object(
              {
                type: { const: 'Action.Execute' },
                verb: id,
                // `update`'s card (src/audiences/update-card.ts): one toggle, template and text per audience.
                // A page's buttons and "Page experts…" (src/paging/): the page, its step and who it was sent to; the services picked and why.
                data: { ...object(strings('incidentId', 'severity', 'phase', 'person', 'role', 'note', 'destructive', 'update', 'summary', 'title', 'ask', 'publicTitle', 'publicBody', 'publicStatus', 'privateOk', 'pageId', 'step', 'personId', 'services', 'reason', 'followup', 'owner', 'due', 'n', 'group', 'minutes', 'customerImpact', 'private', 'statusPage')), patternProperties: { '^(pick|moment|text|rendered)_[a-z0-9_-]+$': text } },
              },
              ['type', 'verb'],
            ),
            trigger: text,
          },
          ['action'],
        ),
      ),
    },
  };
}
