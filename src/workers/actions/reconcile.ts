import type { Incidents } from '../../app/incidents';
import { rowChange } from '../../domain/action-rows';
import type { ChangeRequest } from '../../domain/decide';
import { actionCells, postmortemWatchedUntil, rowKey } from '../../domain/followup-doc';
import type { Incident, Person } from '../../domain/incident';
import type { FollowUp, FollowUpPolicy } from '../../domain/followups';
import type { ActionRow, ActionTable } from '../../google/action-table';
import { knownPeople } from '../../google/addon/people';
import { docIdOf } from '../../google/incident-docs';
import type { DocTimeline } from '../../google/timeline-sync';
import type { Logger } from '../../log';
import type { Claim, Store } from '../../store/store';
import { wellFormedJson } from '../../text-safety';
import { describe, failureKind } from '../../outside-error';
import type { DocPace } from '../timeline/pace';

/**
 * The postmortem doc's action table and the follow-up items, both ways (issue 18 item 8), with the incident doc's
 * machinery: the same watcher (a second kind of doc it polls: `doc_polls` kind 'postmortem'), the same pace (one writer per doc,
 * keyed by the incident: its postmortem doc is its only live doc once it is resolved), the same write budget and
 * revision-locked writes. One round: read the table (tagging people's new rows), turn what people changed into
 * commands, then write what the items say and the table does not yet. The cells Firebreak last wrote or accepted
 * per row are kept with the timeline's rows (`action:<key>`), so a person's edit is told from Firebreak's own.
 */
export interface ActionSyncDeps {
  store: Store;
  incidents: Incidents;
  actions: ActionTable;
  timeline: Pick<DocTimeline, 'lastEditor'>;
  pace: DocPace;
  log: Logger;
  now: () => Date;
  policy: () => FollowUpPolicy;
}

export interface ActionSync {
  /**
   * The round, for the sync effect and the watcher (the caller holds the doc's pace turn): the doc's revision it
   * leaves nothing unread behind, if it knows one.
   */
  reconcile(incident: Incident, docId: string, opts?: { signal?: AbortSignal; underLease?: Claim }): Promise<string | undefined>;
  /** The postmortem doc to watch for this incident now, if any (resolved, doc ready, within its window). */
  watchedDoc(incident: Incident): string | undefined;
  /**
   * Asks the doc watcher (src/workers/timeline/watcher.ts, kind 'postmortem') to poll the doc while it is watched, from
   * `revisionId`; stops asking once it is not (reopened, past its window).
   */
  watch(incident: Incident, revisionId: string | undefined): Promise<void>;
  /** The watcher saw the doc change: one round in the doc's pace turn; the revision it left. */
  changed(doc: { incidentId: string; docId: string }): Promise<string | undefined>;
  /** The postmortem doc was deleted or unshared: logged once per incident in this process, the items live on in chat. */
  gone(incident: Incident, err: unknown): Promise<void>;
}

const KNOWN = 'action:';
const KIND = 'postmortem';

