import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the background services that would reach for the network switched off. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page that may only talk to this machine (the Playground's only outside requests are fonts). */
export async function localPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === 'localhost' || host === '127.0.0.1' ? route.continue() : route.abort();
  });
  return page;
}

/** Where failure screenshots go; CI keeps this folder as an artifact (BROWSER_ARTIFACTS, default a temp dir). */
export function artifactsDir(): string {
  const dir = process.env.BROWSER_ARTIFACTS ?? path.join(tmpdir(), 'firebreak-browser-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function screenshotOnFailure(page: Page | undefined, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (page) {
      const file = path.join(artifactsDir(), `${name.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n(screenshot: ${file})`;
    }
    throw err;
  }
}

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  process.stdout.write(`[firebreak] ${CHROMIUM} not found: browser tests SKIPPED (apt-get install -y chromium)\n`);
  return false;
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'firebreak-local-'));
}
