import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { docs_v1 } from '@googleapis/docs';
import type { GoogleClients } from './clients';
import { docsSafe } from './doc-text';
import { withRetry, type RetryPolicy } from './retry';

/**
 * The default incident-doc template: described in templates/incident-doc.md (a small Markdown subset) and
 * built into a Google Doc with one batchUpdate, so an organisation can read, change and review it in the repo.
 */
export const TEMPLATE_FILE = path.resolve(__dirname, '../../templates/incident-doc.md');
export const DOC_MIME = 'application/vnd.google-apps.document';
/** appProperties key marking what a file is to Firebreak: `template` or `incident-doc`. */
export const KIND = 'firebreakKind';

export type Block = { kind: 'paragraph'; style: string; text: string } | { kind: 'table'; rows: string[][] };

const STYLES: Record<string, string> = { '#': 'TITLE', '##': 'HEADING_1', '###': 'HEADING_2' };

export function parseTemplate(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, '').split(/\r?\n/);
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed.startsWith('|')) {
      if (/^\|?[\s:|-]+$/.test(trimmed)) continue; // the header separator
      const cells = trimmed.replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
      const last = blocks[blocks.length - 1];
      if (last?.kind === 'table') last.rows.push(cells);
      else blocks.push({ kind: 'table', rows: [cells] });
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(trimmed);
    blocks.push(heading ? { kind: 'paragraph', style: STYLES[heading[1]], text: heading[2] } : { kind: 'paragraph', style: 'NORMAL_TEXT', text: trimmed });
  }
  return blocks;
}

/**
 * Requests building `blocks` into an empty document (whose body is one empty paragraph at index 1), front to
 * back: each block goes in just before that last paragraph. insertTable puts a newline before the table
 * (InsertTableRequest), so a table at T has its first cell's paragraph at T + 3 and row r of C columns at
 * T + 1 + r * (1 + 2C) while empty; cells are filled last to first so earlier indices hold.
 */
export function planTemplate(blocks: Block[]): docs_v1.Schema$Request[] {
  const requests: docs_v1.Schema$Request[] = [];
  let at = 1;
  for (const block of blocks) {
    if (block.kind === 'paragraph') {
      const text = `${docsSafe(block.text)}\n`;
      requests.push({ insertText: { location: { index: at }, text } });
      if (block.style !== 'NORMAL_TEXT') {
        requests.push({ updateParagraphStyle: { range: { startIndex: at, endIndex: at + text.length }, paragraphStyle: { namedStyleType: block.style }, fields: 'namedStyleType' } });
      }
      at += text.length;
      continue;
    }
    const columns = Math.max(...block.rows.map((r) => r.length));
    const rows = block.rows.map((r) => Array.from({ length: columns }, (_, c) => docsSafe(r[c] ?? '')));
    requests.push({ insertTable: { location: { index: at }, rows: rows.length, columns } });
    const table = at + 1;
    const rowLength = 1 + 2 * columns;
    for (let r = rows.length - 1; r >= 0; r--) {
      for (let c = columns - 1; c >= 0; c--) {
        if (rows[r][c]) requests.push({ insertText: { location: { index: table + 1 + r * rowLength + 2 + 2 * c }, text: rows[r][c] } });
      }
    }
    let cell = table + 3;
    for (const text of rows[0]) {
      if (text) requests.push({ updateTextStyle: { range: { startIndex: cell, endIndex: cell + text.length }, textStyle: { bold: true }, fields: 'bold' } });
      cell += text.length + 2;
    }
    at = table + 2 + rows.length * rowLength + rows.flat().reduce((n, t) => n + t.length, 0);
  }
  return requests;
}

export interface TemplateOptions {
  /** A folder or shared drive id; the acting user's My Drive when unset. */
  folderId?: string;
  name?: string;
  markdown?: string;
  retry?: RetryPolicy;
}

/** Creates the template doc and returns its id. Every run makes a new one (a person runs it, on purpose). */
export async function createTemplate(clients: GoogleClients, opts: TemplateOptions = {}): Promise<{ id: string; url: string }> {
  const file = await withRetry('creating the template file', () =>
    clients.drive.files.create({
      supportsAllDrives: true,
      fields: 'id,webViewLink',
      requestBody: {
        name: opts.name ?? 'Firebreak incident template',
        mimeType: DOC_MIME,
        ...(opts.folderId ? { parents: [opts.folderId] } : {}),
        appProperties: { [KIND]: 'template' },
      },
    }),
  opts.retry);
  const id = file.data.id!;
  const requests = planTemplate(parseTemplate(opts.markdown ?? readFileSync(TEMPLATE_FILE, 'utf8')));
  // Locked to the revision just read: a retry after a lost answer fails the lock instead of writing twice.
  await withRetry('writing the template', async () => {
    const doc = await clients.docs.documents.get({ documentId: id, fields: 'revisionId,body/content/endIndex' });
    if ((doc.data.body?.content?.at(-1)?.endIndex ?? 0) > 2) return;
    await clients.docs.documents.batchUpdate({ documentId: id, requestBody: { requests, writeControl: { requiredRevisionId: doc.data.revisionId! } } });
  }, opts.retry);
  return { id, url: file.data.webViewLink ?? `https://docs.google.com/document/d/${id}/edit` };
}

/** The template made earlier (found by its appProperties), or a new one: for local mode's sandbox. */
export async function ensureTemplate(clients: GoogleClients, opts: TemplateOptions = {}): Promise<string> {
  const found = await withRetry('finding the template', () =>
    clients.drive.files.list({
      q: `appProperties has { key='${KIND}' and value='template' } and trashed = false`,
      corpora: 'allDrives',
      includeItemsFromAllDrives: true,
      supportsAllDrives: true,
      orderBy: 'createdTime',
      fields: 'files(id)',
    }),
  opts.retry);
  return found.data.files?.[0]?.id ?? (await createTemplate(clients, opts)).id;
}
