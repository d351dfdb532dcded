import type { Incident } from '../../domain/incident';
import type { Store } from '../../store/store';

/**
 * The Drive file id in a doc URL: `https://docs.google.com/document/d/<id>/edit` in Google, `<sandbox>/sandbox/docs/<id>`
 * in local mode. Ids are [A-Za-z0-9_-] (https://developers.google.com/drive/api/guides/about-files#characteristics).
 */
export function docIdOf(url: string): string | undefined {
  return /\/(?:document\/d|sandbox\/docs)\/([A-Za-z0-9_-]+)/.exec(url)?.[1];
}

/** The incident whose doc this is: the most recent one, if a doc were ever recorded twice. */
export async function incidentOfDoc(store: Store, docId: string): Promise<Incident | undefined> {
  const candidates = await store.withResourceUrl('doc', docId);
  return candidates.find((i) => i.resources.doc?.status === 'ready' && i.resources.doc.url && docIdOf(i.resources.doc.url) === docId);
}
