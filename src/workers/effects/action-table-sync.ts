import { docIdOf } from '../../google/incident-docs';
import { failureKind, OutsideError } from '../../outside-error';
import type { ClaimedEffect, Store } from '../../store/store';
import type { ActionSync } from '../actions/reconcile';
import type { DocPace } from '../timeline/pace';

/**
 * Items added, changed or closed in chat or on the card, into the postmortem doc's action table (issue 18 item 8):
 * one round of the action sync (src/workers/actions/reconcile.ts) in the doc's pace turn, so it never writes while
 * the watcher reads. Safe to run again: rows are found by their named ranges and only cells still as Firebreak left
 * them are rewritten. A doc deleted or unshared ends it: the items live on in chat and on the card.
 */
export function actionTableSync(deps: { store: Store; sync: ActionSync; pace: DocPace }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const id = effect.incidentId!;
    await deps.pace.exclusive(id, async () => {
      const incident = await deps.store.load(id);
      if (!incident) throw new OutsideError('not-found', `incident ${id} is gone`);
      const pm = incident.resources.postmortem;
      const docId = pm?.status === 'ready' && pm.url ? docIdOf(pm.url) : undefined;
      if (!docId) return;
      try {
        const revision = await deps.sync.reconcile(incident, docId, { signal, underLease: effect });
        await deps.sync.watch(incident, revision); // people's rows from now on: the watcher polls the doc
      } catch (err) {
        if (failureKind(err) !== 'not-found') throw err;
        await deps.sync.gone(incident, err);
      }
    });
  };
}
