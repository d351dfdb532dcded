import { createExperts } from './oncall/experts';
import { createPaging } from './paging/pages';
import { createDirectChats, directReach } from './teams/direct-chat';
import { pageNotify } from './workers/effects/page-notify';
import { pageTimeout } from './workers/effects/page-timeout';
import { startAlerts } from './alerts/start';
import { expertsRoutes } from './oncall/routes';
import { createSsoVerifier } from './oncall/sso';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createIncidents } from './app/incidents';
import { ConfigError, loadConfig, type Config } from './config';
import type { Conversation, ResourceKind } from './domain/incident';
import { createGraph } from './graph/graph';
import { googleClients, SCOPES } from './google/clients';
import { createIncidentDocs, type IncidentDocs } from './google/incident-docs';
import { createDocTimeline, type DocTimeline } from './google/timeline-sync';
import { createDocsBudget, createWriteBudget, type DocsBudget } from './google/write-budget';
import { ensureTemplate } from './google/template';
import { createAddonEndpoint } from './google/addon/endpoint';
import { createVerifier } from './google/addon/verify';
import { allowedHostNames } from './http/hosts';
import { createLogger, type Logger } from './log';
import { createReadiness } from './readiness';
import { followUpsInForce, offParts, plannerWarning } from './startup-warnings';
import { plannerHandlers } from './followups/planner-handlers';
import { createMetrics, type Metrics } from './metrics/registry';
import { metricsEndpoint } from './metrics/endpoint';
import { meteredWrites } from './metrics/docs-budget';
import { startLocalAddon, type LocalAddon } from './sandbox/google-addon/local';
import { startLocalGraph } from './sandbox/graph/local';
import { createServer } from './server';
import { PLAYGROUND_USER } from './local/people';
import { createSandboxWeb } from './web/routes';
import type { SidebarCall } from './web/sidebar';
import { startLocalGoogle } from './sandbox/google/local';
import { startStatusPage } from './status/start';
import { openStore } from './store/open';
import type { Store } from './store/store';
import { FirebreakBot } from './teams/bot';
import { createTeamsEndpoint } from './teams/endpoint';
import { createCardPace } from './teams/card-pace';
import { createTeamsOutbox } from './teams/outbox';
import { createReplyQueue } from './teams/replies';
import { cardPost } from './workers/effects/card-post';
import { bridgeCreate } from './workers/effects/bridge-create';
import { cardRefresh } from './workers/effects/card-refresh';
import { channelCreate } from './workers/effects/channel-create';
import { channelJoin } from './workers/effects/channel-join';
import { mailSend } from './workers/effects/mail-send';
import { docCreate } from './workers/effects/doc-create';
import { postmortemCreate } from './workers/effects/postmortem-create';
import { postmortemReview } from './workers/effects/postmortem-review';
import { createPostmortemDocs, type PostmortemDocs } from './google/postmortem-docs';
import { docFill } from './workers/effects/doc-fill';
import { messagePost } from './workers/effects/message-post';
import { chatReply } from './workers/effects/chat-reply';
import { chatMention } from './workers/effects/chat-mention';
import { createMemberLookup } from './teams/people';
import { followUpPolicy } from './followups/chat';
import { timelineSync } from './workers/effects/timeline-sync';
import { updateReminder } from './workers/effects/update-reminder';
import { followUpHandlers } from './followups/handlers';
import { reportsRoutes } from './reports/routes';
import { policyHandlers } from './workers/effects/policy-handlers';
import { createDocPace } from './workers/timeline/pace';
import { createWatcher, type Watcher } from './workers/timeline/watcher';
import { createActionSync } from './workers/actions/reconcile';
import { actionTableSync } from './workers/effects/action-table-sync';
import { createActionTable, type ActionTable } from './google/action-table';
import { reportGiveUp } from './workers/give-up';
import { createRunner, exponentialBackoff } from './workers/runner';
import { onePerIncident } from './workers/serial';
import { createPruner } from './workers/prune';

/** How long effects under way at shutdown may finish before they are handed back (SIGTERM must end within 10 s). */
const SHUTDOWN_GRACE_MS = 5_000;
/** Past this the process exits anyway (1): under the 10 s issue 19 gives a SIGTERM, with room for the store to close. */
const SHUTDOWN_DEADLINE_MS = 9_000;

export interface Firebreak {
  url: string;
  /** Local mode: the add-on's token issuer, to sign sidebar requests to this process (the sandbox doc view). */
  localAddon?: LocalAddon;
  close(): Promise<void>;
}

