import type { Incident } from '../../domain/incident';
import { declaration, followUp, stakeholderUpdate, type Message } from '../../domain/messages';
import type { SendMail } from '../../domain/react';
import type { Graph } from '../../graph/graph';
import type { Logger } from '../../log';
import type { ClaimedEffect, Store } from '../../store/store';
import { OutsideError, refusedOutright } from '../../outside-error';

export interface MailSendDeps {
  store: Store;
  graph: Graph;
  sender: string;
  to: string[];
  /** How long a declaration waits for the channel, bridge and doc links (then goes with what exists). */
  waitForLinksMs: number;
  /** The shortest wait before looking again (250 ms); the runner's backoff spaces later looks out. */
  waitPollMs?: number;
  /**
   * How long after an interrupted send Sent Items is trusted to say "not sent": Exchange files the copy there only
   * once the message has left the Outbox, normally within seconds. Until then a retry looks again rather than sends.
   */
  sentCopyWaitMs?: number;
  now: () => Date;
  log?: Logger;
}

/**
 * Mails the incidents list, rendered now from the current state (DOMAIN.md shape: subject = what we
 * perceive; "Severity N, phase N. <IC> is incident commander. Coordinating via <channel> and <bridge>.").
 * A private incident's mail says only that it exists and who leads it.
 *
 * Once per effect key: sendMail takes no idempotency key, so the effect key goes on the message as an extended
 * property, and the time a send starts is kept on the effect first. An attempt that finds a send under way (a crash
 * or a timeout after it started) looks the key up in the sender's Sent Items and sends only if it is not there.
 * Without Mail.Read the check can't be made and the mail may go twice; docs/reliability.md has the details.
 */
export function mailSend(deps: MailSendDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    const payload = effect.payload as SendMail['payload'] & { sending?: string };
    if (payload.what === 'declaration' && !incident.private) {
      const assembling = stillAssembling(incident);
      const waited = deps.now().getTime() - new Date(effect.createdAt).getTime();
      if (assembling.length && waited < deps.waitForLinksMs) {
        throw new OutsideError('retryable', `waiting for the ${assembling.join(' and ')} link before mailing the declaration`, (deps.waitPollMs ?? 250) / 1000);
      }
    }
    if (payload.sending) {
      const found = await deps.graph.findSentMail(deps.sender, effect.key, signal);
      if (found === 'sent') return; // an earlier attempt's mail went out; its answer was lost
      const since = deps.now().getTime() - Date.parse(payload.sending);
      const settleMs = deps.sentCopyWaitMs ?? 30_000;
      if (found === 'not-found' && since < settleMs) {
        throw new OutsideError('retryable', 'an earlier attempt to send this mail was interrupted; waiting for Sent Items to tell whether it went', Math.max(1, Math.ceil((settleMs - since) / 1000)));
      }
      deps.log?.warn('sending a mail again after an interrupted attempt', { effect: effect.key, sentItems: found });
    }
    await deps.store.noteEffectProgress(effect, { sending: deps.now().toISOString() });
    const message = render(incident, payload);
    // An audience's mail goes to its own list (the organisation file); everything else to the incidents list.
    const to = payload.what === 'audience' ? [payload.to] : deps.to;
    await deps.graph.sendMail({ sender: deps.sender, to, subject: message.subject, text: message.lines.join('\n\n'), key: effect.key }, signal).catch(async (err) => {
      // Refused outright (429, 4xx): nothing went, so the retry need not wait for Sent Items to tell.
      if (refusedOutright(err)) await deps.store.noteEffectProgress(effect, { sending: null });
      throw err;
    });
  };
}

function render(incident: Incident, payload: SendMail['payload']): Message {
  const redact = incident.private;
  switch (payload.what) {
    case 'declaration':
      return declaration(incident, { redact });
    case 'follow-up':
      return followUp(incident, payload.changes, { redact });
    case 'update':
      return stakeholderUpdate(incident, payload.text, { redact });
    case 'audience':
      return { subject: payload.subject, lines: [payload.text] };
  }
}

function stillAssembling(incident: Incident): string[] {
  return (['channel', 'bridge', 'doc'] as const).filter((k) => {
    const status = incident.resources[k]?.status;
    return status === 'pending' || status === 'retrying';
  });
}
