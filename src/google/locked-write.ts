import type { docs_v1 } from '@googleapis/docs';
import type { GoogleClients } from './clients';
import { httpStatus, withRetry, type RetryPolicy } from './retry';

/**
 * Read, plan, write, locked to the revision read: `writeControl.requiredRevisionId` makes the write fail with a
 * 400 if anyone (a person, another worker) changed the doc in between, or if an earlier attempt whose answer
 * was lost did get through. Either way the next round re-reads and plans from what is there now, so index
 * arithmetic never runs against a stale document and nothing is written twice. Google documents the 400 but not
 * its wording, so a 400 on a locked write counts as a lost race a few times before it is taken as a real error.
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
  plan: (doc: docs_v1.Schema$Document) => Planned<T>,
  retry?: RetryPolicy,
): Promise<T> {
  return withRetry(
    what,
    async () => {
      for (let race = 1; ; race++) {
        const doc = (await clients.docs.documents.get({ documentId })).data;
        const { requests, result } = plan(doc);
        if (!requests.length) return result;
        try {
          await clients.docs.documents.batchUpdate({ documentId, requestBody: { requests, writeControl: { requiredRevisionId: doc.revisionId! } } });
          return result;
        } catch (err) {
          if (httpStatus(err) !== 400 || race >= RACES) throw err;
        }
      }
    },
    retry,
  );
}
