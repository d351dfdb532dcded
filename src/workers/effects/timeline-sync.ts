import type { Incidents } from '../../app/incidents';
import { timeline } from '../../domain/timeline';
import { requireDocId } from '../../google/incident-docs';
import type { DocTimeline } from '../../google/timeline-sync';
import type { ClaimedEffect, Store } from '../../store/store';
import type { KnownRow } from '../../store/timeline-store';
import { describe, failureKind, OutsideError } from '../../outside-error';
import type { DocPace } from '../timeline/pace';
import { wantedRows } from '../timeline/rows';
import { SYSTEM } from './system';

export interface TimelineSyncDeps {
  store: Store;
  incidents: Incidents;
  timeline: DocTimeline;
  pace: DocPace;
  maxChars: number;
  now: () => Date;
  /** Told after each sync, so the doc is watched from its first rows on. */
  onSynced?: (incidentId: string) => void;
}

/**
 * Brings the doc's timeline table in step with the log in one write (timeline-sync.ts in google/). Safe to run
 * again at any point: rows are found by their named ranges, so a rerun after a crash or a lost answer writes only
 * what is missing. The texts about to be written are stored as pending first, so the watcher never mistakes this
 * write for a person's edit. A doc deleted or unshared is said once in the incident conversation.
 */
export function timelineSync(deps: TimelineSyncDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const id = effect.incidentId!;
    const incident = await deps.store.load(id);
    if (!incident) throw new OutsideError('not-found', `incident ${id} is gone`);
    if (incident.resources.doc?.status !== 'ready' || !incident.resources.doc.url) return;
    const docId = requireDocId(incident.resources.doc.url);
    await deps.pace.exclusive(id, async () => {
      const started = await deps.pace.ready(id);
      const at = () => deps.now().toISOString();
      let known = new Map<string, KnownRow>();
      // Read from the log once the write's turn has come (its Docs budget taken, the doc read): a note sent while this
      // write waited goes in it, not a whole pace interval later in the next one.
      const rows = async (present: ReadonlyMap<string, string>) => {
        const entries = timeline(id, await deps.store.events(id));
        known = await deps.store.timeline.rows(id);
        // A write of ours that landed but whose answer never came (this sync's earlier attempt, or an earlier sync's)
        // is in the doc as its pending text: take it as written before marking anything else pending. Were a newer
        // text (the message edited again meanwhile) marked pending over it, a read before this write lands would find
        // a row that is neither what Firebreak wrote nor what it is writing, and take it for a person's edit.
        const landed = [...known.values()].filter((k) => k.pending != null && k.pending !== k.text && present.has(k.key) && present.get(k.key)!.trim() === k.pending.trim());
        if (landed.length) {
          signal.throwIfAborted();
          // A row never saved before takes the entry's struck state, as the rows saved after a write do.
          const deleted = new Set(entries.filter((e) => e.deleted).map((e) => e.id));
          await deps.store.timeline.acceptPending(id, landed.map((k) => ({ key: k.key, text: k.pending!, struck: k.text == null ? deleted.has(k.key) : k.struck })), at());
          known = await deps.store.timeline.rows(id);
        }
        const wanted = wantedRows(incident, entries, known, deps.maxChars);
        const changing = wanted.filter((w) => known.get(w.key)?.text !== w.entry || known.get(w.key)?.struck !== w.struck);
        // An attempt the runner gave up on (its lease about to lapse) writes nothing more: the retry does it all.
        signal.throwIfAborted();
        await deps.store.timeline.markPending(id, changing.map((w) => ({ key: w.key, text: w.entry })), at());
        return wanted;
      };
      let result;
      try {
        result = await deps.timeline.sync(docId, rows, signal);
      } catch (err) {
        if (failureKind(err) !== 'not-found') throw err;
        await deps.incidents.run(id, { type: 'RecordDocLost', detail: describe(err), at: at(), by: SYSTEM }, { underLease: effect });
        return;
      }
      // Paced from the start of this write: the next may begin an interval after it, with whatever came meanwhile.
      if (result.written.length) deps.pace.wrote(id, started);
      const byKey = new Map(result.wanted.map((w) => [w.key, w]));
      const saved = result.written.map((key) => ({ key, text: byKey.get(key)!.entry, struck: byKey.get(key)!.struck }));
      // Rows already in the doc that the store never heard of (a crash after an earlier write): take them as they are.
      for (const [key, text] of result.present) {
        if (byKey.has(key) && known.get(key)?.text == null && !result.written.includes(key)) saved.push({ key, text, struck: byKey.get(key)!.struck });
      }
      signal.throwIfAborted();
      await deps.store.timeline.saveRows(id, saved, at());
      // The watcher need not read back a revision that is only this write.
      if (result.revisionId && (await deps.store.timeline.revision(id)) === result.readRevisionId) {
        await deps.store.timeline.saveRevision(id, docId, result.revisionId, at());
      }
    });
    deps.onSynced?.(id);
  };
}
