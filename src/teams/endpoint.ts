import { CloudAdapter, type Activity, type ActivityHandler } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { BotConfig } from '../config';
import type { Logger } from '../log';
import { createBotAuthentication } from './auth';
import { validateActivity } from './validate';

export interface HttpAnswer {
  status: number;
  body?: unknown;
}

const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** Exposes the adapter's authenticated entry point, so the HTTP answer is ours to shape. */
class FirebreakAdapter extends CloudAdapter {
  run(authorization: string, activity: Activity, logic: Parameters<CloudAdapter['processActivity']>[2]) {
    return this.processActivity(authorization, activity, logic);
  }
}

/** CloudAdapter with errors mapped in one place: bad tokens are 401 (botbuilder answers 500 for a wrong key). */
export function createTeamsEndpoint(bot: BotConfig, handler: ActivityHandler, log: Logger) {
  const adapter = new FirebreakAdapter(createBotAuthentication(bot));
  adapter.onTurnError = async (context, error) => {
    log.error('turn failed', { activityType: context.activity.type, error: (error as Error).stack ?? String(error) });
    // Rethrow so the channel sees a failure and re-delivers; the re-delivery is de-duplicated where it changed anything.
    throw error;
  };

  async function handle(body: unknown, authorization: string | undefined): Promise<HttpAnswer> {
    const checked = validateActivity(body);
    if (!checked.ok) return { status: 400, body: { error: checked.reason } };
    try {
      const invoke = await adapter.run(authorization ?? '', checked.activity, (context) => handler.run(context));
      return { status: invoke?.status ?? 200, body: invoke?.body };
    } catch (err) {
      const e = err as Error & { statusCode?: number };
      if (err instanceof AuthenticationError || JWT_ERRORS.has(e.name) || e.statusCode === 401) {
        log.warn('rejected an unauthenticated request to /api/messages', { reason: e.message });
        return { status: 401, body: { error: 'unauthorized: missing or invalid bearer token' } };
      }
      return { status: 500, body: { error: 'internal error; the request can be retried' } };
    }
  }

  return { adapter, handle };
}
