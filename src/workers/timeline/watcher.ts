import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Incidents } from '../../app/incidents';
import { parseRowTime } from '../../domain/doc-time';
import type { Incident, Person } from '../../domain/incident';
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

/**
 * Doc -> chat. Each active incident's doc is checked every `pollMs` with a `fields=revisionId` read, and read in
 * full only when the revision moved; Drive push channels (when a notify address is set) nudge the same read at
 * once, since push alone is coalesced and may lag. After a nudge the watcher lets `settleMs` pass (a person may be
 * typing), then diffs the table against the log: people's new rows and edits become events, told in the chat.
 */
export interface WatcherOptions {
  store: Store;
  incidents: Incidents;
  timeline: DocTimeline;
  pace: DocPace;
  log: Logger;
  now: () => Date;
  pollMs: number;
  settleMs: number;
  /** Drive push: where notifications go (`<base>/api/google/notify`) and how long a channel lives. */
  push?: { address: () => string; watchMs: number };
  /**
   * A second kind of doc, watched the same way: a resolved incident's postmortem doc (its action table,
   * src/workers/actions/). An incident has one live doc at a time, so its id keys this doc's pace turn, revision and
   * push channel as it keys the incident doc's while the incident is active.
   */
  postmortems?: PostmortemWatch;
}

export interface PostmortemWatch {
  /** Incidents whose postmortem doc is watched now. */
  watched(): Promise<Incident[]>;
  /** The postmortem doc id to watch for this incident now, if any. */
  watchedDoc(incident: Incident): string | undefined;
  /** Reads the doc and records what people changed (the caller holds the doc's pace turn). */
  reconcile(incident: Incident, docId: string): Promise<void>;
  /** The doc was deleted or unshared (Docs answers 404/403 for it). */
  gone(incident: Incident, err: unknown): Promise<void>;
}

export interface NotifyAnswer {
  status: number;
  body?: unknown;
}

export interface Watcher {
  start(): void;
  stop(): Promise<void>;
  /** One round of checks now (the poll timer calls it too). */
  tick(): Promise<void>;
  /** Opens the doc's push channel now rather than at the next round (its first rows were just written). */
  track(incidentId: string): Promise<void>;
  /** A Drive push notification (its headers, lower-cased names); answers at once, the read follows. */
  notify(headers: Record<string, string | undefined>): Promise<NotifyAnswer>;
}

