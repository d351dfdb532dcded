import { isTextual, tableAt, type DocState, type Unit } from './document';

/**
 * Renders the unit sequence as a Docs v1 `Document` resource
 * (https://developers.google.com/workspace/docs/api/reference/rest/v1/documents#Document).
 * The opening section break has no `startIndex`: the real API omits zero-valued fields (proto3 JSON).
 */
export function documentJson(doc: DocState, id: string, title: string, opts: { includeTabsContent?: boolean } = {}): Record<string, unknown> {
  const documentTab = {
    body: { content: bodyContent(doc.units) },
    documentStyle: DOCUMENT_STYLE,
    namedStyles: { styles: [] },
    lists: {},
    namedRanges: namedRangesJson(doc),
  };
  const base = { documentId: id, title, revisionId: doc.revision, suggestionsViewMode: 'SUGGESTIONS_INLINE' };
  if (opts.includeTabsContent) {
    return { ...base, tabs: [{ tabProperties: { tabId: 't.0', title: 'Tab 1', index: 0 }, documentTab }] };
  }
  return { ...base, ...documentTab };
}

const DOCUMENT_STYLE = {
  pageSize: { height: { magnitude: 792, unit: 'PT' }, width: { magnitude: 612, unit: 'PT' } },
  marginTop: { magnitude: 72, unit: 'PT' },
  marginBottom: { magnitude: 72, unit: 'PT' },
  marginLeft: { magnitude: 72, unit: 'PT' },
  marginRight: { magnitude: 72, unit: 'PT' },
};

function namedRangesJson(doc: DocState): Record<string, unknown> {
  const byName: Record<string, { name: string; namedRanges: unknown[] }> = {};
  for (const r of doc.namedRanges) {
    (byName[r.name] ??= { name: r.name, namedRanges: [] }).namedRanges.push({
      namedRangeId: r.id,
      name: r.name,
      ranges: r.ranges.map((x) => ({ startIndex: x.start, endIndex: x.end })),
    });
  }
  return byName;
}

function bodyContent(units: readonly Unit[]): unknown[] {
  const section = {
    endIndex: 1,
    sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' } },
  };
  return [section, ...content(units, 1, units.length)];
}

/** Structural elements for [from, to): paragraphs and tables. */
function content(units: readonly Unit[], from: number, to: number): unknown[] {
  const out: unknown[] = [];
  let i = from;
  while (i < to) {
    if (units[i].t === 'table') {
      const t = tableAt(units, i)!;
      out.push({
        startIndex: t.start,
        endIndex: t.end,
        table: {
          rows: t.rows.length,
          columns: t.columns,
          tableRows: t.rows.map((r) => ({
            startIndex: r.start,
            endIndex: r.end,
            tableCells: r.cells.map((c) => ({
              startIndex: c.start,
              endIndex: c.end,
              content: content(units, c.start + 1, c.end),
              tableCellStyle: { rowSpan: 1, columnSpan: 1, contentAlignment: 'TOP' },
            })),
            tableRowStyle: { minRowHeight: { unit: 'PT' } },
          })),
          tableStyle: { tableColumnProperties: Array.from({ length: t.columns }, () => ({ widthType: 'EVENLY_DISTRIBUTED' })) },
        },
      });
      i = t.end;
    } else {
      let end = i;
      while (units[end].t === 'text') end++;
      out.push(paragraph(units, i, end + 1));
      i = end + 1;
    }
  }
  return out;
}

/** A paragraph [start, end): its text runs, split wherever the text style changes. */
function paragraph(units: readonly Unit[], start: number, end: number): unknown {
  const elements: unknown[] = [];
  let runStart = start;
  for (let i = start + 1; i <= end; i++) {
    if (i === end || styleKey(units[i]) !== styleKey(units[runStart])) {
      const text = units.slice(runStart, i).map((u) => (u.t === 'text' ? u.ch : '\n')).join('');
      elements.push({ startIndex: runStart, endIndex: i, textRun: { content: text, textStyle: textStyleOf(units[runStart]) } });
      runStart = i;
    }
  }
  const last = units[end - 1];
  const paragraphStyle = last.t === 'newline' ? last.paragraph : {};
  return { startIndex: start, endIndex: end, paragraph: { elements, paragraphStyle } };
}

function textStyleOf(u: Unit): Record<string, unknown> {
  return isTextual(u) ? (u.style ?? {}) : {};
}

function styleKey(u: Unit): string {
  return JSON.stringify(sortKeys(textStyleOf(u)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
