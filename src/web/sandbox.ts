import type { Incident } from '../domain/incident';
import { docIdOf } from '../google/incident-docs';
import { PHASE_MEANING, SEVERITY_MEANING } from '../domain/vocabulary';
import type { GraphEmulator } from '../sandbox/graph/server';
import type { Store } from '../store/store';

/**
 * Local mode's window on the emulated outside world (/sandbox): each incident with its Google Doc rendered as it is
 * now, its emulated channel and meeting bridge, and the mails sent. The page polls /sandbox/state and swaps what
 * changed in place, so the doc's timeline can be watched filling in without a reload.
 */
export interface SandboxSources {
  store: Store;
  graph?: GraphEmulator;
}

/** The Docs add-on, called as Google's add-on host calls it (signed request): for the sidebar beside the doc. */
export type SidebarCall = (docId: string, action?: { parameters?: Record<string, string>; formInputs?: Record<string, string> }) => Promise<{ status: number; body: any; problems: string[] }>;

/** The sidebar's answer reduced to what the page shows: the card to render and the notification. */
export async function sidebarAnswer(call: SidebarCall, input: unknown): Promise<{ status: number; body: unknown }> {
  const req = (input ?? {}) as { docId?: unknown; parameters?: unknown; formInputs?: unknown };
  if (typeof req.docId !== 'string' || !req.docId) return { status: 400, body: { error: 'docId is required' } };
  const strings = (o: unknown) =>
    o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string')) as Record<string, string> : undefined;
  const answer = await call(req.docId, { parameters: strings(req.parameters), formInputs: strings(req.formInputs) });
  const action = answer.body?.renderActions?.action ?? answer.body?.action;
  const nav = action?.navigations?.[0];
  return {
    status: 200,
    body: { status: answer.status, card: nav?.updateCard ?? nav?.pushCard, notification: action?.notification?.text, problems: answer.problems },
  };
}

export interface SandboxIncident {
  number: number;
  title: string;
  status: string;
  severity: string;
  phase: string;
  commander: string;
  doc?: { url: string; id?: string; html?: string; problem?: string };
  channel?: { name: string; url: string; type: string };
  bridge?: { url: string; subject: string };
  mails: { subject: string; to: string; body: string; sentAt: string }[];
}

export async function sandboxState(src: SandboxSources): Promise<{ incidents: SandboxIncident[] }> {
  const incidents = await src.store.list({ limit: 20 });
  return { incidents: await Promise.all(incidents.map((i) => describe(i, src))) };
}

async function describe(incident: Incident, src: SandboxSources): Promise<SandboxIncident> {
  const label = `INC-${incident.number}`;
  const channel = src.graph?.channels().find((c) => c.description?.includes(incident.id));
  const meeting = src.graph?.meetings().find((m) => m.externalId === incident.id);
  const mails = (src.graph?.mailbox() ?? [])
    .filter((m) => m.subject.includes(`${label}:`) || m.subject.includes(`${label} `))
    .map((m) => ({ subject: m.subject, to: m.to.join(', '), body: m.body, sentAt: m.sentAt }));
  const docUrl = incident.resources.doc?.status === 'ready' ? incident.resources.doc.url : undefined;
  return {
    number: incident.number,
    title: incident.title,
    status: incident.status,
    severity: `${incident.severity}: ${SEVERITY_MEANING[incident.severity]}`,
    phase: `${incident.phase}: ${PHASE_MEANING[incident.phase]}`,
    commander: incident.commander.name,
    ...(docUrl ? { doc: { url: docUrl, id: docIdOf(docUrl), ...(await docArticle(docUrl)) } } : {}),
    ...(channel ? { channel: { name: channel.displayName, url: channel.webUrl, type: channel.membershipType } } : {}),
    ...(meeting ? { bridge: { url: meeting.joinWebUrl, subject: meeting.subject } } : {}),
    mails,
  };
}

