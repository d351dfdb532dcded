import { rowTime } from '../../domain/doc-time';
import type { Incident } from '../../domain/incident';
import type { TimelineEntry } from '../../domain/timeline';
import { docsSafe } from '../../google/doc-text';
import type { WantedRow } from '../../google/timeline-sync';
import type { KnownRow } from '../../store/timeline-store';

/** Marks an entry cut to fit the doc; the whole text stays in Firebreak's log (and the chat it came from). */
export const CUT_MARKER = ' … [cut; full text in Firebreak]';

export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let keep = Math.max(0, max - CUT_MARKER.length);
  if (/[\ud800-\udbff]/.test(text[keep - 1] ?? '')) keep -= 1; // never half an emoji
  return `${text.slice(0, keep).trimEnd()}${CUT_MARKER}`;
}

/** The rows the doc should have, in event order, each marked for a rewrite when it changed since Firebreak wrote it. */
export function wantedRows(incident: Incident, entries: TimelineEntry[], known: Map<string, KnownRow>, maxChars: number): WantedRow[] {
  return entries.map((e) => {
    // A person's row is theirs as typed; Firebreak's own rows are cut to the limit.
    const entry = e.fromDoc ? docsSafe(e.text) : cut(docsSafe(e.text), maxChars);
    const k = known.get(e.id);
    const struck = Boolean(e.deleted);
    const rewrite = !e.fromDoc && k?.text != null && (k.text !== entry || k.struck !== struck);
    return { key: e.id, time: rowTime(e.at, incident.declaredAt), who: e.who, entry, ...(e.link ? { link: e.link } : {}), struck, fromDoc: Boolean(e.fromDoc), rewrite, known: k?.text ?? null, pending: k?.pending ?? null };
  });
}
