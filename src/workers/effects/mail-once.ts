import type { Graph, MailRequest } from '../../graph/graph';
import type { Logger } from '../../log';
import { OutsideError, refusedOutright } from '../../outside-error';
import type { ClaimedEffect, Store } from '../../store/store';

export interface MailOnceDeps {
  store: Store;
  graph: Graph;
  sender: string;
  /**
   * How long after an interrupted send Sent Items is trusted to say "not sent": Exchange files the copy there only
   * once the message has left the Outbox, normally within seconds. Until then a retry looks again rather than sends.
   */
  sentCopyWaitMs?: number;
  now: () => Date;
  log?: Logger;
}

/**
 * Sends one mail once per effect key (docs/reliability.md): sendMail takes no idempotency key, so the effect key goes
 * on the message as an extended property, and the time a send starts is kept on the effect first. An attempt that
 * finds a send under way (a crash or a timeout after it started) looks the key up in the sender's Sent Items and
 * sends only if it is not there. Without Mail.Read the check can't be made and the mail may go twice.
 *
 * An effect that sends several mails, one after another (the Monday digest), names each by a `part` of its key: the
 * send under way is kept with the key it is for, so one mail's interrupted send is not taken for another's.
 */
export async function sendMailOnce(deps: MailOnceDeps, effect: ClaimedEffect, signal: AbortSignal, mail: { to: string[]; subject: string; text: string; what: string; attachments?: MailRequest['attachments']; part?: string }): Promise<void> {
  const key = mail.part ? `${effect.key}${mail.part}` : effect.key;
  const under = effect.payload as { sending?: string; sendingKey?: string };
  const sending = under.sending && (under.sendingKey ?? effect.key) === key ? under.sending : undefined;
  if (sending) {
    const found = await deps.graph.findSentMail(deps.sender, key, signal);
    if (found === 'sent') return; // an earlier attempt's mail went out; its answer was lost
    const since = deps.now().getTime() - Date.parse(sending);
    const settleMs = deps.sentCopyWaitMs ?? 30_000;
    if (found === 'not-found' && since < settleMs) {
      throw new OutsideError('retryable', 'an earlier attempt to send this mail was interrupted; waiting for Sent Items to tell whether it went', Math.max(1, Math.ceil((settleMs - since) / 1000)));
    }
    deps.log?.warn(`sending ${mail.what} again after an interrupted attempt`, { effect: key, sentItems: found });
  }
  await deps.store.noteEffectProgress(effect, { sending: deps.now().toISOString(), ...(mail.part && { sendingKey: key }) });
  await deps.graph.sendMail({ sender: deps.sender, to: mail.to, subject: mail.subject, text: mail.text, key, ...(mail.attachments && { attachments: mail.attachments }) }, signal).catch(async (err) => {
    // Refused outright (429, 4xx): nothing went, so the retry need not wait for Sent Items to tell.
    if (refusedOutright(err)) await deps.store.noteEffectProgress(effect, { sending: null });
    throw err;
  });
}
