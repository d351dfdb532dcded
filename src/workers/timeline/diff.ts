import type { TimelineEntry } from '../../domain/timeline';
import type { DocRow } from '../../google/timeline-sync';
import type { KnownRow } from '../../store/timeline-store';

/** What a read of the doc's table means, against the log and what Firebreak last wrote. */
export interface TableDiff {
  /** Rows a person added (no Firebreak named range), in table order. */
  added: DocRow[];
  /** Tagged rows whose text is neither what Firebreak last wrote nor what it is writing. */
  edited: { key: string; text: string; struck: boolean }[];
  /** Rows that are Firebreak's own writes, to remember as written (no event, no message: never an echo). */
  accepted: { key: string; text: string; struck: boolean }[];
}

const same = (a: string | null | undefined, b: string) => a != null && a.trim() === b.trim();

export function diffTable(rows: DocRow[], entries: TimelineEntry[], known: Map<string, KnownRow>): TableDiff {
  const ids = new Set(entries.map((e) => e.id));
  const tagged = new Set(rows.flatMap((r) => (r.key ? [r.key] : [])));
  // People's rows already recorded and waiting for their tag: the next sync names them; they are not new again.
  const awaitingTag = entries.filter((e) => e.fromDoc && !tagged.has(e.id)).map((e) => ({ key: e.id, text: e.text.trim() }));
  const diff: TableDiff = { added: [], edited: [], accepted: [] };
  for (const row of rows) {
    if (!row.key) {
      if (!row.entry.trim()) continue; // an empty row: someone is about to type in it
      const text = row.entry.trim();
      // Read while its author was still typing, the row was recorded with the start of its text: the rest is an edit.
      let waiting = awaitingTag.findIndex((w) => w.text === text);
      if (waiting < 0) waiting = awaitingTag.findIndex((w) => text.startsWith(w.text));
      if (waiting < 0) {
        diff.added.push(row);
        continue;
      }
      const [pending] = awaitingTag.splice(waiting, 1);
      if (pending.text !== text) diff.edited.push({ key: pending.key, text: row.entry, struck: false });
      continue;
    }
    if (!ids.has(row.key)) continue; // a named range from elsewhere (a doc copied from another incident's)
    const k = known.get(row.key);
    const struck = k?.struck ?? false;
    if (!k || k.text == null || (!same(k.text, row.entry) && same(k.pending, row.entry))) diff.accepted.push({ key: row.key, text: row.entry, struck });
    else if (!same(k.text, row.entry)) diff.edited.push({ key: row.key, text: row.entry, struck });
  }
  return diff;
}
