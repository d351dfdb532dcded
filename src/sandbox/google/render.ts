import { tableAt, type DocState, type Unit } from './document';
import { DOC_MIME, type DriveData } from './drive-state';
import { cellText, isHeader } from './timeline-table';

/**
 * HTML views for people trying Firebreak locally: `/sandbox/docs` lists the documents and `/sandbox/docs/{id}` shows
 * one. The document itself is the `<article>` (other pages embed it); the timeline table is marked `data-timeline`,
 * its rows `data-row`, so the doc page's script can offer to edit them. Everything from the document is escaped.
 */
const TAG: Record<string, string> = { TITLE: 'h1', SUBTITLE: 'h2', HEADING_1: 'h2', HEADING_2: 'h3', HEADING_3: 'h4' };

export function renderIndex(data: DriveData): string {
  const docs = Object.values(data.files)
    .filter((f) => f.mimeType === DOC_MIME && !f.trashed)
    .sort((a, b) => (a.createdTime < b.createdTime ? 1 : -1))
    .map((f) => `<li><a href="/sandbox/docs/${encodeURIComponent(f.id)}">${esc(f.name)}</a> <small>${esc(f.createdTime)}</small></li>`);
  return page('Google sandbox documents', `<main><h1>Documents</h1><ul>${docs.join('') || '<li>None yet.</li>'}</ul></main>`);
}

export function renderArticle(doc: DocState): string {
  return `<article>${blocks(doc.units, 1, doc.units.length)}</article>`;
}

/** The doc with its editing panel: who is editing (one of `people`), and a form to add a timeline row. */
export function renderDoc(id: string, title: string, doc: DocState, people: readonly { email: string; name: string }[]): string {
  const options = people.map((p) => `<option value="${esc(p.email)}" data-name="${esc(p.name)}">${esc(p.name)} (${esc(p.email)})</option>`).join('');
  const editor = people.length
    ? `<aside class="editor" data-doc-id="${esc(id)}" data-revision="${esc(doc.revision)}">
<p class="banner">Firebreak local sandbox: an emulated Google Doc. Edit its timeline as a person in Docs would; Firebreak tells the incident's conversation.</p>
<label>Editing as <select name="by">${options}</select></label>
<form class="add-row" data-form="add"><h2>Add a timeline row</h2>
<label>Time (UTC) <input name="time" placeholder="14:02" autocomplete="off"></label>
<label>Who <input name="who" autocomplete="off"></label>
<label>Entry <textarea name="entry" rows="3" required></textarea></label>
<button type="submit">Add row</button></form>
<p class="status" role="status"></p></aside>`
    : '<p class="banner">Firebreak local sandbox: a read-only view of an emulated Google Doc.</p>';
  return page(title, `${editor}<main data-part="article">${renderArticle(doc)}</main><footer>revision <span data-part="revision">${esc(doc.revision)}</span></footer>`, 'doc.js');
}

function blocks(units: readonly Unit[], from: number, to: number): string {
  let html = '';
  let i = from;
  while (i < to) {
    if (units[i].t === 'table') {
      const t = tableAt(units, i)!;
      const timeline = t.rows.length > 0 && isHeader(t.rows[0].cells.map((c) => cellText(units, c)));
      const rows = t.rows.map((r, n) => `<tr${timeline ? ` data-row="${n}"` : ''}>${r.cells.map((c) => `<td>${blocks(units, c.start + 1, c.end)}</td>`).join('')}</tr>`);
      html += `<table${timeline ? ' data-timeline' : ''}>${rows.join('')}</table>`;
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
      const url = httpUrl(style.link?.url);
      if (url) s = `<a href="${esc(url)}">${s}</a>`;
      return s;
    })
    .join('');
}

/** Only http(s) links become links: a `javascript:` URL someone put in a doc stays text. */
function httpUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** No inline script or style: the Content-Security-Policy (pages.ts) allows only this sandbox's own files. */
function page(title: string, body: string, script?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<link rel="stylesheet" href="/sandbox/assets/doc.css">${script ? `<script src="/sandbox/assets/${script}" defer></script>` : ''}</head>
<body>${body}</body></html>`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