/** The composition root: config -> store -> adapters -> workers -> server. Nothing else wires. */
export async function start(config: Config, log: Logger): Promise<Firebreak> {
  if (config.mode === 'local') {
    log.warn('local mode: no MICROSOFT_APP_ID, so inbound requests are NOT authenticated; do not expose this port', {
      dataDir: config.dataDir,
    });
    mkdirSync(config.dataDir, { recursive: true });
  }
  for (const line of offParts(config)) log.warn(line);
  const plannerOff = plannerWarning(config);
  if (plannerOff) log.warn(plannerOff);
  // What commands and the doc's action table decide with: without the plan while Graph can't sign in (no export then).
  const followUps = followUpsInForce(config);
  const plannerPlanId = followUps().plannerPlanId;
  const now = () => new Date();
  const store = await openStore(config.databaseUrl);
  const metrics = createMetrics({ ops: store.ops, now });
  let wake = () => undefined as void;
  const incidents = createIncidents(store, () => wake(), config.status.org?.policy.policy);

  // Microsoft Graph: the tenant's when configured; in local mode, the emulator in this process.
  const localGraph = config.graph.emulate ? await startLocalGraph(config.graph, { dataDir: config.dataDir, pagesBase: config.publicUrl, plannerPlanId }) : undefined;
  if (localGraph) log.info('local Graph emulator', { url: localGraph.emulator.url, state: `${localGraph.emulator.url}/_emulator/state` });
  const graphConfig = localGraph?.config ?? config.graph;
  const graphUsed = Boolean(graphConfig.teamId || graphConfig.organizerId || graphConfig.mailTo.length || plannerPlanId);
  const graph = graphUsed ? createGraph({ ...graphConfig, ca: localGraph?.ca }) : undefined;
  // Each outside system adds the resources it assembles for a new incident.
  const provisioning: ResourceKind[] = [...(graphConfig.teamId ? ['channel' as const] : []), ...(graphConfig.organizerId ? ['bridge' as const] : [])];
  const google = await startGoogle(config, log, store, metrics);
  if (google) provisioning.push('doc');
  const pace = createDocPace(1000);
  const cardPace = createCardPace(); // when card copies may be rewritten (issue 14 item 12)
  let watcher: Watcher | undefined;
  // The postmortem doc's action table and the follow-up items, both ways (issue 18 item 8), on the timeline's machinery.
  const actionSync = google && createActionSync({ store, incidents, actions: google.actions, timeline: google.timeline, pace, log, now, policy: followUps });

  const status = await startStatusPage({ config: config.status, mode: config.mode, host: config.host, store, incidents, now, log });
  const experts = createExperts(config.status.org, config.publicUrl);
  // Paging (issue 17 items 5-6) pages a service's on-call people; alert cards (issue 20) page without an incident.
  const paging = experts?.org.services.length ? createPaging({ store, experts, now, newId: randomUUID, wake: () => wake() }) : undefined;
  const alerts = startAlerts({ config, store, incidents, experts, paging, log, now, wake: () => wake() });
  const bot = new FirebreakBot({ alerts, incidents, store, log, now, newId: randomUUID, provisioning, mail: graphConfig.mailTo.length > 0, replyGraceMs: config.workers.leaseMs, announceIn: announcementsFor(config), cardPace, similarWindowMinutes: config.similarWindowMinutes, publish: status?.publish, experts, org: config.status.org, followUps, statusUrl: status?.url, publishCards: status?.publishCards, postmortem: { docs: google?.postmortems, review: Boolean(graph && graphConfig.organizerId && graphConfig.mailSender) }, paging });
  const teams = createTeamsEndpoint(config.bot, bot, log);
  const outbox = createTeamsOutbox(teams.adapter, config.bot.appId, now);
  // The bot's 1:1 chats (paging, reminders, digests): opened through the service URL of the incident's (or the asking)
  // conversation, in its tenant; else the announcements channel's service URL and the bot's tenant.
  const direct = directReach(createDirectChats(teams.adapter, config.bot.appId), { serviceUrl: config.announcements?.serviceUrl, tenantId: config.bot.tenantId });
  const runner = createRunner({
    store,
    log,
    now,
    onGiveUp: reportGiveUp(incidents, now, { store, teams: outbox }),
    onFailure: (effect, err) => metrics.effectFailed(effect.kind, err),
    backoffMs: exponentialBackoff(config.workers.retryBaseMs, config.workers.retryCapMs),
    giveUpAfterMs: config.workers.giveUpAfterMs,
    leaseMs: config.workers.leaseMs,
    // Docs calls wait their turn in the service's Docs budgets inside the attempt: half the runner at most, so cards,
    // replies and Graph calls never queue behind a thousand docs waiting for Google's quota.
    slowLane: { kinds: ['doc.create', 'doc.fill', 'timeline.sync', 'postmortem.create', 'postmortem.actions'], concurrency: 8 },
    handlers: {
      'card.post': cardPost({ store, incidents, teams: outbox, now, log, pace: cardPace }),
      'card.refresh': onePerIncident(cardRefresh({ store, teams: outbox, pace: cardPace, now })),
      'message.post': messagePost({ store, teams: outbox }),
      'chat.reply': chatReply({ teams: outbox }),
      'chat.mention': chatMention({ store, incidents, members: createMemberLookup(teams.adapter, config.bot.appId), teams: outbox, followUpWindowDays: () => followUpPolicy({ org: config.status.org, followUps }).windowDays, now }),
      'reminder.update': updateReminder({ store, teams: outbox, now }),
      ...(paging && {
        'page.timeout': pageTimeout({ paging }),
        'page.notify': pageNotify({
          store,
          chats: direct.chats,
          teamsTarget: (page, incident) => direct.target(incident?.origin ?? page.origin),
          graph,
          mailSender: graphConfig.mailSender || undefined,
          publicUrl: config.publicUrl,
          now,
          log,
        }),
      }),
      ...followUpHandlers({ store, teams: outbox, direct, now, log, org: config.status.org, ...(graph && graphConfig.mailSender && { mail: { graph, sender: graphConfig.mailSender, sentCopyWaitMs: config.workers.mailSentCopyWaitMs } }) }),
      ...plannerHandlers({ store, incidents, graph: plannerPlanId ? graph : undefined, org: config.status.org, now, log }),
      ...policyHandlers({ store, incidents, teams: outbox, direct, now, log, org: config.status.org }),
      'alert.card': alerts.cardEffect(outbox),
      ...(graph && {
        'channel.create': channelCreate({ store, incidents, graph, teamId: graphConfig.teamId, addPlace: config.mode === 'production', now }),
        'channel.join': channelJoin({ store, graph, teamId: graphConfig.teamId }),
        'bridge.create': bridgeCreate({ store, incidents, graph, organizerId: graphConfig.organizerId, fallback: graphConfig.bridgeFallback, now }),
        'mail.send': mailSend({ store, graph, sender: graphConfig.mailSender, to: graphConfig.mailTo, waitForLinksMs: config.workers.mailWaitMs, sentCopyWaitMs: config.workers.mailSentCopyWaitMs, now, log }),
      }),
      ...(graph && graphConfig.organizerId && graphConfig.mailSender && { 'postmortem.review': postmortemReview({ store, graph, organizerId: graphConfig.organizerId, sender: graphConfig.mailSender, org: config.status.org, sentCopyWaitMs: config.workers.mailSentCopyWaitMs, now, log }) }),
      ...(graph && status && graphConfig.mailSender && { 'status.mail': status.mailer(graph, graphConfig.mailSender, config.workers.mailSentCopyWaitMs) }),
      ...(google && {
        'doc.create': docCreate({ store, incidents, docs: google.docs, pace, now }),
        'postmortem.create': postmortemCreate({ store, incidents, postmortems: google.postmortems, now }),
        'doc.fill': docFill({ store, incidents, docs: google.docs, pace, now }), // one at a time per doc: the pace's turn
        'timeline.sync': timelineSync({ store, incidents, timeline: google.timeline, pace, maxChars: config.google.timeline.rowMaxChars, now, onSynced: (id) => void watcher?.track(id) }),
        'postmortem.actions': actionTableSync({ store, sync: actionSync!, pace }),
      }),
    },
  });
  wake = () => runner.wake();
  // Done effects whose keys cannot come again leave the outbox after a week (one or more per note otherwise stay for good).
  const pruner = createPruner({ store, log, now });
  teams.sendRepliesWith(createReplyQueue({ teams: outbox, runNow: (key) => runner.runNow(key), log }));
  // Doc -> chat: Drive push to this process's /api/google/notify when it has a public address; polls within the read budget.
  const notifyBase = config.google.notifyUrl ?? (google?.local ? () => url : undefined);
  watcher =
    google &&
    createWatcher({
      store,
      incidents,
      timeline: google.timeline,
      pace,
      log,
      now,
      pollMs: config.google.timeline.pollMs,
      settleMs: config.google.timeline.settleMs,
      ...(actionSync && { onChange: { postmortem: actionSync.changed } }),
      // Polls get what the writes' own reads leave of the read budget.
      reads: { budget: google.reads, pollsPerMinute: config.google.docsReadsPerMinute - config.google.docsWritesPerMinute },
      onPlan: (state) => metrics.docPolls(state),
      ...(notifyBase && { push: { address: () => `${typeof notifyBase === 'string' ? notifyBase : notifyBase()}/api/google/notify`, watchMs: config.google.watchMinutes * 60_000 } }),
    });

  // The Docs sidebar: Google's keys when configured; in local mode, the local issuer in this process.
  const localAddon = config.addon.mode === 'local' ? await startLocalAddon(config.addon) : undefined;
  const addonConfig = localAddon?.config ?? config.addon;
  const addon =
    addonConfig.mode === 'off'
      ? undefined
      : createAddonEndpoint({
          store,
          incidents,
          log,
          now,
          url: addonConfig.url,
          allowedDomains: addonConfig.allowedDomains,
          declareUrl: addonConfig.declareUrl,
          verifier: createVerifier({ audience: addonConfig.url, serviceAccountEmail: addonConfig.serviceAccountEmail, oauthClientId: addonConfig.oauthClientId, certsUrl: addonConfig.certsUrl }),
        });
  if (localAddon) log.info('local add-on token issuer', { certs: localAddon.issuer.certsUrl, endpoint: addonConfig.url });

  const readiness = createReadiness(store);
  const server = createServer(
    {
      messages: (body, authorization) => teams.handle(body, authorization),
      addon: async (body, authorization) =>
        addon ? addon.handle(body, authorization) : { status: 404, body: { error: 'the Google Workspace add-on is off: set ADDON_SERVICE_ACCOUNT_EMAIL (docs/google-addon.md)' } },
      // Liveness only: what runs behind it (mode, store) is in the start log line, not for anyone who can reach it.
      health: async () => ({ status: 200, body: { ok: true } }),
      ready: () => readiness.answer(),
      metrics: metricsEndpoint(config.metrics, metrics),
      ...(status && { status: { serve: status.serve, host: config.status.host } }),
      alerts: alerts.webhook,
      ...(experts && { experts: expertsRoutes(experts, config.expertsSso && createSsoVerifier(config.expertsSso), now) }),
      reports: reportsRoutes(store, config.expertsSso && createSsoVerifier(config.expertsSso), now, followUps),
      ...(watcher && { googleNotify: (headers: Record<string, string | undefined>) => watcher.notify(headers) }),
      ...(config.mode === 'local' && {
        sandbox: createSandboxWeb({
          store,
          graph: localGraph?.emulator,
          playgroundUrl: () => process.env.PLAYGROUND_URL,
          publicUrl: config.publicUrl,
          ...(localAddon && { sidebar: sandboxSidebar(localAddon, () => url) }),
        }),
      }),
    },
    log,
    { allowedHosts: localHosts(config), observe: metrics.request },
  );
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  runner.start();
  pruner.start();
  readiness.up();
  const address = server.address();
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
  watcher?.start();
  log.info('firebreak listening', { url, mode: config.mode, store: store.backend });

  return {
    url,
    ...(localAddon ? { localAddon } : {}),
    async close() {
      readiness.down(); // first: a load balancer still asking sends no more work here
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await status?.close();
      await watcher?.stop();
      await pruner.stop();
      // Attempts still running after the grace period are aborted and their claims handed back for another replica.
      await runner.stop({ graceMs: SHUTDOWN_GRACE_MS });
      await store.close();
      await localGraph?.emulator.close();
      await google?.close();
      await localAddon?.close();
    },
  };
}

