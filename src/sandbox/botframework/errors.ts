import type { Reply } from '../http';

/**
 * Every error the Bot Framework channel answers, in the Bot Connector's ErrorResponse shape
 * (../shared/schemas/bot-connector-api.swagger.json): `{ "error": { "code", "message" } }`. One factory, as the
 * Graph and Google emulators have.
 */
export function connectorError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, ...(headers ? { headers } : {}), body: { error: { code, message } } };
}

/**
 * What Teams answers for each status, from "Status code responses"
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-messages#status-code-responses).
 * 5xx messages are "*various" there; 503 and 504 have no documented code, so they carry ServiceError too.
 */
export const TEAMS_ERRORS: Record<number, [code: string, message: string]> = {
  401: ['BotNotRegistered', 'No registration found for this bot.'],
  403: ['BotNotInConversationRoster', 'The bot is not part of the conversation roster.'],
  404: ['ConversationNotFound', 'Conversation not found.'],
  412: ['PreconditionFailed', 'Precondition failed, please try again.'],
  413: ['MessageSizeTooBig', 'Message size too large.'],
  429: ['Throttled', 'Too many requests.'],
  500: ['ServiceError', 'An internal error occurred.'],
  502: ['ServiceError', 'A service dependency failed.'],
  503: ['ServiceError', 'The service is unavailable.'],
  504: ['ServiceError', 'The gateway timed out.'],
};