/** The doc as the Google sandbox renders it (only its <article>), fetched over HTTP like any other client. */
async function docArticle(url: string): Promise<{ html?: string; problem?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return { problem: `the Google sandbox answered ${res.status}` };
    const html = await res.text();
    const m = /<article>([\s\S]*)<\/article>/.exec(html);
    return m ? { html: m[1] } : { problem: 'the Google sandbox page had no document' };
  } catch (err) {
    return { problem: `the Google sandbox did not answer: ${(err as Error).message}` };
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sandboxPage(playgroundUrl?: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Firebreak sandbox</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#c93412;color:#fff;padding:10px 20px}header h1{margin:0;font-size:18px}header p{margin:4px 0 0;font-size:13px}
header a{color:#fff}main{padding:16px 20px}.incident{background:#fff;border:1px solid #d0d7de;border-radius:8px;margin-bottom:16px;padding:12px 16px}
.incident h2{margin:0 0 6px;font-size:17px}.facts{color:#57606a;font-size:13px}.grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(16rem,1fr);gap:16px;margin-top:10px}
.doc{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;max-height:36rem;overflow:auto;background:#fff}
.doc table{border-collapse:collapse;width:100%}.doc td{border:1px solid #dadce0;padding:3px 6px;vertical-align:top}.doc td p{margin:0}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#57606a;margin:12px 0 4px}.mail{border-left:3px solid #d0d7de;padding:2px 8px;margin:6px 0;white-space:pre-wrap;font-size:12px}
.sidebar{border:1px solid #d0d7de;border-radius:6px;padding:8px;font-size:13px}.sidebar label{display:block;margin:6px 0}.sidebar textarea,.sidebar select{display:block;width:100%;box-sizing:border-box}.sidebar button,.sidebar .button{margin:4px 4px 0 0}.notice{background:#ddf4ff;padding:4px 8px}.fact small{color:#57606a}.grid a,.mail{overflow-wrap:anywhere}.problem{color:#cf222e}.empty{color:#57606a}
</style></head><body>
<header><h1>Firebreak sandbox</h1>
<p>Everything here is emulated and local. Declare an incident in the ${playgroundUrl ? `<a href="${esc(playgroundUrl)}" target="_blank">Agents Playground</a>` : 'Agents Playground'} (Ops &gt; General: <code>@Firebreak declare sev2 ...</code>) and watch its doc, channel, bridge and mail appear here.
The Playground has no Microsoft Graph: the incident's channel is created in the emulated Graph below, and the incident is run in the Playground conversation where you declared it, so every command and button works there.</p></header>
<main id="incidents"><p class="empty">No incidents yet.</p></main>
<script>
const root = document.getElementById('incidents');
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
const sections = new Map();
function section(i) {
  let el = sections.get(i.number);
  if (!el) {
    if (!sections.size) root.innerHTML = '';
    el = document.createElement('section');
    el.className = 'incident';
    el.id = 'inc-' + i.number;
    el.innerHTML = '<h2></h2><div class="facts"></div><div class="grid"><div><h3>Incident doc (Google Docs, emulated)</h3><div data-part="doc"></div></div><div>'
      + '<h3>Docs add-on sidebar</h3><div class="sidebar" data-part="sidebar"><p class="empty">Available once the doc exists.</p></div>'
      + '<h3>Channel (Graph, emulated)</h3><div data-part="channel"></div><h3>Meeting bridge (Graph, emulated)</h3><div data-part="bridge"></div>'
      + '<h3>Mail sent</h3><div data-part="mails"></div></div></div>';
    root.prepend(el);
    sections.set(i.number, el);
  }
  return el;
}
function set(el, part, html) {
  const node = part ? el.querySelector('[data-part="' + part + '"]') : el;
  if (node && node.dataset.last !== html) { node.dataset.last = html; node.innerHTML = html; }
}
function render(i) {
  const el = section(i);
  el.querySelector('h2').textContent = 'INC-' + i.number + ': ' + i.title;
  el.querySelector('.facts').textContent = i.status + ' · Severity ' + i.severity + ' · Phase ' + i.phase + ' · Commander ' + i.commander;
  set(el, 'doc', i.doc ? (i.doc.html ? '<div class="doc" data-doc>' + i.doc.html + '</div><p><a href="' + esc(i.doc.url) + '" target="_blank">open the doc</a></p>' : '<p class="problem">' + esc(i.doc.problem) + '</p>') : '<p class="empty">Being assembled…</p>');
  set(el, 'channel', i.channel ? '<p>#' + esc(i.channel.name) + ' (' + esc(i.channel.type) + ')<br><a href="' + esc(i.channel.url) + '">open in Teams</a></p>' : '<p class="empty">Being assembled…</p>');
  set(el, 'bridge', i.bridge ? '<p><a href="' + esc(i.bridge.url) + '">join the bridge</a></p>' : '<p class="empty">Being assembled…</p>');
  set(el, 'mails', i.mails.length ? i.mails.map((m) => '<div class="mail"><b>' + esc(m.subject) + '</b> to ' + esc(m.to) + '\\n' + esc(m.body) + '</div>').join('') : '<p class="empty">None yet.</p>');
  if (i.doc && i.doc.id && !el.dataset.sidebar) { el.dataset.sidebar = i.doc.id; sidebar(el, i.doc.id); }
}
// The add-on's Google card JSON, rendered as the Docs sidebar would (the widgets Firebreak uses).
function widget(w, docId) {
  if (w.textParagraph) return '<p>' + w.textParagraph.text + '</p>';
  if (w.decoratedText) return '<div class="fact"><small>' + esc(w.decoratedText.topLabel) + '</small><div>' + w.decoratedText.text + '</div></div>';
  if (w.divider) return '<hr>';
  if (w.textInput) return '<label>' + esc(w.textInput.label) + '<textarea name="' + esc(w.textInput.name) + '" placeholder="' + esc(w.textInput.hintText) + '"></textarea></label>';
  if (w.selectionInput && w.selectionInput.type === 'CHECK_BOX') return w.selectionInput.items.map((it) => '<label><input type="checkbox" name="' + esc(w.selectionInput.name) + '" value="' + esc(it.value) + '"> ' + esc(it.text) + '</label>').join('');
  if (w.selectionInput) return '<label>' + esc(w.selectionInput.label) + '<select name="' + esc(w.selectionInput.name) + '">' + w.selectionInput.items.map((it) => '<option value="' + esc(it.value) + '"' + (it.selected ? ' selected' : '') + '>' + esc(it.text) + '</option>').join('') + '</select></label>';
  if (w.buttonList) return '<div class="buttons">' + w.buttonList.buttons.map((b) => b.onClick.openLink ? '<a class="button" href="' + esc(b.onClick.openLink.url) + '" target="_blank">' + esc(b.text) + '</a>' : '<button type="button" data-params="' + esc(JSON.stringify(Object.fromEntries((b.onClick.action.parameters || []).map((p) => [p.key, p.value])))) + '">' + esc(b.text) + '</button>').join('') + '</div>';
  return '';
}
function card(c) {
  return (c.header ? '<div class="card-header"><b>' + esc(c.header.title) + '</b><br><small>' + esc(c.header.subtitle) + '</small></div>' : '')
    + c.sections.map((s) => '<div class="card-section">' + (s.header ? '<h4>' + esc(s.header) + '</h4>' : '') + s.widgets.map(widget).join('') + '</div>').join('');
}
async function sidebar(el, docId, action) {
  const box = el.querySelector('[data-part="sidebar"]');
  const res = await fetch('/sandbox/addon', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docId, ...action }) });
  const answer = await res.json();
  if (!answer.card) { box.innerHTML = '<p class="problem">The add-on answered ' + esc(answer.status) + ': ' + esc((answer.problems || []).join('; ')) + '</p>'; return; }
  box.innerHTML = (answer.notification ? '<p class="notice">' + esc(answer.notification) + '</p>' : '') + card(answer.card);
  box.querySelectorAll('button[data-params]').forEach((button) => button.addEventListener('click', () => {
    const formInputs = {};
    box.querySelectorAll('[name]').forEach((input) => { if (input.type !== 'checkbox' || input.checked) formInputs[input.name] = input.value; });
    sidebar(el, docId, { parameters: JSON.parse(button.dataset.params), formInputs });
  }));
}
async function poll() {
  try {
    const { incidents } = await (await fetch('/sandbox/state')).json();
    incidents.slice().reverse().forEach(render);
  } catch (e) { /* the service is restarting; try again */ }
  setTimeout(poll, 1000);
}
poll();
</script></body></html>`;
}