/**
 * The announcements channel gets every card (ANNOUNCEMENTS_CHANNEL_ID); in local mode, and when it is not configured,
 * the conversation where the incident was declared is where it is announced.
 */
function announcementsFor(config: Config): ((origin: Conversation) => Conversation[]) | undefined {
  const channel = config.announcements;
  if (!channel) return undefined;
  return (origin) => [
    {
      id: channel.channelId,
      serviceUrl: channel.serviceUrl ?? origin.serviceUrl,
      isChannel: true,
      channelId: channel.channelId,
      ...(origin.tenantId ? { tenantId: origin.tenantId } : {}),
    },
  ];
}

/**
 * The incident doc: Google's APIs with the configured service account, or in local mode the Google sandbox,
 * in-process, with a template made from templates/incident-doc.md on first start.
 */
async function startGoogle(config: Config, log: Logger, store: Store, metrics: Metrics): Promise<{ docs: IncidentDocs; postmortems: PostmortemDocs; timeline: DocTimeline; actions: ActionTable; reads: DocsBudget; local: boolean; close(): Promise<void> } | undefined> {
  const g = config.google;
  if (g.mode === 'off') return undefined;
  const options = { templateId: g.templateId, folderId: g.folderId, share: g.share };
  // Every Docs write of the service shares the subject's quota: one budget for all of them, in every replica.
  const writes = meteredWrites(createWriteBudget(store.budgets, { name: `docs-writes:${g.subject}`, perMinute: g.docsWritesPerMinute }), metrics, g.docsWritesPerMinute);
  // A Docs read is a GET of one document (v1/documents/{id}); the quota counts them like writes, per user, so every
  // read of every replica takes a token from one bucket in the store before it goes out.
  const reads = createDocsBudget(store.budgets, { name: `docs-reads:${g.subject}`, perMinute: g.docsReadsPerMinute });
  const countReads = async (method: string, url: string) => {
    if (method !== 'GET' || !/\/v1\/documents\/[^/:]+$/.test(new URL(url).pathname)) return;
    await reads.take();
    metrics.docsRead();
  };
  if (g.mode === 'google') {
    const clients = { ...googleClients(g.serviceAccount!, g.subject, g, countReads), writes };
    return { docs: createIncidentDocs({ clients, ...options }), postmortems: createPostmortemDocs({ clients, ...options }), timeline: createDocTimeline(clients), actions: createActionTable(clients), reads, local: false, close: async () => undefined };
  }
  const local = await startLocalGoogle({ dataDir: config.dataDir, port: g.sandboxPort, subject: g.subject, scopes: SCOPES });
  const { url, tokenUrl } = local.sandbox;
  const clients = { ...googleClients(local.serviceAccount, g.subject, { docsUrl: url, driveUrl: url, tokenUrl }, countReads), writes };
  const templateId = await ensureTemplate(clients);
  log.info('local mode: Google sandbox running; incident docs can be watched there', { docs: `${url}/sandbox/docs` });
  return { docs: createIncidentDocs({ clients, ...options, templateId }), postmortems: createPostmortemDocs({ clients, ...options }), timeline: createDocTimeline(clients), actions: createActionTable(clients), reads, local: true, close: () => local.sandbox.close() };
}

