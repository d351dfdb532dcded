import type { OrgFile } from '../../org/schema';
import type { StatusMail, Subscriber } from '../../store/status-subscribers-store';
import type { ClaimedEffect } from '../../store/store';
import { OutsideError } from '../../outside-error';
import { sendMailOnce, type MailOnceDeps } from './mail-once';

export interface StatusMailDeps extends MailOnceDeps {
  org: OrgFile;
  /** The status page's public address: the links in the mails lead there. */
  statusUrl: string;
}

/** The link that confirms or unsubscribes: the subscriber's id and its secret, checked in constant time. */
export const subscriptionLink = (statusUrl: string, action: 'confirm' | 'unsubscribe', id: string, secret: string) =>
  `${statusUrl}/subscriptions/${action}?token=${encodeURIComponent(`${id}.${secret}`)}`;

/**
 * Mails one status page subscriber: the confirmation of a subscription (double opt-in) or one published update.
 * Every mail carries its unsubscribe link. Rendered when sent, so a subscriber gone meanwhile is mailed nothing.
 * Once per effect key, as every mail (mail-once.ts).
 */
export function statusMail(deps: StatusMailDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const payload = effect.payload as StatusMail;
    const subscriber = await deps.store.statusSubscribers.get(payload.subscriberId);
    const message = subscriber && (await render(deps, subscriber, payload));
    if (!subscriber || !message) return; // unsubscribed, superseded or never confirmed: nothing to send
    await sendMailOnce(deps, effect, signal, { to: [subscriber.email], subject: message.subject, text: message.text, what: 'a status mail' });
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
