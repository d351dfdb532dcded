import { esc, linkify, page, utcTime, type WebAnswer } from './html';
import type { SandboxSources } from './sandbox-state';

/**
 * /sandbox/mail: the emulated mailbox, every mail Firebreak sent through Graph (the announcement of each incident and
 * its follow-ups), newest first, each with an anchor (`#mail-<id>`) the sandbox page links to.
 */
export function mailPage(src: SandboxSources): WebAnswer {
  const mails = [...(src.graph?.mailbox() ?? [])].reverse();
  const items = mails.map(
    (m) => `<section class="panel" id="mail-${esc(m.id)}"><h2>${esc(m.subject)}</h2>
<dl class="facts-list"><dt>From</dt><dd>${esc(m.from)}</dd><dt>To</dt><dd>${esc(m.to.join(', '))}</dd>${m.cc.length ? `<dt>Cc</dt><dd>${esc(m.cc.join(', '))}</dd>` : ''}<dt>Sent</dt><dd>${esc(utcTime(m.sentAt))}</dd></dl>
<article class="mail-item">${m.contentType === 'text' ? linkify(m.body) : esc(m.body)}</article></section>`,
  );
  return page(
    'Mailbox',
    `<header><h1>Mailbox</h1><p>Mail sent through the emulated Microsoft Graph; none of it leaves this machine. <a href="/sandbox">Back to the sandbox</a></p></header>
<main>${items.join('') || '<p class="empty">No mail sent yet.</p>'}</main>`,
  );
}
