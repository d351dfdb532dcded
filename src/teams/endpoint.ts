import { CloudAdapter, type Activity, type ActivityHandler } from 'botbuilder';
import type { BotConfig } from '../config';
import { withLogContext, type Logger } from '../log';
import { createBotAuthentication } from './auth';
import { bridgeConsole, capture } from './console-bridge';
import { InboundRefused } from './inbound-checks';
import { holdReplies, type ReplyQueue } from './replies';
import { validateActivity } from './validate';

export interface HttpAnswer {
  status: number;
  body?: unknown;
}

/** Exposes the adapter's authenticated entry point, so the HTTP answer is ours to shape. */
class FirebreakAdapter extends CloudAdapter {
  run(authorization: string, activity: Activity, logic: Parameters<CloudAdapter['processActivity']>[2]) {
    return this.processActivity(authorization, activity, logic);
  }
}

/** What a refused caller is told; the log line has the precise reason. */
const ANSWER: Record<InboundRefused['status'], (reason: string) => string> = {
  401: () => 'unauthorized: missing or invalid bearer token',
  403: (reason) => `forbidden: ${reason}`,
  503: () => 'the token signing keys are unavailable; the request can be retried',
};

/**
 * CloudAdapter with errors mapped in one place: a bad token is a 401 (botbuilder answers 500 for a wrong key), a
 * channel or tenant Firebreak does not serve a 403, each with exactly one log line; botbuilder's own console output
 * goes through the JSON logger. What a turn says leaves after its answer, through the reply queue (replies.ts).
 */
export function createTeamsEndpoint(bot: BotConfig, handler: ActivityHandler, log: Logger) {
  bridgeConsole(log);
  const adapter = new FirebreakAdapter(createBotAuthentication(bot));
  const loggedTurnErrors = new WeakSet<object>();
  adapter.onTurnError = async (context, error) => {
    // A proactive turn (continueConversationAsync: a member lookup, an outbox post) is not an inbound activity: its
    // caller gets the error and decides (a member not in the team is an answer there, not a failure). A programming
    // error (a bug of ours, not Teams answering or not) is logged here with its stack, which the caller's retry drops.
    if (context.activity.type === 'event' && context.activity.name === 'ContinueConversation') {
      if ([TypeError, ReferenceError, RangeError, SyntaxError].some((kind) => error instanceof kind) && !/fetch failed/.test(String(error))) {
        log.error('proactive turn failed', { error: (error as Error)?.stack ?? String(error) });
      }
      throw error;
    }
    log.error('turn failed', { activityType: context.activity.type, error: (error as Error).stack ?? String(error) });
    if (typeof error === 'object' && error) loggedTurnErrors.add(error);
    // Rethrow so the channel sees a failure and re-delivers; the re-delivery is de-duplicated where it changed anything.
    throw error;
  };
  let replies: ReplyQueue | undefined;

  async function handle(body: unknown, authorization: string | undefined): Promise<HttpAnswer> {
    // Shape first (a malformed activity could crash botbuilder's own checks); then the channel, token and tenant.
    const checked = validateActivity(body);
    if (!checked.ok) return { status: 400, body: { error: checked.reason } };
    const activity = checked.activity as { id?: string; conversation?: { id?: string } };
    let said: Parameters<ReplyQueue['send']>[1] = [];
    const run = await withLogContext({ activity: activity.id, conversation: activity.conversation?.id }, () =>
      capture(log, () =>
        adapter.run(authorization ?? '', checked.activity, (context) => {
          said = holdReplies(context);
          return handler.run(context);
        }),
      ),
    );
    // On the next turn of the event loop, after the server has written this answer. Said before a failure too: the
    // re-delivery that the failure asks for is de-duplicated and says nothing twice.
    if (said.length) {
      const inbound = checked.activity;
      const held = said;
      setImmediate(() => (replies ? replies.send(inbound, held) : log.error('replies were said with no reply queue to send them', { count: held.length })));
    }
    const botbuilder = run.said.length ? { botbuilder: run.said } : {};
    if (run.ok) {
      if (run.said.length) log.warn('botbuilder wrote to the console', botbuilder);
      return { status: run.value?.status ?? 200, body: run.value?.body };
    }
    const err = run.error;
    if (err instanceof InboundRefused) {
      log.warn('refused a request', { path: '/api/messages', status: err.status, reason: err.reason, ...botbuilder });
      return { status: err.status, body: { error: ANSWER[err.status](err.reason) } };
    }
    if (!(typeof err === 'object' && err && loggedTurnErrors.has(err)) || run.said.length) {
      log.error('request to /api/messages failed', { error: (err as Error)?.stack ?? String(err), ...botbuilder });
    }
    return { status: 500, body: { error: 'internal error; the request can be retried' } };
  }

  return {
    adapter,
    handle,
    /** Where held replies go (made after the endpoint: it sends through the endpoint's adapter). */
    sendRepliesWith(queue: ReplyQueue) {
      replies = queue;
    },
  };
}
