import { readFileSync } from 'node:fs';
import path from 'node:path';
import { channelPage } from './channel-page';
import { asset, json, notFound, type WebAnswer } from './html';
import { indexPage } from './index-page';
import { mailPage } from './mail-page';
import { meetingPage } from './meeting-page';
import { sandboxState, type SandboxSources } from './sandbox-state';
import { sidebarAnswer, type SidebarCall } from './sidebar';

/**
 * Local mode's sandbox pages under /sandbox: the index (every incident with its doc, sidebar, channel, bridge and
 * mail), its state as JSON, the emulated channel, meeting bridge and mailbox (where the card's links lead offline),
 * and the index's script and style. Served by Firebreak's own server, behind its host check.
 */
export interface SandboxWebOptions extends SandboxSources {
  /** Where the Agents Playground is, once it runs (read at each request: it starts after Firebreak). */
  playgroundUrl: () => string | undefined;
  /** This server's address as people reach it (PUBLIC_URL), for the links a page shows of itself. */
  publicUrl: string;
  sidebar?: SidebarCall;
}

export interface SandboxWeb {
  /** A GET under /sandbox, by the request's path and query as sent (still percent-encoded). */
  get(rawUrl: string): Promise<WebAnswer>;
  addon(body: unknown): Promise<{ status: number; body: unknown }>;
}

const ASSETS: Record<string, 'css' | 'js'> = { 'sandbox.css': 'css', 'sandbox.js': 'js' };
const assetText = new Map<string, string>();

export function createSandboxWeb(opts: SandboxWebOptions): SandboxWeb {
  return {
    async get(rawUrl) {
      const { pathname } = new URL(rawUrl, 'http://sandbox');
      const parts = pathname.split('/').filter(Boolean).slice(1);
      const [section, key, ...rest] = parts;
      const id = key === undefined ? undefined : safeDecode(key);
      if (rest.length || id === null) return notFound(`The sandbox has no page ${pathname}.`);
      if (section === undefined) return indexPage(opts.playgroundUrl());
      if (section === 'state' && id === undefined) return json(200, await sandboxState(opts));
      if (section === 'mail' && id === undefined) return mailPage(opts);
      if (section === 'channels' && id) return channelPage(opts, id, opts.playgroundUrl());
      if (section === 'meetings' && id) return meetingPage(opts, id, `${opts.publicUrl.replace(/\/+$/, '')}${pathname}`);
      if (section === 'assets' && id && ASSETS[id]) return asset(ASSETS[id], assetFile(id));
      return notFound(`The sandbox has no page ${pathname}.`);
    },
    addon: (body) => (opts.sidebar ? sidebarAnswer(opts.sidebar, body) : Promise.resolve({ status: 404, body: { error: 'the add-on is off' } })),
  };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function assetFile(name: string): string {
  if (!assetText.has(name)) assetText.set(name, readFileSync(path.join(__dirname, 'assets', name), 'utf8'));
  return assetText.get(name)!;
}
