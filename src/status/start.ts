import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Incidents } from '../app/incidents';
import type { StatusConfig } from '../config/status';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { serveStatus } from './http';
import { createPublisher, type Publish } from './publish';
import { createPublishCards, type PublishCards } from './publish-card';
import { createStatusSnapshot } from './snapshot';
import { createSubscriptions } from './subscriptions';
import type { Graph } from '../graph/graph';
import { statusMail } from '../workers/effects/status-mail';
import type { EffectHandler } from '../workers/runner';

/** Serves a path under the status root ('' the page, 'api/v2/…', 'history.atom', 'embed.js'). */
export type ServeStatus = (path: string, req: IncomingMessage, res: ServerResponse) => void;

export interface StatusPage {
  publish: Publish;
  publishCards: PublishCards;
  serve: ServeStatus;
  /** Mails subscribers (the `status.mail` effects) through Graph's sendMail from `sender`. */
  mailer(graph: Graph, sender: string, sentCopyWaitMs?: number): EffectHandler;
  /** The page's public address (local mode: its own port's). */
  url: string;
  close(): Promise<void>;
}

/**
 * The status page: the snapshot read once before serving, the publisher, and in local mode the status origin on its
 * own port (Statuspage clients expect `/api/v2/…` at the root of the origin they are given). Undefined without an
 * organisation file.
 */
export async function startStatusPage(opts: { config: StatusConfig; mode: 'local' | 'production'; host: string; store: Store; incidents: Incidents; now: () => Date; log: Logger }): Promise<StatusPage | undefined> {
  const org = opts.config.org;
  if (!org) {
    opts.log.info('status page off: no organisation file (set FIREBREAK_ORG_FILE, see firebreak.org.example.yml)');
    return undefined;
  }
  let serve: ServeStatus = (_path, _req, res) => void res.writeHead(503).end();
  let url = opts.config.url;
  let origin: ReturnType<typeof createServer> | undefined;
  if (opts.mode === 'local' && opts.config.port !== undefined) {
    origin = createServer((req, res) => serve(new URL(req.url ?? '/', 'http://status').pathname, req, res));
    await new Promise<void>((resolve, reject) => {
      origin!.once('error', reject);
      origin!.listen(opts.config.port, opts.host, () => resolve());
    });
    const port = (origin.address() as { port: number }).port;
    if (opts.config.port === 0) url = `http://localhost:${port}`;
  }
  await opts.store.statusPage.ensureComponents(
    org.statusPage.components.map((c) => c.id),
    opts.now().toISOString(),
  );
  let mailing = false;
  const snapshot = createStatusSnapshot({ org, store: opts.store.statusPage, url, now: opts.now, log: opts.log, subscribe: () => mailing });
  await snapshot.refresh();
  snapshot.start();
  const subscriptions = createSubscriptions({ mailing: () => mailing, org, store: opts.store.statusSubscribers, budgets: opts.store.budgets, url, now: opts.now, newId: randomUUID, log: opts.log, trustedProxyHops: opts.config.trustedProxyHops });
  serve = (path, req, res) => (subscriptions.handles(path) ? void subscriptions.handle(path, req, res) : serveStatus(snapshot, path, req, res, url));
  opts.log.info('status page', { url, api: `${url}/api/v2/summary.json`, org: org.path });
  return {
    url,
    serve: (path, req, res) => serve(path, req, res),
    mailer: (graph, sender, sentCopyWaitMs) => {
      // Subscribers can be mailed: the page offers its form from now on.
      mailing = true;
      void snapshot.refresh();
      return statusMail({ store: opts.store, graph, sender, org, statusUrl: url, sentCopyWaitMs, now: opts.now, log: opts.log });
    },
    publishCards: createPublishCards({ org, store: opts.store.statusPage, statusUrl: url }),
    publish: createPublisher({ org, store: opts.store.statusPage, incidents: opts.incidents, snapshot, statusUrl: url }),
    async close() {
      snapshot.stop();
      if (origin) await new Promise<void>((resolve) => origin!.close(() => resolve()));
    },
  };
}
