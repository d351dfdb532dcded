import { readFileSync } from 'node:fs';
import type { FollowUpPolicy } from '../../src/domain/followups';
import { followUpHandlers } from '../../src/followups/handlers';
import { createLogger } from '../../src/log';
import { EXAMPLE_ORG_FILE, parseOrgFile } from '../../src/org/load';
import type { BotChannel } from '../../src/sandbox/botframework';
import type { Store } from '../../src/store/store';
import { createRunner } from '../../src/workers/runner';
import { unauthenticatedDirectReach, unauthenticatedOutbox } from '../harness/outbox';

/** The example organisation file: follow-ups in Europe/Berlin, digests and reminders at 09:00. */
export const org = parseOrgFile(readFileSync(EXAMPLE_ORG_FILE, 'utf8'), 'example');
export const policy: FollowUpPolicy = org.followUps!;
export const TENANT = '11111111-2222-3333-4444-555555555555';

/**
 * A replica's effect runner with the real follow-up handlers: the outbox and 1:1 chats post to a local Bot Connector;
 * the incident's own cards and messages are not these tests' business.
 */
export function followUpRunner(deps: { store: Store; channel: BotChannel; now: () => Date; mail?: Parameters<typeof followUpHandlers>[0]['mail'] }) {
  const { store, channel, now, mail } = deps;
  const log = createLogger('error', () => undefined);
  return createRunner({
    store,
    now,
    log,
    handlers: {
      'card.post': async () => undefined,
      'card.refresh': async () => undefined,
      'message.post': async () => undefined,
      ...followUpHandlers({ store, teams: unauthenticatedOutbox(now), direct: unauthenticatedDirectReach(channel.serviceUrl, TENANT), ...(mail && { mail }), now, log, org }),
    },
  });
}
