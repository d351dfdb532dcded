import { link, page, type WebAnswer } from './html';

/**
 * Local mode's window on the emulated outside world (/sandbox): each incident with its Google Doc rendered as it is
 * now, the Docs add-on sidebar, its emulated channel and meeting bridge, and the mails sent. The page's script
 * (assets/sandbox.js) polls /sandbox/state and swaps what changed in place, so the doc's timeline can be watched
 * filling in without a reload.
 */
export function indexPage(playgroundUrl?: string): WebAnswer {
  const playground = playgroundUrl ? link(playgroundUrl, 'Agents Playground', ' target="_blank"') : 'Agents Playground';
  return page(
    'Firebreak sandbox',
    `<header><h1>Firebreak sandbox</h1>
<p>Everything here is emulated and local. In the ${playground}, open <b>Ops &gt; General</b>, type <code>@</code> and pick <b>Firebreak</b> from the
mention list, then <code>declare sev2 …</code> (typed or pasted "@Firebreak" text is not a mention: the message never reaches Firebreak).
Watch the incident's doc, channel, bridge and mail appear here.</p>
<p>The Playground has no Microsoft Graph: the incident's channel is created in the emulated Graph, and the incident is run in the Playground
conversation where you declared it, so every command and button works there. The card's channel and bridge links lead to
sandbox pages; the mail sent is in the <a href="/sandbox/mail">mailbox</a>.</p></header>
<main id="incidents"><p class="empty">No incidents yet.</p></main>`,
    { script: 'sandbox.js' },
  );
}
