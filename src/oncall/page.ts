import { esc } from '../web/html';
import type { Service } from '../org/services';
import { onCallLines, peopleText } from './card';
import type { ServiceOnCall } from './source';

/**
 * The experts page: every service with who is on call now and next, and its dependencies. Server-rendered and
 * searchable without script (`?q=` filters on name, alias, team, description and people); /experts/page.js filters
 * as one types. In Teams (production) the page is a shell: its script gets the SSO token and fetches the list.
 */

/** Only what Firebreak serves itself: Teams requires its hosts in frame-ancestors (tabs/how-to/tab-requirements). */
export const FRAME_ANCESTORS = 'https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.microsoft365.com https://*.office.com';
/**
 * TeamsJS checks the host's origin against the list it ships, then fetches the current list from Microsoft's CDN
 * (res.cdn.office.net/teams-js/validDomains/json/validDomains.json): that one JSON fetch is allowed; no script is.
 */
export const TEAMSJS_ORIGINS = 'https://res.cdn.office.net';
export const PAGE_CSP = `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ${TEAMSJS_ORIGINS}; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self' ${FRAME_ANCESTORS}`;

/** What a search matches against, lowercase. */
function haystack(entry: ServiceOnCall): string {
  const s = entry.service;
  return [s.name, ...s.aliases, s.team, s.description, ...entry.onCall.now.map((p) => `${p.name} ${p.email}`), ...(entry.onCall.next?.people ?? []).map((p) => p.name)]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

export function matches(entry: ServiceOnCall, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = haystack(entry);
  return words.every((w) => text.includes(w));
}

function row(entry: ServiceOnCall, escalation: (s: Service) => string | undefined): string {
  const { service } = entry;
  const lines = onCallLines(service, entry.onCall);
  const deps = entry.dependencies.length
    ? `<ul>${entry.dependencies.map((d) => `<li><a href="#service-${esc(d.service.name)}">${esc(d.service.name)}</a>: ${esc(peopleText(d.onCall.now))}</li>`).join('')}</ul>`
    : 'none';
  const esc2 = escalation(service);
  return `<tr id="service-${esc(service.name)}" data-search="${esc(haystack(entry))}">
<th scope="row">${esc(service.name)}${service.aliases.length ? `<div class="muted">also ${esc(service.aliases.join(', '))}</div>` : ''}${service.description ? `<div class="muted">${esc(service.description)}</div>` : ''}</th>
<td>${esc(service.team ?? '')}</td>
<td class="now">${esc(lines.now)}${esc2 ? `<div class="muted">escalation: ${esc(esc2)}</div>` : ''}</td>
<td class="next">${esc(lines.next ?? '(the same people)')}</td>
<td>${deps}</td>
</tr>`;
}

/** The list alone (what the tab's script fetches), filtered by `query`. */
export function directoryHtml(entries: ServiceOnCall[], query: string, escalation: (s: Service) => string | undefined, at: Date): string {
  const shown = entries.filter((e) => matches(e, query));
  const when = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<p class="muted" id="as-of">On call as of ${esc(when)}. <span id="count">${shown.length} of ${entries.length} services</span></p>
<table id="experts">
<thead><tr><th scope="col">Service</th><th scope="col">Team</th><th scope="col">On call now</th><th scope="col">Next</th><th scope="col">Depends on</th></tr></thead>
<tbody>${shown.map((e) => row(e, escalation)).join('\n')}</tbody>
</table>${shown.length ? '' : `<p id="none">No service matches "${esc(query)}".</p>`}`;
}

/** The whole page; `list` undefined is the Teams shell whose script fetches it with the SSO token. */
export function expertsPageHtml(list: string | undefined, query: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Experts on call · Firebreak</title><link rel="stylesheet" href="/experts/page.css"></head>
<body${list === undefined ? ' data-sso="teams"' : ''}>
<main>
<h1>Experts on call</h1>
<form method="get" action="/experts" role="search"><label for="q">Search services, teams and people</label>
<input id="q" name="q" type="search" value="${esc(query)}" autocomplete="off"> <button type="submit">Search</button></form>
<div id="directory">${list ?? '<p id="loading">Signing in through Teams…</p>'}</div>
</main>
${list === undefined ? '<script src="/experts/teams-js.js"></script>' : ''}<script src="/experts/page.js"></script>
</body></html>`;
}

export const PAGE_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:8px;border-bottom:1px solid #ccc}
.muted{color:#555;font-size:.9em;font-weight:normal}ul{margin:0;padding-left:1.1em}input{font:inherit;padding:4px 6px;min-width:18em}
@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#eee}.muted{color:#bbb}th,td{border-color:#555}a{color:#8ab4ff}}`;

/**
 * Filters rows as one types; in the Teams shell, first gets the SSO token (TeamsJS `authentication.getAuthToken`,
 * served from this origin: the CSP allows no CDN) and fetches the list with it as a Bearer token.
 */
export const PAGE_JS = `(function () {
  var input = document.getElementById('q');
  var dir = document.getElementById('directory');
  function filter() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var rows = dir.querySelectorAll('tbody tr');
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-search') || '';
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) shown++;
    });
    var count = document.getElementById('count');
    if (count) count.textContent = shown + ' of ' + rows.length + ' services';
  }
  input.addEventListener('input', filter);
  function load(token) {
    return fetch('/experts/directory', { headers: { authorization: 'Bearer ' + token } }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.text();
    }).then(function (html) {
      dir.replaceChildren(new DOMParser().parseFromString(html, 'text/html').body);
      filter();
    });
  }
  if (document.body.getAttribute('data-sso') === 'teams') {
    document.querySelector('form').addEventListener('submit', function (e) { e.preventDefault(); filter(); });
    var teams = window.microsoftTeams;
    if (!teams) { dir.textContent = 'Open this page as the Firebreak tab in Microsoft Teams.'; return; }
    teams.app.initialize().then(function () { return teams.authentication.getAuthToken(); }).then(load).catch(function (err) {
      dir.textContent = 'Could not sign in through Teams: ' + (err && err.message ? err.message : err);
    });
  } else if (input.value) filter();
})();
`;
