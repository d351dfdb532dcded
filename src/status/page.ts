import { escapeHtml as h } from '../org/template';
import type { StatusView } from './view';

/**
 * The public status page: server-rendered HTML, one request, no script and no third-party asset. Landmarks
 * (header, main, footer), one h1 and ordered headings; colours meet WCAG AA contrast in light and dark
 * (prefers-color-scheme). Only published words reach it (the view is built from the status tables alone).
 */

const LABEL: Record<string, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  postmortem: 'Postmortem',
};

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#4a4a55;--line:#d4d4dc;--ok:#0b6b2f;--minor:#7a4d00;--major:#a12d00;--critical:#9c0a1e;--card:#f6f6f9}
@media (prefers-color-scheme:dark){:root{--bg:#111216;--fg:#f1f1f4;--muted:#b9b9c6;--line:#3a3a44;--ok:#6fdc95;--minor:#f3c363;--major:#ff9f73;--critical:#ff8c9c;--card:#1b1c22}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer{max-width:48rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:2rem 0 .5rem}h3{font-size:1.05rem;margin:0 0 .25rem}
.banner{border:2px solid currentColor;border-radius:.5rem;padding:.75rem 1rem;font-weight:600}
.none{color:var(--ok)}.minor,.degraded_performance{color:var(--minor)}.major,.partial_outage{color:var(--major)}.critical,.major_outage{color:var(--critical)}.operational{color:var(--ok)}
ul{list-style:none;padding:0;margin:0}li.component{display:flex;justify-content:space-between;gap:1rem;padding:.6rem 0;border-bottom:1px solid var(--line)}
article{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:.75rem 0}
.update{margin:.5rem 0 0;padding-left:.75rem;border-left:3px solid var(--line)}.muted,time{color:var(--muted)}p{margin:.25rem 0}
a{color:inherit}fieldset{border:1px solid var(--line);border-radius:.5rem}input,button{font:inherit}`;

/** `subscribe`: whether the "Get updates by mail" form is offered (only when subscribers can be mailed). */
export function statusPageHtml(view: StatusView, feedUrl: string, opts: { subscribe?: boolean } = {}): string {
  const { page, status, components, unresolved, incidents } = view;
  const history = incidents.filter((i) => !unresolved.includes(i));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(page.name)} status</title>
<link rel="alternate" type="application/atom+xml" title="${h(page.name)} status history" href="${h(feedUrl)}">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${h(page.name)} status</h1>
<p class="banner ${status.indicator}" role="status">${h(status.description)}</p>
</header>
<main>
<section aria-labelledby="active">
<h2 id="active">Active incidents</h2>
${unresolved.length ? unresolved.map(incident).join('\n') : '<p class="muted">No active incidents.</p>'}
</section>
<section aria-labelledby="components">
<h2 id="components">Components</h2>
<ul>
${components.map((c) => `<li class="component"><span>${h(c.name)}</span><span class="${c.status}">${LABEL[c.status]}</span></li>`).join('\n')}
</ul>
</section>
${opts.subscribe ? subscribeForm(view) : ''}<section aria-labelledby="history">
<h2 id="history">Past incidents (90 days)</h2>
${history.length ? history.map(incident).join('\n') : '<p class="muted">No incidents in the last 90 days.</p>'}
</section>
</main>
<footer><p class="muted">Updated <time datetime="${h(page.updated_at)}">${h(utc(page.updated_at))}</time> · <a href="${h(feedUrl)}">Atom feed</a></p></footer>
</body>
</html>
`;
}

function incident(i: StatusView['incidents'][number]): string {
  return `<article id="incident-${h(i.id)}" aria-labelledby="incident-${h(i.id)}-name">
<h3 id="incident-${h(i.id)}-name" class="${i.impact}">${h(i.name)}</h3>
${i.incident_updates
  .map(
    (u) => `<div class="update"><p><strong>${LABEL[u.status]}</strong> — ${h(u.body)}</p><p><time datetime="${h(u.display_at)}">${h(utc(u.display_at))}</time>${
      u.affected_components.length ? ` · <span class="muted">${h(u.affected_components.map((a) => a.name).join(', '))}</span>` : ''
    }</p></div>`,
  )
  .join('\n')}
</article>`;
}

/** 2026-12-03T10:42:07.123Z -> 3 Dec 2026, 10:42 UTC */
export function utc(iso: string): string {
  const d = new Date(iso);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/** A plain form (no script): it posts to the status origin, which the page's CSP allows as form-action. */
function subscribeForm({ page, components }: StatusView): string {
  return `<section aria-labelledby="subscribe">
<h2 id="subscribe">Get updates by mail</h2>
<form method="post" action="${h(`${page.url}/subscriptions`)}">
<p><label for="email">Mail address</label><br><input id="email" name="email" type="email" required maxlength="254" autocomplete="email"></p>
<fieldset><legend>Components (none ticked: all of them)</legend>
${components.map((c) => `<label><input type="checkbox" name="component" value="${h(c.id)}"> ${h(c.name)}</label>`).join('<br>\n')}
</fieldset>
<p><button type="submit">Subscribe</button></p>
<p class="muted">You get a mail with a link to confirm; nothing is sent before it is followed, and every mail has a link to stop.</p>
</form>
</section>
`;
}
