import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Incidents } from '../../app/incidents';
import { parseRowTime } from '../../domain/doc-time';
import type { Incident, Person } from '../../domain/incident';
import type { DocsBudget } from '../../google/write-budget';
import { timeline } from '../../domain/timeline';
import { requireDocId } from '../../google/incident-docs';
import type { DocTimeline } from '../../google/timeline-sync';
import type { Logger } from '../../log';
import type { Store } from '../../store/store';
import { wellFormedJson } from '../../text-safety';
import { describe, failureKind } from '../../outside-error';
import { SYSTEM } from '../effects/system';
import { diffTable } from './diff';
import type { DocPace } from './pace';
import { planPolls, type PlannedPoll, type PollPlan } from './poll-plan';

/**
 * Doc -> chat. Drive push channels (when a notify address is set) nudge a read of the doc at once; polls with a
 * `fields=revisionId` read cover docs without a live channel, planned by poll-plan.ts inside the Docs read budget
 * (active docs every `pollMs`, quiet ones slower, pushed ones rarely, resolved ones never) and claimed in the store,
 * so each due doc is polled by one replica. The doc is read in full only when the revision moved. After a nudge the
 * watcher lets `settleMs` pass (a person may be typing), then diffs the table against the log: people's new rows
 * and edits become events, told in the chat.
 */
export interface WatcherOptions {
  store: Store;
  incidents: Incidents;
  timeline: DocTimeline;
  pace: DocPace;
  log: Logger;
  now: () => Date;
  /** How often a doc active right now is polled (TIMELINE_POLL_SECONDS); quiet ones down to every 10 × pollMs. */
  pollMs: number;
  settleMs: number;
  /** Drive push: where notifications go (`<base>/api/google/notify`) and how long a channel lives. */
  push?: { address: () => string; watchMs: number };
  /**
   * The Docs read budget every replica shares (each read takes its token at the clients' transporter) and the
   * polls a minute the plan may spend of it (the rest is for the reads before writes). Unset: polls are unbudgeted.
   */
  reads?: { budget: Pick<DocsBudget, 'level' | 'burst'>; pollsPerMinute: number };
  /** Told each round's plan (the metrics: how far polls are stretched and behind). */
  onPlan?: (state: PollState) => void;
  /** Docs watched by `store.docPolls.watch` (a kind other than 'timeline'): called when one's revision moved. */
  onChange?: Record<string, (doc: { incidentId: string; docId: string; revisionId: string }) => Promise<string | undefined | void>>;
}

export interface PollState {
  /** Docs with a live push channel (polled as a safety net) and docs only polls watch. */
  pushed: number;
  polled: number;
  /** Wanted polls ÷ budget, at least 1: how far every interval is stretched. */
  stretch: number;
  intervalMaxSeconds: number;
  /** The doc longest past its due time and not polled this round (0: none). */
  overdueSeconds: number;
}

export interface NotifyAnswer {
  status: number;
  body?: unknown;
}

export interface Watcher {
  start(): void;
  stop(): Promise<void>;
  /** One round now: the docs due a poll, as the plan and the read budget allow (the timer calls it too). */
  tick(): Promise<void>;
  /** Opens the doc's push channel now rather than at the next round (its first rows were just written). */
  track(incidentId: string): Promise<void>;
  /** A Drive push notification (its headers, lower-cased names); answers at once, the read follows. */
  notify(headers: Record<string, string | undefined>): Promise<NotifyAnswer>;
}

const WATCH_RETRY_MS = 10 * 60_000;
/** How often the plan is looked at: often enough to spread polls across the minute, not per doc. */
const tickMs = (pollMs: number) => Math.min(5_000, Math.max(250, pollMs / 6));
/** Long enough for one `files.watch` call and its bookkeeping; a replica that dies holding it blocks no one longer. */
const OPEN_CLAIM_MS = 2 * 60_000;

