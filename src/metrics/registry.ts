import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OutsideError } from '../outside-error';
import type { OpsStore } from '../store/ops-store';
import type { PollState } from '../workers/timeline/watcher';

/**
 * The process's Prometheus registry (issue 19 item 8). Everything is named `firebreak_*`; labels are bounded sets
 * (route patterns, effect kinds, outside systems, HTTP statuses), never ids or user text. Other parts add their own
 * metrics to `registry` (prom-client: `new Histogram({ ..., registers: [metrics.registry] })`).
 * What the store knows (outbox, active incidents) is read at each scrape, so every replica reports the same
 * service-wide figures: alert on max(), not sum() (docs/operations.md).
 */
export interface Metrics {
  registry: Registry;
  /** One HTTP request answered: its route pattern (not its URL), method and status. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** An effect attempt that failed: the outside system its kind talks to and the status it answered (none: no answer). */
  effectFailed(kind: string, err: unknown): void;
  /** Docs writes through the shared budget: taken (and how long the budget made it wait), or given back unspent. */
  docsWrite(event: 'taken' | 'refunded', waitSeconds?: number): void;
  docsBudget(perMinute: number): void;
  /** A Google Docs read (a document fetched: change detection, a locked write, the blameless check). */
  docsRead(): void;
  /** The doc watcher's plan at its last round: docs watched by push and by polls, and how far polls are stretched. */
  docPolls(state: PollState): void;
}

/** Kinds whose first word does not name the system they talk to (the docs' per-system alerts count on these). */
const SYSTEM_OF_KIND: Record<string, string> = {
  'chat.reply': 'bot-connector',
  'chat.mention': 'bot-connector',
  'person.notify': 'bot-connector',
  'followup.remind': 'bot-connector',
  'followup.digest': 'bot-connector',
  'handoff.post': 'bot-connector',
  'escalate.overdue': 'bot-connector',
  'page.notify': 'bot-connector',
  'page.timeout': 'bot-connector',
  'alert.card': 'bot-connector',
  'followup.export': 'graph',
  'followup.planner-update': 'graph',
  'followup.planner-poll': 'graph',
  'postmortem.review': 'graph',
  'postmortem.create': 'google',
  'postmortem.actions': 'google',
};

/** Which outside system an effect kind talks to; a kind nobody listed is its own first word (`page.send` -> page). */
export function systemOf(kind: string): string {
  if (SYSTEM_OF_KIND[kind]) return SYSTEM_OF_KIND[kind];
  const word = kind.split('.')[0];
  switch (word) {
    case 'card':
    case 'message':
    case 'reminder':
      return 'bot-connector';
    case 'channel':
    case 'bridge':
    case 'mail':
      return 'graph';
    case 'doc':
    case 'timeline':
      return 'google';
    case 'status':
      return kind === 'status.mail' ? 'graph' : word;
    default:
      return word;
  }
}

