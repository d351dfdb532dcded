import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PLAYGROUND_USER } from '../src/local/people';
import { chromiumAvailable, launchChromium, localPage } from '../test/harness/browser';
import { startLocalStack, type LocalStack } from '../test/harness/local-stack';

/**
 * `npm run screenshots`: the README's walkthrough of the first incident, one picture per step, taken the way a person
 * does it: `npm start` with nothing configured (fresh data folder, free ports), then headless Chromium in the Agents
 * Playground and the sandbox pages. Run it after changing what a step shows; the pictures land in docs/screenshots/
 * as NN-step.png, named in the README in the same order. Each step waits on what it shows, never on a clock.
 */
const OUT = path.resolve(__dirname, '../docs/screenshots');
const TITLE = 'Checkout API returning 500s';

async function main(): Promise<void> {
  if (!chromiumAvailable()) process.exit(2);
  mkdirSync(OUT, { recursive: true });
  const stack = await startLocalStack();
  const browser = await launchChromium();
  try {
    await walkthrough(stack, browser);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

async function walkthrough(stack: LocalStack, browser: Browser): Promise<void> {
  const page = await localPage(browser);
  let n = 0;
  const shot = async (p: Page, name: string, opts: { fullPage?: boolean } = {}) => {
    const file = path.join(OUT, `${String(++n).padStart(2, '0')}-${name}.png`);
    await p.screenshot({ path: file, fullPage: opts.fullPage ?? false });
    process.stdout.write(`  ${path.relative(process.cwd(), file)}\n`);
  };

  // 1. The Playground's ops channel, the mention list open: "@" then pick Firebreak (typed text is no mention).
  await page.goto(stack.playgroundUrl, { waitUntil: 'networkidle' });
  const postButton = page.getByRole('button', { name: 'Post', exact: true });
  for (let i = 0; i < 10 && !(await postButton.isVisible()); i++) {
    await page.getByRole('treeitem', { name: /General/ }).first().click();
    await postButton.waitFor({ timeout: 2000 }).catch(() => undefined);
  }
  const box = page.getByRole('textbox').first();
  await box.click();
  await page.keyboard.type('@Fire');
  const mention = page.getByRole('menuitem', { name: 'Firebreak' });
  await mention.waitFor();
  await shot(page, 'mention-list');

  // 2. The declaration, the mention picked (a pill, not text), ready to post.
  await mention.click();
  await page.keyboard.type(` declare sev2 ${TITLE}`);
  await shot(page, 'declare-command');

  // 3. The incident card, once its channel and bridge links are on it.
  await postButton.click();
  const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'INC-1 ·' }).filter({ hasText: 'Channel: #inc-1' }).first();
  await card.waitFor({ timeout: 30_000 });
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'incident-card');

  // 4. The sandbox page: the doc, the sidebar, the channel, the bridge and the mail, all emulated.
  const sandbox = await localPage(browser);
  await sandbox.goto(stack.sandboxUrl);
  await sandbox.locator('#inc-1 .sidebar').getByRole('button', { name: 'Add to timeline' }).waitFor({ timeout: 30_000 });
  await sandbox.locator('#inc-1 [data-part="mails"] .mail').first().waitFor({ timeout: 30_000 });
  await shot(sandbox, 'sandbox', { fullPage: true });

  // 5-7. Where the card's links lead offline: the channel, the bridge, the mailbox.
  const state = (await (await fetch(`${stack.firebreakUrl}/sandbox/state`)).json()) as { incidents: { number: number; channel?: { url?: string }; bridge?: { url?: string }; doc?: { url?: string } }[] };
  const incident = state.incidents.find((i) => i.number === 1)!;
  const visit = async (url: string | undefined, what: string) => {
    if (!url) throw new Error(`the sandbox state has no ${what} link`);
    await sandbox.goto(url);
    await sandbox.locator('main').waitFor();
  };
  await visit(incident.channel?.url, 'channel');
  await shot(sandbox, 'channel-page', { fullPage: true });
  await visit(incident.bridge?.url, 'bridge');
  await shot(sandbox, 'bridge-page', { fullPage: true });
  await visit(`${stack.firebreakUrl}/sandbox/mail`, 'mailbox');
  await shot(sandbox, 'mailbox', { fullPage: true });

  // 8. The doc page: a row typed as a person in Docs would (the page applies it through Docs' batchUpdate).
  const docPage = await localPage(browser);
  await docPage.goto(incident.doc!.url!);
  await docPage.locator('select[name="by"]').selectOption(PLAYGROUND_USER.email);
  await docPage.locator('textarea[name="entry"]').fill('Rolled back deploy 4411 (typed in the doc)');
  await docPage.getByRole('button', { name: 'Add row' }).click();
  await docPage.locator('table[data-timeline] tr').filter({ hasText: 'Rolled back deploy 4411 (typed in the doc)' }).first().waitFor({ timeout: 15_000 });
  await shot(docPage, 'doc-row', { fullPage: true });

  // 9. The row arrives in the incident's conversation in the Playground.
  await page.bringToFront();
  const told = page.getByText('Rolled back deploy 4411 (typed in the doc)').first();
  await told.waitFor({ timeout: 30_000 });
  await told.scrollIntoViewIfNeeded();
  await shot(page, 'row-in-chat');

  // 10. Resolved (mention, then the command): the sidebar turns read-only and says when.
  await page.getByRole('textbox').first().click();
  await page.keyboard.type('@Fire');
  await page.getByRole('menuitem', { name: 'Firebreak' }).click();
  await page.keyboard.type(' resolve confirm Rolled back deploy 4411');
  await postButton.click();
  await sandbox.goto(stack.sandboxUrl);
  // The page reloads the sidebar by itself when the incident's status changes.
  await sandbox.locator('#inc-1 .sidebar').getByText('Resolved: read-only').waitFor({ timeout: 30_000 });
  await shot(sandbox, 'resolved-sidebar', { fullPage: true });
}

main().catch((err) => {
  process.stderr.write(`screenshots failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