export function createWatcher(opts: WatcherOptions): Watcher {
  const settles = new Map<string, { timer: NodeJS.Timeout; firstAt: number }>();
  const reads = new Set<Promise<void>>();
  const opening = new Map<string, Promise<void>>();
  // This replica, as the holder of store claims on opening a doc's push channel.
  const holder = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = true;
  let stretched = false;
  const iso = () => opts.now().toISOString();
  const pushMargin = opts.push ? Math.min(opts.push.watchMs / 4, 10 * 60_000) : 0;

  /** Reads the doc after it has settled; nudges while waiting push the read back, up to four settle periods. */
  function nudge(incidentId: string): void {
    if (stopped) return;
    const t = Date.now();
    const pending = settles.get(incidentId);
    if (pending) clearTimeout(pending.timer);
    const firstAt = pending?.firstAt ?? t;
    const wait = Math.max(0, Math.min(opts.settleMs, firstAt + 4 * opts.settleMs - t));
    const handle = setTimeout(() => {
      settles.delete(incidentId);
      const p = read(incidentId).finally(() => reads.delete(p));
      reads.add(p);
    }, wait);
    settles.set(incidentId, { timer: handle, firstAt });
  }

  /** A notification may be Firebreak's own write (already known): only a revision it has not seen waits to settle. */
  async function changedIfNew(incidentId: string, docId: string): Promise<void> {
    try {
      const [revision, known] = await Promise.all([opts.timeline.revision(docId), opts.store.timeline.revision(incidentId)]);
      if (revision === known) return;
      if (known !== undefined) await opts.store.docPolls.changed(incidentId, 'timeline', iso());
    } catch {
      /* the read after the nudge will say what is wrong */
    }
    nudge(incidentId);
  }

  async function lost(incidentId: string, err: unknown): Promise<void> {
    await opts.incidents.run(incidentId, { type: 'RecordDocLost', detail: describe(err), at: iso(), by: SYSTEM });
  }

  async function read(incidentId: string): Promise<void> {
    try {
      await opts.pace.exclusive(incidentId, async () => {
        const incident = await opts.store.load(incidentId);
        if (incident?.resources.doc?.status !== 'ready' || !incident.resources.doc.url) return;
        const docId = requireDocId(incident.resources.doc.url);
        let table;
        try {
          table = await opts.timeline.read(docId);
        } catch (err) {
          if (failureKind(err) === 'not-found') return lost(incident.id, err);
          throw err;
        }
        if (table.rows) await apply(incident, docId, wellFormedJson(table.rows)); // rows come from Google: no NUL or lone surrogate gets further
        await opts.store.timeline.saveRevision(incidentId, docId, table.revisionId, iso());
      });
    } catch (err) {
      opts.log.warn('reading the incident doc failed; the next check tries again', { incident: incidentId, error: describe(err) });
    }
  }

  async function apply(incident: Incident, docId: string, rows: NonNullable<Awaited<ReturnType<DocTimeline['read']>>['rows']>): Promise<void> {
    const entries = timeline(incident.id, await opts.store.events(incident.id));
    const known = await opts.store.timeline.rows(incident.id);
    const diff = diffTable(rows, entries, known);
    await opts.store.timeline.saveRows(incident.id, diff.accepted, iso());
    if (!diff.added.length && !diff.edited.length) return;
    const editor = await opts.timeline.lastEditor(docId).catch(() => undefined);
    const by: Person = editor ? { id: `google:${editor.email ?? editor.name}`, name: editor.name, ...(editor.email ? { email: editor.email } : {}) } : { id: 'google:unknown', name: 'someone' };
    for (const row of diff.added) {
      const seen = iso();
      await opts.incidents.run(incident.id, { type: 'RecordDocRow', text: row.entry, who: row.who, time: row.time, at: parseRowTime(row.time, seen) ?? seen, by });
    }
    for (const edit of diff.edited) {
      const current = entries.find((e) => e.id === edit.key)?.text;
      await opts.incidents.run(incident.id, { type: 'RecordDocRowEdit', entryId: edit.key, text: edit.text.trim(), ...(current != null ? { current } : {}), at: iso(), by });
      await opts.store.timeline.saveRows(incident.id, [{ ...edit, text: edit.text.trim() }], iso());
    }
  }

  /**
   * Keeps one live push channel per watched doc: a call while this process opens one waits for that one, and across
   * replicas the store's claim lets one at a time open it (the others find it open, or leave it to the holder).
   */
  function ensureChannel(incidentId: string, docId: string): Promise<void> {
    const running = opening.get(incidentId);
    if (running) return running;
    const p = openChannel(incidentId, docId).finally(() => opening.delete(incidentId));
    opening.set(incidentId, p);
    return p;
  }

  /**
   * Opens the doc's push channel unless a live one has a while to go; renews it before Drive lets it expire. A
   * channel Drive refused is not asked for again by any replica for WATCH_RETRY_MS: the claim is kept that long.
   */
  async function openChannel(incidentId: string, docId: string): Promise<void> {
    const push = opts.push!;
    const live = (channels: { expiration: string }[]) => channels.some((c) => Date.parse(c.expiration) - Date.now() > pushMargin);
    if (live(await opts.store.timeline.channels(incidentId))) return;
    const at = opts.now().getTime();
    if (!(await opts.store.timeline.claimWatch(incidentId, holder, iso(), new Date(at + OPEN_CLAIM_MS).toISOString()))) return;
    // Read again under the claim: another replica may have opened one between the first read and the claim.
    const channels = await opts.store.timeline.channels(incidentId);
    if (live(channels)) return opts.store.timeline.releaseWatch(incidentId, holder);
    const id = randomUUID();
    const token = randomBytes(24).toString('base64url');
    try {
      const granted = await opts.timeline.watch(docId, { id, token, address: push.address(), expiration: Date.now() + push.watchMs });
      await opts.store.timeline.addChannel({ id, incidentId: incidentId, docId, resourceId: granted.resourceId, token, expiration: granted.expiration });
    } catch (err) {
      await opts.store.timeline.holdWatch(incidentId, holder, new Date(at + WATCH_RETRY_MS).toISOString());
      opts.log.warn('Drive push for the incident doc is unavailable; polling alone', { incident: incidentId, error: describe(err) });
      return;
    }
    await opts.store.timeline.releaseWatch(incidentId, holder);
    for (const old of channels) await stopChannel(old.id, old.resourceId);
  }

  async function stopChannel(id: string, resourceId: string): Promise<void> {
    try {
      await opts.timeline.stopWatch(id, resourceId);
      await opts.store.timeline.channelStopped(id, iso());
    } catch (err) {
      opts.log.warn('stopping a doc watch failed; it will expire by itself', { channel: id, error: describe(err) });
    }
  }

  async function check(incidentId: string, docId: string): Promise<void> {
    try {
      if (opts.push) await ensureChannel(incidentId, docId);
      const [revision, known] = await Promise.all([opts.timeline.revision(docId), opts.store.timeline.revision(incidentId)]);
      if (revision !== known) {
        // A change makes the doc active (polled fast again); the first look at a doc is not one.
        if (known !== undefined) await opts.store.docPolls.changed(incidentId, 'timeline', iso());
        nudge(incidentId);
      }
    } catch (err) {
      if (failureKind(err) === 'not-found') await lost(incidentId, err);
      else opts.log.warn('checking the incident doc failed', { incident: incidentId, error: describe(err) });
    }
  }

  /** A doc lost (deleted, unshared) that Firebreak may edit again (restored, re-shared) is taken up again. */
  async function recheck(incidentId: string): Promise<void> {
    const doc = (await opts.store.load(incidentId))?.resources.doc;
    if (doc?.status !== 'failed' || !doc.url) return;
    try {
      await opts.timeline.revision(requireDocId(doc.url));
    } catch {
      return; // still gone; a later poll looks again
    }
    await opts.incidents.run(incidentId, { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: doc.label ?? 'Incident doc', at: iso(), by: SYSTEM });
  }

  /** A doc watched on request: its handler hears of each new revision (it reads the doc itself, under the same budget). */
  async function checkOther(incidentId: string, kind: string, docId: string): Promise<void> {
    let revisionId: string;
    let known: string | undefined;
    try {
      [revisionId, known] = await Promise.all([opts.timeline.revision(docId), opts.store.docPolls.revision(incidentId, kind)]);
    } catch (err) {
      if (failureKind(err) !== 'not-found') throw err;
      // Deleted or unshared: no longer polled (every poll would fail the same way); said once, here.
      opts.log.warn('a watched doc cannot be read any more; it is no longer watched', { incident: incidentId, kind, error: describe(err) });
      return opts.store.docPolls.unwatch(incidentId, kind);
    }
    if (revisionId === known) return;
    // The handler may write the doc itself: the revision it leaves is the one to compare with next time. With none
    // known (whoever asked for the watch could not say which revision it had read), this one may hold what nobody
    // read yet: the handler looks (one read).
    const left = await opts.onChange?.[kind]?.({ incidentId, docId, revisionId });
    await opts.store.docPolls.changed(incidentId, kind, iso(), left || revisionId);
  }

  async function poll({ doc }: PlannedPoll): Promise<void> {
    try {
      if (doc.kind !== 'timeline') await checkOther(doc.incidentId, doc.kind, doc.docId!);
      else if (doc.lost) await recheck(doc.incidentId);
      else await check(doc.incidentId, requireDocId(doc.url!));
    } catch (err) {
      opts.log.warn('polling a watched doc failed; the next poll tries again', { incident: doc.incidentId, kind: doc.kind, error: describe(err) });
    }
  }

  /** Renewing a channel before it lapses; a failure is logged by openChannel or the next round tries again. */
  async function renew(incidentId: string, url: string): Promise<void> {
    try {
      await ensureChannel(incidentId, requireDocId(url));
    } catch (err) {
      opts.log.warn('renewing the doc push channel failed; polls cover the doc meanwhile', { incident: incidentId, error: describe(err) });
    }
  }

  /** The plan said out loud: once when polls fall behind what the docs want, once when they are back. */
  function tell(plan: PollPlan, state: PollState): void {
    opts.onPlan?.(state);
    if (plan.stretch > 1 && !stretched) {
      opts.log.warn('too many watched docs for the Docs read budget: every doc is still polled, less often than its activity wants', {
        docs: plan.polls.length,
        stretch: Math.round(plan.stretch * 100) / 100,
        intervalMaxSeconds: state.intervalMaxSeconds,
        pollsPerMinute: opts.reads?.pollsPerMinute,
      });
    } else if (plan.stretch === 1 && stretched) {
      opts.log.info('doc polls are back within the Docs read budget', { docs: plan.polls.length });
    }
    stretched = plan.stretch > 1;
  }

  async function round(): Promise<void> {
    const at = opts.now();
    const t = at.getTime();
    const docs = await opts.store.docPolls.docs(at.toISOString());
    const plan = planPolls(docs, t, { activeMs: opts.pollMs, quietMs: 10 * opts.pollMs, perMinute: opts.reads?.pollsPerMinute ?? Infinity }, pushMargin);
    // A channel about to lapse is renewed whether or not its doc is due a poll (opening one is a Drive call, not a Docs read).
    // (One already lapsed is opened again at the doc's next poll, as for a doc that never had one.)
    const renewals = opts.push ? plan.polls.filter((p) => p.doc.kind === 'timeline' && !p.doc.lost && !p.pushed && Date.parse(p.doc.pushUntil ?? '') > t) : [];
    // Most overdue first; as many as the shared read budget holds now, keeping a few tokens for the reads writes make.
    const due = plan.polls.filter((p) => p.dueAt <= t).sort((a, b) => a.dueAt - b.dueAt);
    let allowance = opts.reads ? Math.floor((await opts.reads.budget.level()) - Math.floor(opts.reads.budget.burst / 4)) : due.length;
    const claimed: PlannedPoll[] = [];
    let overdue = 0;
    for (const p of due) {
      if (allowance <= 0) {
        overdue = Math.max(overdue, t - p.dueAt);
        continue;
      }
      if (await opts.store.docPolls.claim(p.doc.incidentId, p.doc.kind, at.toISOString(), new Date(t - p.intervalMs).toISOString())) {
        claimed.push(p);
        allowance--;
      }
    }
    const pushed = plan.polls.filter((p) => p.pushed).length;
    tell(plan, { pushed, polled: plan.polls.length - pushed, stretch: plan.stretch, intervalMaxSeconds: Math.max(0, ...plan.polls.map((p) => p.intervalMs)) / 1000, overdueSeconds: overdue / 1000 });
    await Promise.all([...claimed.map(poll), ...renewals.map((p) => renew(p.doc.incidentId, p.doc.url!))]);
    // Resolved incidents (or docs lost) need no more notifications.
    const watched = new Set(docs.filter((d) => d.kind === 'timeline' && !d.lost).map((d) => d.incidentId));
    for (const c of await opts.store.timeline.channels()) if (!watched.has(c.incidentId)) await stopChannel(c.id, c.resourceId);
  }

  const api: Watcher = {
    start() {
      if (!stopped) return;
      stopped = false;
      const loop = async () => {
        await api.tick();
        if (!stopped) timer = setTimeout(loop, tickMs(opts.pollMs));
      };
      timer = setTimeout(loop, tickMs(opts.pollMs));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const s of settles.values()) clearTimeout(s.timer);
      settles.clear();
      await ticking;
      await Promise.all([...reads]);
    },
    async tick() {
      if (ticking) return ticking;
      ticking = round()
        .catch((err) => opts.log.error('the doc watcher failed a round', { error: describe(err) }))
        .finally(() => (ticking = undefined));
      return ticking;
    },
    async track(incidentId) {
      if (!opts.push || stopped) return;
      // Called without a wait (`void`): nothing may escape, or a store blip would end the process.
      try {
        const incident = await opts.store.load(incidentId);
        if (incident?.status !== 'active' || incident.resources.doc?.status !== 'ready' || !incident.resources.doc.url) return;
        await ensureChannel(incident.id, requireDocId(incident.resources.doc.url));
      } catch (err) {
        opts.log.warn('watching the incident doc failed', { incident: incidentId, error: describe(err) });
      }
    },
    async notify(h) {
      const id = h['x-goog-channel-id'];
      const state = h['x-goog-resource-state'];
      const resourceId = h['x-goog-resource-id'];
      if (!id || !state || !resourceId || !/^\d+$/.test(h['x-goog-message-number'] ?? '')) {
        return { status: 400, body: { error: 'not a Drive push notification: X-Goog-Channel-ID, X-Goog-Resource-ID, X-Goog-Resource-State and a numeric X-Goog-Message-Number are required' } };
      }
      const channel = await opts.store.timeline.channel(id);
      // Drive counts any answer but 200/201/202/204/102 as undelivered and retries only 500/502/503/504
      // (https://developers.google.com/workspace/drive/api/guides/push#respond-to-notifications), so a 404 for a
      // channel Firebreak does not know (stopped, or never its own) ends that message there.
      if (!channel) return { status: 404, body: { error: 'no such watch channel' } };
      if (!sameSecret(h['x-goog-channel-token'] ?? '', channel.token) || resourceId !== channel.resourceId) {
        return { status: 401, body: { error: 'the channel token does not match' } };
      }
      // "sync" opens every channel and carries no change.
      if (state !== 'sync') void changedIfNew(channel.incidentId, channel.docId);
      return { status: 200 };
    },
  };
  return api;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
