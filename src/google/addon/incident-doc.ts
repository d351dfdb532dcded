import type { Incident } from '../../domain/incident';
import type { Store } from '../../store/store';
import { docIdOf } from '../incident-docs';


/** The incident whose doc this is: the most recent one, if a doc were ever recorded twice. */
export async function incidentOfDoc(store: Store, docId: string): Promise<Incident | undefined> {
  const candidates = await store.withResourceUrl('doc', docId);
  return candidates.find((i) => i.resources.doc?.status === 'ready' && i.resources.doc.url && docIdOf(i.resources.doc.url) === docId);
}
