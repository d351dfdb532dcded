import type { docs_v1 } from '@googleapis/docs';
import { bodyText, docsSafe, namedRanges, paragraphs } from './doc-text';
import type { FieldValue } from './placeholders';

/**
 * Plans one `batchUpdate` that brings a doc's placeholders up to date:
 * - raw `{{name}}` placeholders are replaced with one `replaceAllText` per name;
 * - live ones are then marked with a named range `firebreak.field.<name>` (one per occurrence) so that
 * - a later fill finds them and, where the value changed, deletes that named range and its text, inserts the
 *   new text and names it again - the replace pattern of Google's named-ranges guide
 *   (https://developers.google.com/workspace/docs/api/how-tos/named-ranges).
 * Requests in a batch apply in order, so every index after the text edits is the original index shifted by the
 * length changes (in UTF-16 code units) of the edits before it.
 */
export type Values = Map<string, FieldValue & { live: boolean }>;

const FIELD = 'firebreak.field.';
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

interface Edit {
  name: string;
  start: number;
  oldLength: number;
  value: FieldValue;
  live: boolean;
}

export function planFill(doc: docs_v1.Schema$Document, values: Values): docs_v1.Schema$Request[] {
  const text = bodyText(doc);
  const edits: Edit[] = [];
  const fieldEdits: (Edit & { namedRangeId: string })[] = [];
  for (const [name, value] of values) {
    if (!value.live) continue;
    for (const r of namedRanges(doc, FIELD + name)) {
      const wanted = clean(value.text);
      if (text.slice(r.start, r.end) === wanted) continue;
      const edit = { name, start: r.start, oldLength: r.end - r.start, value: { ...value, text: wanted }, live: true, namedRangeId: r.id };
      fieldEdits.push(edit);
      edits.push(edit);
    }
  }
  const raw = new Set<string>();
  for (const p of paragraphs(doc)) {
    for (const m of p.text.matchAll(PLACEHOLDER)) {
      const value = values.get(m[1]);
      if (!value) continue; // not ours: left for the people editing the template
      raw.add(m[1]);
      edits.push({ name: m[1], start: p.start + m.index!, oldLength: m[0].length, value: { ...value, text: clean(value.text) }, live: value.live });
    }
  }
  if (!edits.length) return [];

  const requests: docs_v1.Schema$Request[] = [];
  // Named fields from the end backwards, so each edit leaves the indices of the ones still to come untouched.
  for (const e of [...fieldEdits].sort((a, b) => b.start - a.start)) {
    requests.push(
      { deleteNamedRange: { namedRangeId: e.namedRangeId } },
      { deleteContentRange: { range: { startIndex: e.start, endIndex: e.start + e.oldLength } } },
      { insertText: { location: { index: e.start }, text: e.value.text } },
    );
  }
  for (const name of raw) {
    requests.push({ replaceAllText: { containsText: { text: `{{${name}}}`, matchCase: true }, replaceText: clean(values.get(name)!.text) } });
  }
  let shift = 0;
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    const start = e.start + shift;
    const end = start + e.value.text.length;
    shift += e.value.text.length - e.oldLength;
    if (!e.live) continue;
    requests.push({ createNamedRange: { name: FIELD + e.name, range: { startIndex: start, endIndex: end } } });
    // Inserted text takes its neighbour's style; set the link (or clear one) explicitly.
    requests.push({ updateTextStyle: { range: { startIndex: start, endIndex: end }, textStyle: e.value.link ? { link: { url: e.value.link } } : {}, fields: 'link' } });
  }
  return requests;
}

/** What Docs will store, never empty (an empty field could not be named again), never a placeholder itself. */
function clean(value: string): string {
  const safe = docsSafe(value).replace(/\{\{/g, '{\u2060{');
  return safe || '—';
}
