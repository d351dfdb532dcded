import { esc } from '../web/html';
import type { Report } from './figures';
import { followUpsChart, mediansChart, onTimeLine, weeksChart } from './svg';

/**
 * The reports page (issue 18 item 11): server-rendered, charts as inline SVG. Like the experts page (src/oncall/page.ts)
 * it is a Teams static tab in production, where the page is a shell whose script gets the Teams SSO token and fetches
 * the charts with it; in local mode the charts are in the page (open on loopback, host-checked).
 */
export { PAGE_CSP } from '../oncall/page';

/** The charts alone (what the tab's script fetches). */
export function chartsHtml(report: Report, at: Date, timeZone: string): string {
  const first = report.weeks[0]?.start ?? '';
  return `<p class="muted" id="as-of">As of ${esc(at.toISOString().slice(0, 16).replace('T', ' '))} UTC; weeks start Monday (${esc(timeZone)}); since ${esc(first)}.</p>
<section><h2>Incidents per week, by severity</h2>${weeksChart(report)}</section>
<section><h2>Median time to mitigate and to resolve, by severity</h2>
<p class="muted">From the first sign (an alert's start, or the declaration) to customer impact ending or phase 2, and to resolution; incidents declared in the period.</p>${mediansChart(report)}</section>
<section><h2>Follow-up items done on time</h2><p id="on-time">${esc(onTimeLine(report))}</p>${followUpsChart(report)}</section>`;
}

export function reportsPageHtml(charts: string | undefined): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident reports · Firebreak</title><link rel="stylesheet" href="/reports/page.css"></head>
<body${charts === undefined ? ' data-sso="teams"' : ''}>
<main>
<h1>Incident reports</h1>
<div id="reports">${charts ?? '<p id="loading">Signing in through Teams…</p>'}</div>
</main>
${charts === undefined ? '<script src="/reports/teams-js.js"></script><script src="/reports/page.js"></script>' : ''}
</body></html>`;
}

export const PAGE_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
main{max-width:900px;margin:0 auto;padding:16px}h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.5em}
.muted{color:#555;font-size:.9em}svg text{fill:currentColor}
@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#eee}.muted{color:#bbb}}`;

/** In the Teams shell: the SSO token (TeamsJS, served from this origin), then the charts fetched with it. */
export const PAGE_JS = `(function () {
  var box = document.getElementById('reports');
  var teams = window.microsoftTeams;
  if (!teams) { box.textContent = 'Open this page as the Firebreak Reports tab in Microsoft Teams.'; return; }
  teams.app.initialize().then(function () { return teams.authentication.getAuthToken(); }).then(function (token) {
    return fetch('/reports/charts', { headers: { authorization: 'Bearer ' + token } });
  }).then(function (res) {
    if (!res.ok) throw new Error('HTTP ' + res.status);
    return res.text();
  }).then(function (html) {
    box.replaceChildren(new DOMParser().parseFromString(html, 'text/html').body);
  }).catch(function (err) {
    box.textContent = 'Could not sign in through Teams: ' + (err && err.message ? err.message : err);
  });
})();
`;