export function createMetrics(deps: { ops?: OpsStore; now?: () => Date } = {}): Metrics {
  const registry = new Registry();
  const now = deps.now ?? (() => new Date());
  collectDefaultMetrics({ register: registry, prefix: 'firebreak_' });
  const http = new Histogram({
    name: 'firebreak_http_request_duration_seconds',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    // Teams waits 15 s for a bot's answer; the interesting range is well under it.
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'firebreak_effect_failures_total',
    help: 'Failed effect attempts, by outside system and the HTTP status it answered ("none": no answer, e.g. a timeout)',
    labelNames: ['system', 'status'],
    registers: [registry],
  });
  const docsWrites = new Counter({ name: 'firebreak_docs_writes_total', help: 'Google Docs writes taken from the shared write budget', registers: [registry] });
  const docsRefunds = new Counter({ name: 'firebreak_docs_writes_refunded_total', help: 'Docs writes taken from the budget and given back unspent', registers: [registry] });
  const docsWait = new Histogram({
    name: 'firebreak_docs_write_wait_seconds',
    help: 'How long a Docs write waited for the shared budget (the service-wide limit of writes a minute)',
    buckets: [0, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  const docsReads = new Counter({ name: 'firebreak_docs_reads_total', help: 'Google Docs documents read (the quota counts reads per minute per user, as it does writes)', registers: [registry] });
  const docsBudget = new Gauge({ name: 'firebreak_docs_writes_budget_per_minute', help: 'The Docs write budget, writes a minute, for the whole service', registers: [registry] });
  // Set by each replica's watcher from the plan in the store, so every replica reports the same: alert on max().
  const docsWatched = new Gauge({ name: 'firebreak_docs_watched', help: 'Docs watched for changes, by how: push (a live Drive channel; polled rarely as a safety net) or poll', labelNames: ['by'], registers: [registry] });
  const pollStretch = new Gauge({ name: 'firebreak_doc_poll_stretch', help: 'How many times longer than their activity wants doc polls are spaced, for the Docs read budget (1: not stretched)', registers: [registry] });
  const pollInterval = new Gauge({ name: 'firebreak_doc_poll_interval_seconds', help: 'The longest interval between polls of a watched doc, as planned', registers: [registry] });
  const pollOverdue = new Gauge({ name: 'firebreak_doc_poll_overdue_seconds', help: 'How long the doc furthest past its planned poll has waited for the read budget', registers: [registry] });

  const ops = deps.ops;
  if (ops) {
    new Gauge({
      name: 'firebreak_outbox_depth',
      help: 'Effects due and not done, by kind (the whole service, not this replica)',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const k of await ops.outbox(now())) this.set({ kind: k.kind }, k.depth);
      },
    });
    new Gauge({
      name: 'firebreak_outbox_oldest_age_seconds',
      help: 'How long the oldest due effect of each kind has been waiting',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const k of await ops.outbox(now())) this.set({ kind: k.kind }, k.oldestAgeSeconds);
      },
    });
    // Paging (issue 17) and alerts (issue 20), service-wide like the rest: read from the store at each scrape.
    new Gauge({
      name: 'firebreak_pages_open',
      help: 'Pages waiting for someone on call to acknowledge',
      registers: [registry],
      async collect() {
        this.set((await ops.pages(now())).open);
      },
    });
    new Gauge({
      name: 'firebreak_page_ack_seconds',
      help: 'Time from a page to its acknowledgement over the last 24 hours: median and max (0 with none acknowledged)',
      labelNames: ['stat'],
      registers: [registry],
      async collect() {
        const { ackSeconds, acknowledged } = await ops.pages(now());
        this.set({ stat: 'median' }, ackSeconds.median);
        this.set({ stat: 'max' }, ackSeconds.max);
        this.set({ stat: 'count' }, acknowledged);
      },
    });
    new Gauge({
      name: 'firebreak_alert_groups',
      help: 'Monitoring alert groups Firebreak holds, by state (firing, resolved)',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const g of await ops.alertGroups()) this.set({ status: g.status }, g.n);
      },
    });
    new Gauge({
      name: 'firebreak_active_incidents',
      help: 'Incidents declared and not resolved',
      registers: [registry],
      async collect() {
        this.set(await ops.activeIncidents());
      },
    });
  }

  return {
    registry,
    request: (route, method, status, seconds) => http.observe({ route, method, status: String(status) }, seconds),
    effectFailed: (kind, err) => failures.inc({ system: systemOf(kind), status: err instanceof OutsideError && err.status !== undefined ? String(err.status) : 'none' }),
    docsWrite: (event, waitSeconds) => {
      if (event === 'refunded') return void docsRefunds.inc();
      docsWrites.inc();
      docsWait.observe(waitSeconds ?? 0);
    },
    docsBudget: (perMinute) => docsBudget.set(perMinute),
    docsRead: () => docsReads.inc(),
    docPolls: (state) => {
      docsWatched.set({ by: 'push' }, state.pushed);
      docsWatched.set({ by: 'poll' }, state.polled);
      pollStretch.set(state.stretch);
      pollInterval.set(state.intervalMaxSeconds);
      pollOverdue.set(state.overdueSeconds);
    },
  };
}
