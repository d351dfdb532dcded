'use strict';
// The sandbox index page: polls /sandbox/state and renders each incident's doc, sidebar, channel, bridge and mail.
// Every text from the server is escaped here; links are kept only when they are http(s).
(() => {
  const root = document.getElementById('incidents');
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  const safe = (url) => {
    try {
      const u = new URL(url, window.location.href);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
    } catch (e) {
      return undefined;
    }
  };
  const a = (url, text, blank) => (safe(url) ? '<a href="' + esc(safe(url)) + '"' + (blank ? ' target="_blank"' : '') + '>' + esc(text) + '</a>' : esc(text));
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
    const node = el.querySelector('[data-part="' + part + '"]');
    if (node && node.dataset.last !== html) {
      node.dataset.last = html;
      node.innerHTML = html;
    }
  }
  /** Where Firebreak's incident says the resource is: assembling, retrying (why), failed (why), or ready. */
  function resource(r, ready) {
    if (!r) return '<p class="empty">Not part of this incident.</p>';
    if (r.state === 'assembling') return '<p class="empty">Being assembled…</p>';
    if (r.state === 'retrying') return '<p class="warning">Retrying: ' + esc(r.detail || 'failing') + '</p>';
    if (r.state === 'failed') return '<p class="problem">Could not be created: ' + esc(r.detail || 'unknown error') + '</p>';
    return ready(r);
  }
  function render(i) {
    const el = section(i);
    el.querySelector('h2').textContent = 'INC-' + i.number + ': ' + i.title;
    el.querySelector('.facts').textContent = i.status + ' · Severity ' + i.severity + ' · Phase ' + i.phase + ' · Commander ' + i.commander;
    set(el, 'doc', resource(i.doc, (d) => (d.html ? '<div class="doc" data-doc>' + d.html + '</div>' : '<p class="problem">' + esc(d.problem) + '</p>')
      + '<p>' + a(d.url, 'open the doc (add and edit timeline rows there)', true) + '</p>'));
    set(el, 'channel', resource(i.channel, (c) => '<p>' + (c.name ? '#' + esc(c.name) + ' (' + esc(c.type) + ')' : esc(c.label || 'channel'))
      + (c.missing ? ' <span class="problem">(the emulator does not know it any more)</span>' : '') + '<br>' + a(c.url, 'open the channel') + '</p>'));
    set(el, 'bridge', resource(i.bridge, (b) => '<p>' + a(b.url, 'join the bridge')
      + (b.missing ? ' <span class="problem">(the emulator does not know it any more)</span>' : '') + '</p>'));
    set(el, 'mails', i.mails.length
      ? i.mails.map((m) => '<div class="mail"><b>' + esc(m.subject) + '</b> to ' + esc(m.to) + ' ' + a('/sandbox/mail#mail-' + encodeURIComponent(m.id), 'open in the mailbox') + '\n' + esc(m.body) + '</div>').join('')
      : '<p class="empty">None yet.</p>');
    // The sidebar is loaded once, and again when the incident is resolved or reopened (it turns read-only or back).
    if (i.doc && i.doc.id && (!el.dataset.sidebar || el.dataset.status !== i.status)) {
      el.dataset.sidebar = i.doc.id;
      el.dataset.status = i.status;
      sidebar(el, i.doc.id);
    }
  }
  // The add-on's Google card JSON, rendered as the Docs sidebar would (the widgets Firebreak uses). Card text is the
  // add-on's own small HTML subset, in which Firebreak has escaped everything people typed.
  function widget(w) {
    if (w.textParagraph) return '<p>' + w.textParagraph.text + '</p>';
    if (w.decoratedText) return '<div class="fact"><small>' + esc(w.decoratedText.topLabel) + '</small><div>' + w.decoratedText.text + '</div></div>';
    if (w.divider) return '<hr>';
    if (w.textInput) return '<label>' + esc(w.textInput.label) + '<textarea name="' + esc(w.textInput.name) + '" placeholder="' + esc(w.textInput.hintText) + '"></textarea></label>';
    if (w.selectionInput && w.selectionInput.type === 'CHECK_BOX') return w.selectionInput.items.map((it) => '<label><input type="checkbox" name="' + esc(w.selectionInput.name) + '" value="' + esc(it.value) + '"> ' + esc(it.text) + '</label>').join('');
    if (w.selectionInput) return '<label>' + esc(w.selectionInput.label) + '<select name="' + esc(w.selectionInput.name) + '">' + w.selectionInput.items.map((it) => '<option value="' + esc(it.value) + '"' + (it.selected ? ' selected' : '') + '>' + esc(it.text) + '</option>').join('') + '</select></label>';
    if (w.buttonList) {
      return '<div class="buttons">' + w.buttonList.buttons.map((b) => (b.onClick.openLink
        ? a(b.onClick.openLink.url, b.text, true).replace('<a ', '<a class="button" ')
        : '<button type="button" data-params="' + esc(JSON.stringify(Object.fromEntries((b.onClick.action.parameters || []).map((p) => [p.key, p.value])))) + '">' + esc(b.text) + '</button>')).join('') + '</div>';
    }
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
    if (!answer.card) {
      box.innerHTML = '<p class="problem">The add-on answered ' + esc(answer.status) + ': ' + esc((answer.problems || []).join('; ')) + '</p>';
      return;
    }
    box.innerHTML = (answer.notification ? '<p class="notice">' + esc(answer.notification) + '</p>' : '') + card(answer.card);
    box.querySelectorAll('button[data-params]').forEach((button) => button.addEventListener('click', () => {
      const formInputs = {};
      box.querySelectorAll('[name]').forEach((input) => {
        if (input.type !== 'checkbox' || input.checked) formInputs[input.name] = input.value;
      });
      sidebar(el, docId, { parameters: JSON.parse(button.dataset.params), formInputs });
    }));
  }
  async function poll() {
    try {
      const { incidents } = await (await fetch('/sandbox/state')).json();
      incidents.slice().reverse().forEach(render);
    } catch (e) {
      /* the service is restarting; try again */
    }
    window.setTimeout(poll, 1000);
  }
  poll();
})();
