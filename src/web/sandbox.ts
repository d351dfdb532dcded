import type { Incident } from '../domain/incident';
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
  /** Extra panels per incident (the Docs add-on sidebar), as HTML. */
  sidebar?: (incident: Incident) => Promise<string | undefined>;
}

export interface SandboxIncident {
  number: number;
  title: string;
  status: string;
  severity: string;
  phase: string;
  commander: string;
  doc?: { url: string; html?: string; problem?: string };
  channel?: { name: string; url: string; type: string };
  bridge?: { url: string; subject: string };
  mails: { subject: string; to: string; body: string; sentAt: string }[];
  sidebar?: string;
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
    ...(docUrl ? { doc: { url: docUrl, ...(await docArticle(docUrl)) } } : {}),
    ...(channel ? { channel: { name: channel.displayName, url: channel.webUrl, type: channel.membershipType } } : {}),
    ...(meeting ? { bridge: { url: meeting.joinWebUrl, subject: meeting.subject } } : {}),
    mails,
    ...(src.sidebar ? { sidebar: await src.sidebar(incident).catch((err) => `<p class="problem">${esc(String(err))}</p>`) } : {}),
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
.sidebar{border:1px solid #d0d7de;border-radius:6px;padding:8px}.grid a,.mail{overflow-wrap:anywhere}.problem{color:#cf222e}.empty{color:#57606a}
</style></head><body>
<header><h1>Firebreak sandbox</h1>
<p>Everything here is emulated and local. Declare an incident in the ${playgroundUrl ? `<a href="${esc(playgroundUrl)}" target="_blank">Agents Playground</a>` : 'Agents Playground'} (Ops &gt; General: <code>@Firebreak declare sev2 ...</code>) and watch its doc, channel, bridge and mail appear here.
The Playground has no Microsoft Graph: the incident's channel is created in the emulated Graph below, and the incident is run in the Playground conversation where you declared it, so every command and button works there.</p></header>
<main id="incidents"><p class="empty">No incidents yet.</p></main>
<script>
const root = document.getElementById('incidents');
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
let last = '';
function render(i) {
  const mails = i.mails.length ? i.mails.map((m) => '<div class="mail"><b>' + esc(m.subject) + '</b> to ' + esc(m.to) + '\\n' + esc(m.body) + '</div>').join('') : '<p class="empty">None yet.</p>';
  const doc = i.doc ? (i.doc.html ? '<div class="doc" data-doc>' + i.doc.html + '</div><p><a href="' + esc(i.doc.url) + '" target="_blank">open the doc</a></p>' : '<p class="problem">' + esc(i.doc.problem) + '</p>') : '<p class="empty">Being assembled…</p>';
  return '<section class="incident" id="inc-' + i.number + '"><h2>INC-' + i.number + ': ' + esc(i.title) + '</h2>'
    + '<div class="facts">' + esc(i.status) + ' · Severity ' + esc(i.severity) + ' · Phase ' + esc(i.phase) + ' · Commander ' + esc(i.commander) + '</div>'
    + '<div class="grid"><div><h3>Incident doc (Google Docs, emulated)</h3>' + doc + '</div><div>'
    + '<h3>Docs add-on sidebar</h3>' + (i.sidebar ? '<div class="sidebar">' + i.sidebar + '</div>' : '<p class="empty">Available once the doc exists.</p>')
    + '<h3>Channel (Graph, emulated)</h3>' + (i.channel ? '<p>#' + esc(i.channel.name) + ' (' + esc(i.channel.type) + ')<br><a href="' + esc(i.channel.url) + '">' + esc(i.channel.url) + '</a></p>' : '<p class="empty">Being assembled…</p>')
    + '<h3>Meeting bridge (Graph, emulated)</h3>' + (i.bridge ? '<p><a href="' + esc(i.bridge.url) + '">' + esc(i.bridge.url) + '</a></p>' : '<p class="empty">Being assembled…</p>')
    + '<h3>Mail sent</h3>' + mails + '</div></div></section>';
}
async function poll() {
  try {
    const res = await fetch('/sandbox/state');
    const text = await res.text();
    if (text !== last) {
      last = text;
      const { incidents } = JSON.parse(text);
      if (incidents.length) root.innerHTML = incidents.map(render).join('');
    }
  } catch (e) { /* the service is restarting; try again */ }
  setTimeout(poll, 1000);
}
poll();
</script></body></html>`;
}
