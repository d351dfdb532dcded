import type { docs_v1 } from '@googleapis/docs';
import type { GoogleClients } from './clients';
import { OutsideError } from '../outside-error';
import { httpStatus, isRateLimited, withRetry, type RetryPolicy } from './retry';

/**
 * Read, plan, write, locked to the revision read: `writeControl.requiredRevisionId` makes the write fail with a
 * 400 if anyone (a person, another worker) changed the doc in between, or if an earlier attempt whose answer
 * was lost did get through. Either way the next round re-reads and plans from what is there now, so index
 * arithmetic never runs against a stale document and nothing is written twice. Google documents the 400 but not
 * its wording, so a 400 on a locked write counts as a lost race; after a few in a row the effect runner is told
 * of a conflict and tries again shortly (a 400 that is a real error ends when the runner gives up and says so).
 */
const RACES = 3;

export interface Planned<T> {
  requests: docs_v1.Schema$Request[];
  result: T;
}

export function lockedWrite<T>(
  clients: GoogleClients,
  what: string,
  documentId: string,
  /** May read what it plans from (the incident, say) after the doc: no person's keystroke waits on a Docs call there. */
  plan: (doc: docs_v1.Schema$Document) => Planned<T> | Promise<Planned<T>>,
  retry?: RetryPolicy,
  /** Told the revision the write made (the answer's `writeControl.requiredRevisionId`). */
  onWritten?: (revisionId: string) => void,
): Promise<T> {
  return withRetry(
    what,
    async () => {
      for (let race = 1; ; race++) {
        // The budget first: a wait for it between the read and the write would leave a person's keystroke time to
        // land in between, and every such write would lose its race.
        await clients.writes?.take();
        let doc: docs_v1.Schema$Document;
        let planned: Planned<T>;
        try {
          doc = await readForWrite(clients, documentId);
          planned = await plan(doc);
        } catch (err) {
          clients.writes?.refund();
          throw err;
        }
        const { requests, result } = planned;
        if (!requests.length) {
          clients.writes?.refund();
          return result;
        }
        try {
          const res = await clients.docs.documents.batchUpdate({ documentId, requestBody: { requests, writeControl: { requiredRevisionId: doc.revisionId! } } });
          const revision = res.data.writeControl?.requiredRevisionId;
          if (revision) onWritten?.(revision);
          return result;
        } catch (err) {
          if (httpStatus(err) !== 400 || clients.signal?.aborted) throw err;
          // People typing in the doc all along: the effect runner tries again shortly, it does not give up.
          if (race >= RACES) throw new OutsideError('conflict', `${what}: the incident doc changed during each of ${RACES} writes (people editing it); trying again shortly`);
        }
      }
    },
    retry,
    clients.signal,
  );
}

/**
 * The doc as it is now, for a write. A doc deleted, unshared, or shared read-only (Docs leaves `revisionId` out
 * for readers: "only populated for users with edit access") is `not-found` for Firebreak: it cannot write there.
 */
export async function readForWrite(clients: GoogleClients, documentId: string): Promise<docs_v1.Schema$Document> {
  let doc: docs_v1.Schema$Document;
  try {
    doc = (await clients.docs.documents.get({ documentId })).data;
  } catch (err) {
    const status = httpStatus(err);
    if (status === 404) throw new OutsideError('not-found', 'The incident doc was deleted (Google Docs answers 404 for it).');
    if (status === 403 && !isRateLimited(err)) throw new OutsideError('not-found', 'The incident doc is no longer shared with Firebreak (Google Docs answers 403 for it).');
    throw err;
  }
  if (!doc.revisionId) throw new OutsideError('not-found', 'Firebreak may only read the incident doc now, no longer edit it.');
  return doc;
}
