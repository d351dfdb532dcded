import type { Incident } from '../domain/incident';

/**
 * Planning items (issue 18 item 10: what is not due in the next few days goes to quarterly planning) as CSV or JSON,
 * for a planning tool that does not read Microsoft Planner. One row per item, open or closed, newest incident first.
 */
export interface ExportRow {
  incident: string;
  title: string;
  n: number;
  text: string;
  owner: string;
  due: string;
  status: string;
  addedAt: string;
  closedAt: string;
}

const COLUMNS: (keyof ExportRow)[] = ['incident', 'title', 'n', 'text', 'owner', 'due', 'status', 'addedAt', 'closedAt'];

export function planningRows(incidents: readonly Incident[]): ExportRow[] {
  return incidents.flatMap((i) =>
    (i.followUps ?? [])
      .filter((item) => item.horizon === 'planning')
      .map((item) => ({
        incident: `INC-${i.number}`,
        // A private incident's title and items stay with its responders: the export names only its number.
        title: i.private ? '(private)' : i.title,
        n: item.n,
        text: i.private ? '(private)' : item.text,
        owner: item.owner?.name ?? '',
        due: item.due ?? '',
        status: item.status,
        addedAt: item.addedAt,
        closedAt: item.closedAt ?? '',
      })),
  );
}

/**
 * RFC 4180 CSV. A cell a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe: the text people typed must not become a formula on someone else's machine (OWASP "CSV injection").
 */
export function toCsv(rows: readonly ExportRow[]): string {
  const cell = (v: unknown) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
