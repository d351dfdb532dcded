import type { StatusView } from './view';

/**
 * `embed.js`: a badge (into each element with `data-firebreak-status`) and, while an incident is active, a banner
 * linking to the page. For the organisation's own site, under a strict CSP: the current status is in the script
 * itself (no fetch, so no connect-src), elements are made with DOM APIs and styled through CSSOM (element.style is
 * not an inline style attribute in markup, which style-src would govern), and nothing else is loaded. The site
 * allows it with `script-src <status origin>` (or a nonce on the script tag). `data-banner="off"` on the script tag
 * leaves the banner out.
 */
export function embedScript(view: StatusView): string {
  const data = {
    url: `${view.page.url}/`,
    name: view.page.name,
    indicator: view.status.indicator,
    description: view.status.description,
    incidents: view.unresolved.map((i) => ({ name: i.name, status: i.status, shortlink: i.shortlink })),
  };
  // JSON in a script: "<" escaped so a published text can never close the script element it is inlined in.
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `/* Firebreak status embed: no third-party code, CSP-friendly (DOM + CSSOM only). */
(function () {
  'use strict';
  var data = ${json};
  var colours = { none: '#0b6b2f', minor: '#7a4d00', major: '#a12d00', critical: '#9c0a1e' };
  var script = document.currentScript;
  function style(el, props) { for (var k in props) el.style[k] = props[k]; return el; }
  function link(text) {
    var a = document.createElement('a');
    a.href = data.url; a.textContent = text; a.rel = 'noopener';
    return style(a, { color: '#fff', textDecoration: 'underline' });
  }
  function badge(host) {
    var el = document.createElement('a');
    el.href = data.url; el.rel = 'noopener';
    el.setAttribute('data-firebreak-badge', data.indicator);
    el.textContent = data.description;
    style(el, { display: 'inline-block', padding: '2px 10px', borderRadius: '999px', color: '#fff', background: colours[data.indicator] || colours.none, font: '600 14px/1.6 system-ui, sans-serif', textDecoration: 'none' });
    host.replaceChildren(el);
  }
  function banner() {
    if (!data.incidents.length || (script && script.getAttribute('data-banner') === 'off')) return;
    var box = document.createElement('div');
    box.setAttribute('role', 'status');
    box.setAttribute('data-firebreak-banner', data.indicator);
    style(box, { position: 'fixed', left: '1rem', right: '1rem', bottom: '1rem', zIndex: '2147483647', padding: '12px 16px', borderRadius: '8px', color: '#fff', background: colours[data.indicator] || colours.major, font: '15px/1.5 system-ui, sans-serif', boxShadow: '0 4px 16px rgba(0,0,0,.3)' });
    var first = data.incidents[0];
    var title = document.createElement('strong');
    title.textContent = first.name;
    box.append(title, document.createTextNode(' — ' + data.description + '. '), link('Status page'));
    document.body.appendChild(box);
  }
  function run() {
    var hosts = document.querySelectorAll('[data-firebreak-status]');
    for (var i = 0; i < hosts.length; i++) badge(hosts[i]);
    banner();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run); else run();
})();
`;
}
