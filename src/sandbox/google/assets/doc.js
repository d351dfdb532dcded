'use strict';
// The sandbox doc page: follows the doc as it changes, and lets a person add and edit timeline rows. Each change
// is one POST to /sandbox/docs/<id>/timeline, applied by the sandbox as Docs' batchUpdate, as the chosen person.
(() => {
  const editor = document.querySelector('.editor');
  const article = document.querySelector('[data-part="article"]');
  const revisionText = document.querySelector('[data-part="revision"]');
  if (!editor || !article) return;
  const docId = editor.dataset.docId;
  const base = '/sandbox/docs/' + encodeURIComponent(docId);
  const status = editor.querySelector('.status');
  const by = editor.querySelector('select[name="by"]');
  const form = editor.querySelector('form[data-form="add"]');
  let revision = editor.dataset.revision;
  let rows = [];
  let editing = null;

  const remembered = window.localStorage.getItem('firebreak.sandbox.by');
  if (remembered && [...by.options].some((o) => o.value === remembered)) by.value = remembered;
  const personName = () => by.selectedOptions[0].dataset.name;
  by.addEventListener('change', () => {
    window.localStorage.setItem('firebreak.sandbox.by', by.value);
    form.elements.who.value = personName();
  });
  form.elements.who.value = personName();
  form.elements.time.value = new Date().toISOString().slice(11, 16);

  const say = (text, problem) => {
    status.textContent = text;
    status.classList.toggle('problem', Boolean(problem));
  };

  async function send(change) {
    const res = await fetch(base + '/timeline', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: by.value, ...change }) });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(answer.error || 'the sandbox answered ' + res.status);
    return answer;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const cells = { time: form.elements.time.value, who: form.elements.who.value, entry: form.elements.entry.value };
    try {
      await send({ add: cells });
      form.elements.entry.value = '';
      form.elements.time.value = new Date().toISOString().slice(11, 16);
      say('Row added as ' + personName() + '. Firebreak reads the doc and tells the incident conversation.');
      await refresh(true);
    } catch (err) {
      say(err.message, true);
    }
  });

  /** An Edit button on each timeline row (not the header). */
  function decorate() {
    article.querySelectorAll('table[data-timeline] tr[data-row]').forEach((tr) => {
      if (tr.dataset.row === '0' || tr.querySelector('button.edit-row')) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'edit-row';
      button.textContent = 'Edit';
      button.addEventListener('click', () => startEdit(tr));
      tr.lastElementChild.appendChild(button);
    });
  }

  function startEdit(tr) {
    if (editing) return;
    const row = Number(tr.dataset.row);
    const seen = rows[row - 1];
    if (!seen) return say('That row is not in the doc any more.', true);
    const was = { time: seen[0] || '', who: seen[1] || '', entry: seen[2] || '' };
    editing = tr;
    const cells = [...tr.children];
    const inputs = ['time', 'who', 'entry'].map((name, i) => {
      const input = document.createElement(name === 'entry' ? 'textarea' : 'input');
      input.name = name;
      input.value = was[name];
      cells[i].replaceChildren(input);
      return input;
    });
    const save = document.createElement('button');
    save.type = 'button';
    save.textContent = 'Save';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    cells[2].append(save, cancel);
    cancel.addEventListener('click', () => {
      editing = null;
      refresh(true);
    });
    save.addEventListener('click', async () => {
      const now = { time: inputs[0].value, who: inputs[1].value, entry: inputs[2].value };
      try {
        await send({ edit: { row, was, cells: now } });
        say('Row changed as ' + personName() + '. Firebreak reads the doc and tells the incident conversation.');
      } catch (err) {
        say(err.message, true);
      }
      editing = null;
      await refresh(true);
    });
    inputs[2].focus();
  }

  /** Follows the doc: a new revision replaces the article, unless a row is being edited. */
  async function refresh(force) {
    try {
      const res = await fetch(base + '/state');
      if (!res.ok) return;
      const state = await res.json();
      rows = state.timeline || [];
      if (editing || (!force && state.revision === revision)) return;
      revision = state.revision;
      article.innerHTML = state.article;
      revisionText.textContent = revision;
      decorate();
    } catch (err) {
      /* the sandbox is restarting: the next round tries again */
    }
  }

  async function poll() {
    await refresh(false);
    window.setTimeout(poll, 1500);
  }
  decorate();
  poll();
})();
