import type { docs_v1 } from '@googleapis/docs';
import type { Incident } from '../domain/incident';
import { incidentLabel } from '../domain/messages';
import { OutsideError } from '../outside-error';
import { withSignal, type GoogleClients } from './clients';
import { shareTargets, type DocLink, type ShareConfig } from './incident-docs';
import { lockedWrite } from './locked-write';
import { DEFAULT_RETRY, httpStatus, withRetry, type RetryPolicy } from './retry';
import { DOC_MIME, KIND, planTemplate, type Block } from './template';

/**
 * The postmortem doc in Google Docs (issue 18 item 4): made once per incident, from the postmortem template's
 * blocks (src/postmortem/content.ts), shared like the incident doc; and read back for the blameless check.
 * @example
 *   const doc = await postmortems.create(incident, blocks); // { id, url }: a second call finds the same doc
 *   const cause = await postmortems.section(doc.id, 'Cause'); // ['The deploy pipeline allowed …']
 */
export interface PostmortemDocs {
  create(incident: Incident, blocks: Block[], signal?: AbortSignal): Promise<DocLink>;
  /** The paragraphs under a heading, up to the next heading of the same or a higher level. */
  section(docId: string, heading: string, signal?: AbortSignal): Promise<string[]>;
}

export interface PostmortemDocsOptions {
  clients: GoogleClients;
  folderId?: string;
  share: ShareConfig;
  retry?: RetryPolicy;
}

/** appProperties key carrying the incident id of a postmortem doc (not the incident doc's key: finding one must never find the other). */
export const POSTMORTEM = 'firebreakPostmortem';

export function createPostmortemDocs(opts: PostmortemDocsOptions): PostmortemDocs {
  const retry = opts.retry ?? DEFAULT_RETRY;
  return {
    async create(incident, blocks, signal) {
      const clients = withSignal(opts.clients, signal);
      // A private incident's postmortem stays in the acting user's My Drive, like its incident doc (incident-docs.ts).
      const parent = incident.private ? 'root' : opts.folderId;
      const matching = async () => {
        const res = await clients.drive.files.list({
          q: `appProperties has { key='${POSTMORTEM}' and value='${incident.id.replace(/['\\]/g, '\\$&')}' } and trashed = false${parent ? ` and '${parent}' in parents` : ''}`,
          corpora: 'allDrives',
          includeItemsFromAllDrives: true,
          supportsAllDrives: true,
          orderBy: 'createdTime',
          fields: 'incompleteSearch,files(id,webViewLink)',
        });
        const files = res.data.files ?? [];
        if (!files.length && res.data.incompleteSearch) throw new OutsideError('retryable', 'Drive could not search every drive for the postmortem doc; will look again');
        return files.map((f) => ({ id: f.id!, url: link(f.id!, f.webViewLink) }));
      };
      // Find, else make: after a lost answer or a crash the doc made earlier is found, never a second one.
      const made = await withRetry('creating the postmortem doc', async () => {
        const found = (await matching())[0];
        if (found) return found;
        const res = await clients.drive.files.create({
          supportsAllDrives: true,
          fields: 'id,webViewLink',
          requestBody: {
            name: `Postmortem: ${incidentLabel(incident)} ${incident.title}`,
            mimeType: DOC_MIME,
            ...(parent ? { parents: [parent] } : {}),
            appProperties: { [KIND]: 'postmortem-doc', [POSTMORTEM]: incident.id },
          },
        });
        return { id: res.data.id!, url: link(res.data.id!, res.data.webViewLink) };
      }, retry, clients.signal);
      // Two workers racing past a lapsed lease could each make one: all settle on the first; the rest go to the bin.
      const all = await withRetry('checking for duplicate postmortem docs', matching, retry, clients.signal);
      const doc = all[0] ?? made;
      for (const extra of all.slice(1)) {
        await withRetry('trashing a duplicate postmortem doc', () => clients.drive.files.update({ fileId: extra.id, supportsAllDrives: true, requestBody: { trashed: true } }), retry, clients.signal);
      }
      // Written once, into the empty doc, locked to the revision read: a retry finds it written and writes nothing.
      await lockedWrite(clients, 'writing the postmortem doc', doc.id, (d) => ({ requests: isEmpty(d) ? planTemplate(blocks) : [], result: undefined }), retry);
      for (const requestBody of shareTargets(incident, opts.share)) {
        const person = requestBody.type === 'user' || requestBody.type === 'group';
        await withRetry('sharing the postmortem doc', () => clients.drive.permissions.create({ fileId: doc.id, supportsAllDrives: true, ...(person ? { sendNotificationEmail: false } : {}), requestBody }), retry, clients.signal).catch(
          // Someone without a Google account cannot be given it without an email invitation: the link is in the
          // conversation, and the owner can share it by hand (the incident doc says the same in more words).
          (err) => {
            if (!person || httpStatus(err) !== 400) throw err;
          },
        );
      }
      return doc;
    },
    async section(docId, heading, signal) {
      const clients = withSignal(opts.clients, signal);
      const res = await withRetry('reading the postmortem doc', () => clients.docs.documents.get({ documentId: docId }), retry, clients.signal);
      return sectionText(res.data, heading);
    },
  };
}

const LEVEL: Record<string, number> = { TITLE: 0, HEADING_1: 1, HEADING_2: 2, HEADING_3: 3 };

/** The text paragraphs under `heading` (matched case-insensitively), until a heading of the same or a higher level. */
export function sectionText(doc: docs_v1.Schema$Document, heading: string): string[] {
  const out: string[] = [];
  let level: number | undefined;
  for (const el of doc.body?.content ?? []) {
    if (!el.paragraph) continue;
    const text = (el.paragraph.elements ?? []).map((e) => e.textRun?.content ?? '').join('').trim();
    const style = LEVEL[el.paragraph.paragraphStyle?.namedStyleType ?? ''];
    if (style !== undefined) {
      if (level !== undefined && style <= level) break;
      if (level === undefined && text.toLowerCase() === heading.toLowerCase()) level = style;
      continue;
    }
    if (level !== undefined && text) out.push(text);
  }
  return out;
}

function isEmpty(doc: docs_v1.Schema$Document): boolean {
  return (doc.body?.content?.at(-1)?.endIndex ?? 0) <= 2;
}

function link(id: string, webViewLink: string | null | undefined): string {
  return webViewLink ? webViewLink.split('?')[0] : `https://docs.google.com/document/d/${id}/edit`;
}