export function createActionSync(deps: ActionSyncDeps): ActionSync {
  const iso = () => deps.now().toISOString();

  async function known(incidentId: string): Promise<Map<string, string[]>> {
    const rows = await deps.store.timeline.rows(incidentId);
    return new Map([...rows.values()].filter((r) => r.key.startsWith(KNOWN) && r.text != null).map((r) => [r.key.slice(KNOWN.length), JSON.parse(r.text!) as string[]]));
  }
  const remember = (incidentId: string, rows: ActionRow[]) =>
    deps.store.timeline.saveRows(incidentId, rows.map((r) => ({ key: KNOWN + r.key, text: JSON.stringify(r.cells) })), iso());

  /** People's changes in the rows as read: commands, in table order. Each row is remembered as read once handled. */
  async function apply(incident: Incident, docId: string, rows: ActionRow[], before: Map<string, string[]>, opts: { underLease?: Claim }): Promise<void> {
    const changed = rows.filter((r) => !sameCells(before.get(r.key), r.cells));
    if (!changed.length) return;
    const events = await deps.store.events(incident.id);
    let current = incident;
    let by: Person | undefined;
    for (const row of changed) {
      const item = (current.followUps ?? []).find((i) => rowKey(i) === row.key);
      // A row named for an item this incident does not have (a table copied from another doc) is left alone.
      if (!item && /^n\d+$/.test(row.key)) continue;
      const people = [...knownPeople(current, events.map((v) => v.event)), ...(current.followUps ?? []).flatMap((i) => (i.owner ? [i.owner] : []))];
      const change = rowChange(row.cells, item, before.get(row.key), people);
      if (change.kind !== 'none') {
        by ??= await editor(docId);
        current = await run(current, row.key, item, change, by, opts);
      }
      await remember(incident.id, [row]);
    }
  }

  async function run(incident: Incident, key: string, item: FollowUp | undefined, change: Exclude<ReturnType<typeof rowChange>, { kind: 'none' }>, by: Person, opts: { underLease?: Claim }): Promise<Incident> {
    const at = iso();
    const policy = deps.policy();
    const commands: ChangeRequest[] = [];
    if (change.kind === 'add') {
      commands.push({ type: 'AddFollowUp', text: change.text, ...(change.owner && { owner: change.owner }), ...(change.due && { due: change.due }), policy, origin: 'doc', key, ...(change.problems.length && { problems: change.problems }) });
    } else {
      const edit = change.text !== undefined || change.owner !== undefined || change.due !== undefined || change.problems.length;
      if (edit) commands.push({ type: 'EditFollowUp', n: item!.n, ...(change.text !== undefined && { text: change.text }), ...(change.owner !== undefined && { owner: change.owner }), ...(change.due !== undefined && { due: change.due }), policy, ...(change.problems.length && { problems: change.problems }) });
    }
    let current = incident;
    for (const command of commands) current = await runOne(current, command, by, at, opts);
    if (change.close) {
      const n = item?.n ?? (current.followUps ?? []).find((i) => i.docKey === key)?.n;
      if (n !== undefined) current = await runOne(current, { type: 'CloseFollowUp', n, outcome: change.close }, by, at, opts);
    }
    return current;
  }

  async function runOne(incident: Incident, command: ChangeRequest, by: Person, at: string, opts: { underLease?: Claim }): Promise<Incident> {
    const outcome = await deps.incidents.run(incident.id, { ...command, at, by } as never, opts.underLease ? { underLease: opts.underLease } : {});
    if (outcome.kind === 'refused') deps.log.info('a change in the postmortem action table was not taken', { incident: incident.id, reason: outcome.reason });
    return outcome.kind === 'changed' || outcome.kind === 'unchanged' ? outcome.incident : ((await deps.store.load(incident.id)) ?? incident);
  }

  async function editor(docId: string): Promise<Person> {
    const found = await deps.timeline.lastEditor(docId).catch(() => undefined);
    return found ? { id: `google:${found.email ?? found.name}`, name: found.name, ...(found.email ? { email: found.email } : {}) } : { id: 'google:unknown', name: 'someone' };
  }

  function watchedDoc(incident: Incident): string | undefined {
    const until = postmortemWatchedUntil(incident);
    const url = incident.resources.postmortem?.url;
    return until && url && Date.parse(until) > deps.now().getTime() ? docIdOf(url) : undefined;
  }

  const told = new Set<string>();

  const api: ActionSync = {
    async gone(incident, err) {
      if (told.has(incident.id)) return;
      told.add(incident.id);
      deps.log.warn('the postmortem doc cannot be read or written; its action table is no longer kept in step', { incident: incident.id, error: describe(err) });
    },
    async reconcile(incident, docId, opts = {}) {
      const numbered = new Map((incident.followUps ?? []).map((i) => [i.n, rowKey(i)]));
      const readStarted = await deps.pace.ready(incident.id);
      const read = await deps.actions.read(docId, numbered, opts.signal);
      if (!read.rows) return; // no action table (a person removed it): nothing to keep in step
      if (read.tagged) deps.pace.wrote(incident.id, readStarted);
      const rows = wellFormedJson(read.rows); // cells come from Google: no NUL or lone surrogate gets further
      const before = await known(incident.id);
      await apply(incident, docId, rows, before, opts);
      // Items → doc, against the cells as now remembered: a cell still as Firebreak left it may be rewritten.
      const current = (await deps.store.load(incident.id)) ?? incident;
      const now = await known(incident.id);
      const inDoc = new Map(rows.map((r) => [r.key, r.cells]));
      const wanted = (current.followUps ?? []).map((item) => ({ key: rowKey(item), cells: actionCells(item), ...(now.has(rowKey(item)) && { known: now.get(rowKey(item)) }) }));
      const stale = wanted.filter((w) => (inDoc.has(w.key) ? !sameCells(inDoc.get(w.key), w.cells) : !w.known));
      let revision: string | undefined = read.revisionId;
      if (stale.length) {
        opts.signal?.throwIfAborted();
        const syncStarted = await deps.pace.ready(incident.id);
        const synced = await deps.actions.sync(docId, stale, opts.signal);
        if (synced.revisionId) deps.pace.wrote(incident.id, syncStarted);
        await remember(incident.id, synced.written);
        // Only a write made on the revision this round read leaves nothing unread behind it.
        revision = synced.readRevisionId === read.revisionId ? (synced.revisionId ?? revision) : undefined;
      }
      return revision;
    },
    watchedDoc,
    async watch(incident, revisionId) {
      const docId = watchedDoc(incident);
      if (!docId) return deps.store.docPolls.unwatch(incident.id, KIND);
      await deps.store.docPolls.watch({ incidentId: incident.id, kind: KIND, docId, ...(revisionId && { revisionId }), until: postmortemWatchedUntil(incident) }, iso());
    },
    changed({ incidentId, docId }) {
      return deps.pace.exclusive(incidentId, async () => {
        const incident = await deps.store.load(incidentId);
        if (!incident || watchedDoc(incident) !== docId) {
          await deps.store.docPolls.unwatch(incidentId, KIND);
          return undefined;
        }
        try {
          return await api.reconcile(incident, docId);
        } catch (err) {
          if (failureKind(err) !== 'not-found') throw err;
          await api.gone(incident, err);
          await deps.store.docPolls.unwatch(incidentId, KIND);
          return undefined;
        }
      });
    },
  };
  return api;
}

const sameCells = (a: readonly string[] | undefined, b: readonly string[]) => Boolean(a) && a!.length === b.length && a!.every((t, i) => t.trim() === b[i].trim());
