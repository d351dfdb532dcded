import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Logger } from '../log';
import type { OrgFile } from '../org/schema';
import type { StatusPageStore } from '../store/status-page-store';
import { embedScript } from './embed';
import { historyAtom } from './feed';
import { statusPageHtml } from './page';
import { apiDocuments, buildView } from './view';

/** One thing the status origin serves, rendered ahead of time: its bytes, type and validator. */
export interface Resource {
  body: Buffer;
  /** The same, gzipped once here rather than per request. */
  gzip: Buffer;
  type: string;
  etag: string;
}

/**
 * The status page in memory: every document rendered once per change, served from here. So a request never waits
 * on the store (thousands a second during an incident, when everyone refreshes), and while the store is unreachable
 * the page keeps serving the last good state. Refreshed right after a publication in this process, and every
 * `refreshMs` for those of other replicas and for the 90-day window.
 */
export interface StatusSnapshot {
  /** The resource at a path under the status root ('' is the page), if any. */
  get(path: string): Resource | undefined;
  /** Re-reads the store; false (the last good state kept) when it could not be read. */
  refresh(): Promise<boolean>;
  start(): void;
  stop(): void;
}

export const HISTORY_DAYS = 90;

export function createStatusSnapshot(opts: { org: OrgFile; store: StatusPageStore; url: string; now: () => Date; log: Logger; refreshMs?: number; subscribe?: () => boolean }): StatusSnapshot {
  let resources = new Map<string, Resource>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let again = false;

  async function read(): Promise<boolean> {
    const now = opts.now();
    let data;
    try {
      data = await opts.store.read(new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString());
    } catch (err) {
      opts.log.warn('status page: the store could not be read; serving the last good state', { error: (err as Error).message });
      return false;
    }
    const view = buildView(opts.org, data, opts.url, now);
    const next = new Map<string, Resource>();
    for (const [path, doc] of Object.entries(apiDocuments(view))) next.set(`api/v2/${path}`, resource(JSON.stringify(doc), 'application/json; charset=utf-8'));
    next.set('', resource(statusPageHtml(view, `${opts.url}/history.atom`, { subscribe: opts.subscribe?.() ?? false }), 'text/html; charset=utf-8'));
    next.set('history.atom', resource(historyAtom(view, `${opts.url}/history.atom`), 'application/atom+xml; charset=utf-8'));
    next.set('embed.js', resource(embedScript(view), 'text/javascript; charset=utf-8'));
    resources = next;
    return true;
  }

  return {
    get: (path) => resources.get(path),
    // Refreshes don't overlap: one asked for while another runs is run once after it.
    async refresh() {
      if (running) {
        again = true;
        return running.then(() => this.refresh());
      }
      running = read().finally(() => (running = undefined));
      const ok = await running;
      if (again) {
        again = false;
        return this.refresh();
      }
      return ok;
    },
    start() {
      timer = setInterval(() => void this.refresh(), opts.refreshMs ?? 10_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

function resource(text: string, type: string): Resource {
  const body = Buffer.from(text, 'utf8');
  return { body, gzip: gzipSync(body), type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}
