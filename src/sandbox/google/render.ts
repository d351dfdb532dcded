import { tableAt, type DocState, type Unit } from './document';
import { DOC_MIME, type DriveData } from './drive-state';

/**
 * Read-only HTML views for people trying Firebreak locally: `/sandbox/docs` lists the documents and
 * `/sandbox/docs/{id}` shows one, refreshing itself so the doc can be watched filling in.
 */
const TAG: Record<string, string> = { TITLE: 'h1', SUBTITLE: 'h2', HEADING_1: 'h2', HEADING_2: 'h3', HEADING_3: 'h4' };

export function renderIndex(data: DriveData): string {
  const docs = Object.values(data.files)
    .filter((f) => f.mimeType === DOC_MIME && !f.trashed)
    .sort((a, b) => (a.createdTime < b.createdTime ? 1 : -1))
    .map((f) => `<li><a href="/sandbox/docs/${encodeURIComponent(f.id)}">${esc(f.name)}</a> <small>${esc(f.createdTime)}</small></li>`);
  return page('Google sandbox documents', `<h1>Documents</h1><ul>${docs.join('') || '<li>None yet.</li>'}</ul>`, false);
}

export function renderDoc(title: string, doc: DocState): string {
  return page(title, `<article>${blocks(doc.units, 1, doc.units.length)}</article><footer>revision ${esc(doc.revision)}</footer>`, true);
}

function blocks(units: readonly Unit[], from: number, to: number): string {
  let html = '';
  let i = from;
  while (i < to) {
    if (units[i].t === 'table') {
      const t = tableAt(units, i)!;
      const rows = t.rows.map((r) => `<tr>${r.cells.map((c) => `<td>${blocks(units, c.start + 1, c.end)}</td>`).join('')}</tr>`);
      html += `<table>${rows.join('')}</table>`;
      i = t.end;
      continue;
    }
    let end = i;
    while (units[end].t === 'text') end++;
    const nl = units[end] as Extract<Unit, { t: 'newline' }>;
    const tag = TAG[String(nl.paragraph.namedStyleType)] ?? 'p';
    const dir = nl.paragraph.direction === 'RIGHT_TO_LEFT' ? 'rtl' : 'auto';
    html += `<${tag} dir="${dir}">${runs(units.slice(i, end)) || '<br>'}</${tag}>`;
    i = end + 1;
  }
  return html;
}

function runs(units: readonly Unit[]): string {
  const groups: { text: string; style: Record<string, any> }[] = [];
  for (const u of units) {
    if (u.t !== 'text') continue;
    const style = (u.style ?? {}) as Record<string, any>;
    const last = groups[groups.length - 1];
    if (last && JSON.stringify(last.style) === JSON.stringify(style)) last.text += u.ch;
    else groups.push({ text: u.ch, style });
  }
  return groups
    .map(({ text, style }) => {
      let s = esc(text);
      if (style.bold) s = `<strong>${s}</strong>`;
      if (style.italic) s = `<em>${s}</em>`;
      if (style.strikethrough) s = `<s>${s}</s>`;
      if (style.link?.url) s = `<a href="${esc(style.link.url)}">${s}</a>`;
      return s;
    })
    .join('');
}

function page(title: string, body: string, refresh: boolean): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>${refresh ? '<meta http-equiv="refresh" content="2">' : ''}
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#202124}
table{border-collapse:collapse;width:100%}td{border:1px solid #dadce0;padding:4px 8px;vertical-align:top}td p{margin:0}
footer{color:#80868b;font-size:12px;margin-top:2rem}.banner{background:#fef7e0;padding:6px 10px;font-size:13px}</style></head>
<body><div class="banner">Firebreak local sandbox: a read-only view of an emulated Google Doc.</div>${body}</body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