const WATCH_RETRY_MS = 10 * 60_000;
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
  const iso = () => opts.now().toISOString();

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
      const revision = await opts.timeline.revision(docId);
      if (revision === (await opts.store.timeline.revision(incidentId))) return;
    } catch {
      /* the read after the nudge will say what is wrong */
    }
    nudge(incidentId);
  }

  async function lost(incident: Incident, err: unknown): Promise<void> {
    await opts.incidents.run(incident.id, { type: 'RecordDocLost', detail: describe(err), at: iso(), by: SYSTEM });
  }

  async function read(incidentId: string): Promise<void> {
    try {
      await opts.pace.exclusive(incidentId, async () => {
        const incident = await opts.store.load(incidentId);
        const postmortem = incident && opts.postmortems?.watchedDoc(incident);
        if (postmortem) return readPostmortem(incident, postmortem);
        if (incident?.resources.doc?.status !== 'ready' || !incident.resources.doc.url) return;
        const docId = requireDocId(incident.resources.doc.url);
        let table;
        try {
          table = await opts.timeline.read(docId);
        } catch (err) {
          if (failureKind(err) === 'not-found') return lost(incident, err);
          throw err;
        }
        if (table.rows) await apply(incident, docId, wellFormedJson(table.rows)); // rows come from Google: no NUL or lone surrogate gets further
        await opts.store.timeline.saveRevision(incidentId, docId, table.revisionId, iso());
      });
    } catch (err) {
      opts.log.warn('reading the incident doc failed; the next check tries again', { incident: incidentId, error: describe(err) });
    }
  }

  async function readPostmortem(incident: Incident, docId: string): Promise<void> {
    try {
      await opts.postmortems!.reconcile(incident, docId);
    } catch (err) {
      if (failureKind(err) === 'not-found') return opts.postmortems!.gone(incident, err);
      throw err;
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
  function ensureChannel(incident: Incident, docId: string): Promise<void> {
    const running = opening.get(incident.id);
    if (running) return running;
    const p = openChannel(incident, docId).finally(() => opening.delete(incident.id));
    opening.set(incident.id, p);
    return p;
  }

  /**
   * Opens the doc's push channel unless a live one has a while to go; renews it before Drive lets it expire. A
   * channel Drive refused is not asked for again by any replica for WATCH_RETRY_MS: the claim is kept that long.
   */
  async function openChannel(incident: Incident, docId: string): Promise<void> {
    const push = opts.push!;
    const margin = Math.min(push.watchMs / 4, 10 * 60_000);
    // Only a channel on this doc counts (the incident doc's, once resolved, is not the postmortem doc's).
    const live = (channels: { expiration: string; docId: string }[]) => channels.some((c) => c.docId === docId && Date.parse(c.expiration) - Date.now() > margin);
    if (live(await opts.store.timeline.channels(incident.id))) return;
    const at = opts.now().getTime();
    if (!(await opts.store.timeline.claimWatch(incident.id, holder, iso(), new Date(at + OPEN_CLAIM_MS).toISOString()))) return;
    // Read again under the claim: another replica may have opened one between the first read and the claim.
    const channels = await opts.store.timeline.channels(incident.id);
    if (live(channels)) return opts.store.timeline.releaseWatch(incident.id, holder);
    const id = randomUUID();
    const token = randomBytes(24).toString('base64url');
    try {
      const granted = await opts.timeline.watch(docId, { id, token, address: push.address(), expiration: Date.now() + push.watchMs });
      await opts.store.timeline.addChannel({ id, incidentId: incident.id, docId, resourceId: granted.resourceId, token, expiration: granted.expiration });
    } catch (err) {
      await opts.store.timeline.holdWatch(incident.id, holder, new Date(at + WATCH_RETRY_MS).toISOString());
      opts.log.warn('Drive push for the incident doc is unavailable; polling alone', { incident: incident.id, error: describe(err) });
      return;
    }
    await opts.store.timeline.releaseWatch(incident.id, holder);
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

  async function check(incident: Incident, docId = requireDocId(incident.resources.doc!.url!), gone = lost): Promise<void> {
    try {
      if (opts.push) await ensureChannel(incident, docId);
      const revision = await opts.timeline.revision(docId);
      if (revision !== (await opts.store.timeline.revision(incident.id))) nudge(incident.id);
    } catch (err) {
      if (failureKind(err) === 'not-found') await gone(incident, err);
      else opts.log.warn('checking the incident doc failed', { incident: incident.id, error: describe(err) });
    }
  }

  /** A doc lost (deleted, unshared) that Firebreak may edit again (restored, re-shared) is taken up again. */
  async function recheck(incident: Incident): Promise<void> {
    const doc = incident.resources.doc!;
    try {
      await opts.timeline.revision(requireDocId(doc.url!));
    } catch {
      return; // still gone; the next round looks again
    }
    await opts.incidents.run(incident.id, { type: 'RecordResourceReady', resource: 'doc', url: doc.url!, label: doc.label ?? 'Incident doc', at: iso(), by: SYSTEM });
  }

  async function round(): Promise<void> {
    const all = await opts.store.list({ status: 'active', limit: 1000 });
    const active = all.filter((i) => i.resources.doc?.status === 'ready' && i.resources.doc.url);
    const lostDocs = all.filter((i) => i.resources.doc?.status === 'failed' && i.resources.doc.url);
    const postmortems = (await opts.postmortems?.watched()) ?? [];
    const postmortemDoc = (i: Incident) => opts.postmortems!.watchedDoc(i)!;
    await Promise.all([
      ...active.map((i) => check(i)),
      ...postmortems.map((i) => check(i, postmortemDoc(i), opts.postmortems!.gone)),
      ...lostDocs.map((i) => recheck(i).catch((err) => opts.log.warn('rechecking a lost incident doc failed', { incident: i.id, error: describe(err) }))),
    ]);
    // Resolved incidents (or docs lost) need no more notifications, but for a postmortem doc still watched.
    const watched = new Map([...active.map((i) => [i.id, requireDocId(i.resources.doc!.url!)] as const), ...postmortems.map((i) => [i.id, postmortemDoc(i)] as const)]);
    for (const c of await opts.store.timeline.channels()) if (watched.get(c.incidentId) !== c.docId) await stopChannel(c.id, c.resourceId);
  }

  const api: Watcher = {
    start() {
      if (!stopped) return;
      stopped = false;
      const loop = async () => {
        await api.tick();
        if (!stopped) timer = setTimeout(loop, opts.pollMs);
      };
      timer = setTimeout(loop, 0);
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
        await ensureChannel(incident, requireDocId(incident.resources.doc.url));
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
