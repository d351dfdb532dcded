import type { Incident } from '../../domain/incident';
import { declaration, followUp, stakeholderUpdate, type Message } from '../../domain/messages';
import type { SendMail } from '../../domain/react';
import type { ClaimedEffect } from '../../store/store';
import { OutsideError } from '../../outside-error';
import { sendMailOnce, type MailOnceDeps } from './mail-once';

export interface MailSendDeps extends MailOnceDeps {
  to: string[];
  /** How long a declaration waits for the channel, bridge and doc links (then goes with what exists). */
  waitForLinksMs: number;
  /** The shortest wait before looking again (250 ms); the runner's backoff spaces later looks out. */
  waitPollMs?: number;
}

/**
 * Mails the incidents list, rendered now from the current state (DOMAIN.md shape: subject = what we
 * perceive; "Severity N, phase N. <IC> is incident commander. Coordinating via <channel> and <bridge>.").
 * A private incident's mail says only that it exists and who leads it.
 * Once per effect key (mail-once.ts).
 */
export function mailSend(deps: MailSendDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    const payload = effect.payload as SendMail['payload'];
    if (payload.what === 'declaration' && !incident.private) {
      const assembling = stillAssembling(incident);
      const waited = deps.now().getTime() - new Date(effect.createdAt).getTime();
      if (assembling.length && waited < deps.waitForLinksMs) {
        throw new OutsideError('retryable', `waiting for the ${assembling.join(' and ')} link before mailing the declaration`, (deps.waitPollMs ?? 250) / 1000);
      }
    }
    const message = render(incident, payload);
    // An audience's mail goes to its own list (the organisation file); everything else to the incidents list.
    const to = payload.what === 'audience' ? [payload.to] : deps.to;
    await sendMailOnce(deps, effect, signal, { to, subject: message.subject, text: message.lines.join('\n\n'), what: 'a mail' });
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
