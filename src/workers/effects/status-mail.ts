import type { Graph } from '../../graph/graph';
import type { Logger } from '../../log';
import type { OrgFile } from '../../org/schema';
import { OutsideError, refusedOutright } from '../../outside-error';
import type { StatusMail, Subscriber } from '../../store/status-subscribers-store';
import type { ClaimedEffect, Store } from '../../store/store';

export interface StatusMailDeps {
  store: Store;
  graph: Graph;
  sender: string;
  org: OrgFile;
  /** The status page's public address: the links in the mails lead there. */
  statusUrl: string;
  /** As for mail.send: how long after an interrupted send Sent Items is trusted to say "not sent". */
  sentCopyWaitMs?: number;
  now: () => Date;
  log?: Logger;
}

/** The link that confirms or unsubscribes: the subscriber's id and its secret, checked in constant time. */
export const subscriptionLink = (statusUrl: string, action: 'confirm' | 'unsubscribe', id: string, secret: string) =>
  `${statusUrl}/subscriptions/${action}?token=${encodeURIComponent(`${id}.${secret}`)}`;

/**
 * Mails one status page subscriber: the confirmation of a subscription (double opt-in) or one published update.
 * Every mail carries its unsubscribe link. Rendered when sent, so a subscriber gone meanwhile is mailed nothing.
 * Once per effect key, the way mail.send does it (docs/reliability.md): the key on the message, the start of the
 * send kept first, and an interrupted attempt looks in Sent Items before it sends again.
 */
export function statusMail(deps: StatusMailDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const payload = effect.payload as StatusMail & { sending?: string };
    const subscriber = await deps.store.statusSubscribers.get(payload.subscriberId);
    const message = subscriber && (await render(deps, subscriber, payload));
    if (!subscriber || !message) return; // unsubscribed, superseded or never confirmed: nothing to send
    if (payload.sending) {
      const found = await deps.graph.findSentMail(deps.sender, effect.key, signal);
      if (found === 'sent') return;
      const since = deps.now().getTime() - Date.parse(payload.sending);
      const settleMs = deps.sentCopyWaitMs ?? 30_000;
      if (found === 'not-found' && since < settleMs) {
        throw new OutsideError('retryable', 'an earlier attempt to send this mail was interrupted; waiting for Sent Items to tell whether it went', Math.max(1, Math.ceil((settleMs - since) / 1000)));
      }
      deps.log?.warn('sending a status mail again after an interrupted attempt', { effect: effect.key, sentItems: found });
    }
    await deps.store.noteEffectProgress(effect, { sending: deps.now().toISOString() });
    await deps.graph.sendMail({ sender: deps.sender, to: [subscriber.email], subject: message.subject, text: message.text, key: effect.key }, signal).catch(async (err) => {
      if (refusedOutright(err)) await deps.store.noteEffectProgress(effect, { sending: null });
      throw err;
    });
  };
}

async function render(deps: StatusMailDeps, s: Subscriber, payload: StatusMail): Promise<{ subject: string; text: string } | undefined> {
  const page = deps.org.statusPage.name;
  const names = (ids: string[]) => (ids.length ? ids.map((id) => deps.org.statusPage.components.find((c) => c.id === id)?.name ?? id).join(', ') : 'every component');
  const unsubscribe = `To stop these mails: ${subscriptionLink(deps.statusUrl, 'unsubscribe', s.id, s.unsubscribeSecret)}`;
  switch (payload.what) {
    case 'confirm': {
      // A newer request replaced this one's secret: its own mail carries the link that works.
      if (s.confirmSecret !== payload.secret) return undefined;
      return {
        subject: `Confirm your subscription to ${page}`,
        text: [
          `Someone asked to receive ${page} updates about ${names(s.pendingComponents ?? [])} at this address.`,
          `To confirm, open this link: ${subscriptionLink(deps.statusUrl, 'confirm', s.id, payload.secret)}`,
          'If it was not you, ignore this mail: nothing more is sent unless the link is opened.',
          unsubscribe,
        ].join('\n\n'),
      };
    }
    case 'update': {
      if (!s.confirmed) return undefined;
      const update = await deps.store.statusPage.update(payload.updateId);
      if (!update) return undefined;
      const status = update.status[0].toUpperCase() + update.status.slice(1);
      return {
        subject: `[${page}] ${status}: ${update.name}`,
        text: [
          `${status}: ${update.body}`,
          update.affected.length ? `Affected: ${update.affected.map((a) => `${names([a.id])} (${a.newStatus.replace(/_/g, ' ')})`).join(', ')}` : '',
          `Follow it at ${deps.statusUrl}`,
          unsubscribe,
        ]
          .filter(Boolean)
          .join('\n\n'),
      };
    }
    default:
      return assertNever(payload);
  }
}

function assertNever(x: never): never {
  throw new OutsideError('permanent', `unknown status mail ${JSON.stringify(x)}`);
}
