import { CloudAdapter, type Activity, type ActivityHandler } from 'botbuilder';
import type { BotConfig } from '../config';
import type { Logger } from '../log';
import { createBotAuthentication } from './auth';
import { capture } from './console-bridge';
import { InboundRefused } from './inbound-checks';

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
 * goes through the JSON logger.
 */
export function createTeamsEndpoint(bot: BotConfig, handler: ActivityHandler, log: Logger) {
  const adapter = new FirebreakAdapter(createBotAuthentication(bot));
  const loggedTurnErrors = new WeakSet<object>();
  adapter.onTurnError = async (context, error) => {
    log.error('turn failed', { activityType: context.activity.type, error: (error as Error).stack ?? String(error) });
    if (typeof error === 'object' && error) loggedTurnErrors.add(error);
    // Rethrow so the channel sees a failure and re-delivers; the re-delivery is de-duplicated where it changed anything.
    throw error;
  };

  async function handle(body: unknown, authorization: string | undefined): Promise<HttpAnswer> {
    const problem = checkActivity(body);
    if (problem) return { status: 400, body: { error: problem } };
    const run = await capture(log, () => adapter.run(authorization ?? '', body as Activity, (context) => handler.run(context)));
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

  return { adapter, handle };
}

/** The fields every activity needs before the adapter sees it; a clear 400 instead of a crash. */
function checkActivity(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON activity object';
  const a = body as Record<string, unknown>;
  const missing = ['type', 'serviceUrl'].filter((k) => typeof a[k] !== 'string' || !a[k]);
  if (typeof (a.conversation as { id?: unknown } | undefined)?.id !== 'string') missing.push('conversation.id');
  if (typeof (a.from as { id?: unknown } | undefined)?.id !== 'string') missing.push('from.id');
  if (missing.length) return `the activity is missing ${missing.join(', ')}`;
  if (a.text !== undefined && typeof a.text !== 'string') return 'activity.text must be a string';
  return undefined;
}