/** The sandbox's sidebar acts as the Playground's current user (Alex Wilber, src/local/playground.yml). */
function sandboxSidebar(addon: LocalAddon, firebreakUrl: () => string): SidebarCall {
  return (docId, action) =>
    addon.call({ target: `${firebreakUrl()}/api/addon`, user: { email: PLAYGROUND_USER.email, name: PLAYGROUND_USER.name }, doc: { id: docId, hasFileScope: true }, ...action });
}

/** Reads the configuration or exits with status 2 naming every problem. */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * Stops everything on Ctrl+C or SIGTERM, then exits 0. Orchestrators kill after a grace period of their own (App
 * Service and Kubernetes: 30 s by default; issue 19 asks for 10 s): past SHUTDOWN_DEADLINE_MS the process says what it
 * was still waiting for and exits 1, leases covering what it did not hand back.
 */
export function stopOnSignal(log: Logger, ...parts: { close?(): Promise<void>; stop?(): Promise<void> }[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      log.error('shutdown did not finish in time: exiting; effects still claimed are taken up again when their lease ends', { afterMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      for (const part of parts) await (part.stop ?? part.close)?.call(part);
    } catch (err) {
      log.error('shutdown failed', { error: (err as Error).stack ?? String(err) });
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `npm run serve`: the service alone (production, tests). */
async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  stopOnSignal(log, await start(config, log));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`firebreak failed to start: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}

/**
 * Local mode answers only to loopback names, PUBLIC_URL's host and HOST when it names an address (not 0.0.0.0),
 * whatever it is bound to: nothing there is authenticated. Production authenticates every request instead, and is
 * reached by whatever name its proxy or load balancer gives it.
 */
export function localHosts(config: Pick<Config, 'mode' | 'host' | 'publicUrl'>): ReadonlySet<string> | undefined {
  if (config.mode !== 'local') return undefined;
  return allowedHostNames(new URL(config.publicUrl).host, config.host);
}
