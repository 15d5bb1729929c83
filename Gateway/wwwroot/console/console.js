// HorizonAI console: a single page over the admin API (/bots…), the console's own API (/console/…) and
// /health/ready. Plain JavaScript, no build step and nothing loaded from another origin. The admin key is sent once
// to POST /console/session, which answers with an HttpOnly cookie that every later request carries.
// Everything shown is built with textContent, never innerHTML, so names and messages cannot inject markup.
'use strict';

(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  /** Creates an element: h('button', { type: 'button', onclick: f }, 'Text', child…). */
  function h(tag, props = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else if (name === 'class') element.className = value;
      else if (name === 'dataset') Object.assign(element.dataset, value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function s(tag, attributes = {}, ...children) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    for (const child of children) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return element;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // API

  class ApiError extends Error {
    constructor(status, problem) {
      const body = problem && typeof problem === 'object' ? problem : {};
      super(body.title || body.detail || `The server answered ${status}`);
      this.status = status;
      this.problem = body;
      this.errors = body.errors || {};
    }
  }

  async function request(method, path, body, { raw = false } = {}) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    if (response.status === 401) {
      showSignIn('Your session has ended. Sign in again.');
      throw new ApiError(401, { title: 'Sign in again' });
    }
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = text; }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return raw ? text : data;
  }

  const botPath = number => '/bots/' + encodeURIComponent(number);
  const userPath = (bot, user) => `${botPath(bot)}/conversations/${encodeURIComponent(user)}`;

  // ---------------------------------------------------------------------------------------------------------------
  // State, views and routing

  const state = {
    signedIn: false,
    bots: [],
    bot: sessionStorage.getItem('horizonai.bot') || '',
    user: localStorage.getItem('horizonai.simulator.user') || randomUser(),
    editing: null,
    view: null,
    me: null,
    audit: { offset: 0, limit: 50 },
    conversations: { offset: 0, limit: 20, total: 0, user: null, selected: null, shown: '' },
    transcript: { offset: 0, limit: 100, total: 0, following: true, shown: '' },
    pending: [],
    lastTranscript: '',
    timers: {},
  };

  const views = ['signin', 'bots', 'editor', 'simulator', 'conversations', 'usage', 'audit', 'cluster'];

  // What the signed-in key may do: a client's key (read, operate, manage) sees its own bots; the admin key everything.
  const roles = ['read', 'operate', 'manage', 'admin'];
  const can = role => !!state.me && roles.indexOf(state.me.role) >= roles.indexOf(role);

  function show(view) {
    state.view = view;
    for (const name of views) $('#view-' + name).hidden = name !== view;
    const tab = view === 'editor' ? 'bots' : view;
    for (const link of $$('#nav a')) {
      if (link.dataset.view === tab) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    stopTimer('simulator');
    stopTimer('cluster');
    stopTimer('conversations');
    const heading = $('#view-' + view + ' h1');
    if (heading) document.title = `${heading.textContent} · HorizonAI console`;
  }

  async function route() {
    if (!state.signedIn) return;
    $('#toast').hidden = true;
    let view = (location.hash || '#bots').slice(1);
    if ((view === 'cluster' || view === 'simulator') && !can('admin')) view = 'bots';
    switch (view) {
      case 'simulator': show('simulator'); await enterSimulator(); break;
      case 'conversations': show('conversations'); await enterConversations(); break;
      case 'usage': show('usage'); await enterUsage(); break;
      case 'audit': show('audit'); await enterAudit(); break;
      case 'cluster': show('cluster'); await refreshCluster(true); break;
      default: show('bots'); await loadBots(); break;
    }
  }

  function go(view) {
    if (location.hash === '#' + view) route().catch(report);
    else location.hash = view;
  }

  function startTimer(name, milliseconds, tick) {
    stopTimer(name);
    const run = async () => {
      // A background tab does not poll; the next tick after it is shown again catches up.
      try { if (!document.hidden) await tick(); } catch (error) { if (!(error instanceof ApiError && error.status === 401)) console.warn(error); }
      if (state.timers[name] !== undefined) state.timers[name] = setTimeout(run, milliseconds);
    };
    state.timers[name] = setTimeout(run, milliseconds);
  }

  function stopTimer(name) {
    clearTimeout(state.timers[name]);
    delete state.timers[name];
  }

  let toastTimer;
  function toast(message, kind = 'ok') {
    const element = $('#toast');
    element.textContent = message;
    element.className = 'toast ' + kind;
    element.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { element.hidden = true; }, 5000);
  }

  function report(error) {
    if (error instanceof ApiError && error.status === 401) return;
    toast(error.message || String(error), 'bad');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Formatting

  const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
  const integer = new Intl.NumberFormat('en-US');

  function when(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    const today = new Date();
    return date.toDateString() === today.toDateString()
      ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
      : date.toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  const isoDay = date => date.toISOString().slice(0, 10);

  function randomUser() {
    let digits = '';
    for (let i = 0; i < 8; i++) digits += Math.floor(Math.random() * 10);
    return '+569' + digits;
  }

  function statusChip(status) {
    const kind = ['delivered', 'read', 'answered', 'sent'].includes(status) ? 'ok'
      : ['failed', 'undelivered', 'canceled'].includes(status) ? 'bad'
      : ['ignored'].includes(status) ? 'muted' : status === 'held' ? 'held' : 'wait';
    return h('span', { class: 'chip ' + kind, dataset: { status } }, status);
  }

  // Field errors of an RFC 7807 answer ("errors": { field: [messages] }) go next to their field.
  function clearErrors(root) {
    for (const element of $$('[data-error-for]', root)) element.textContent = '';
    for (const element of $$('[aria-invalid]', root)) element.removeAttribute('aria-invalid');
  }

  function showErrors(root, errors, fallback) {
    const unplaced = [];
    let first = null;
    for (const [field, messages] of Object.entries(errors || {})) {
      // templates[2].name goes beside the templates field, saying which one.
      const exact = $(`[data-error-for="${CSS.escape(field)}"]`, root);
      const target = exact || $(`[data-error-for="${CSS.escape(field.split(/[[.]/)[0])}"]`, root);
      const text = (exact ? '' : `${field}: `) + [].concat(messages).join(' ');
      if (target) {
        target.textContent = text;
        const input = target.id ? $(`[aria-describedby~="${CSS.escape(target.id)}"]`, root) : null;
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          first ||= input;
        }
      } else {
        unplaced.push(`${field}: ${text}`);
      }
    }
    if (fallback) {
      fallback.textContent = unplaced.join(' ');
      fallback.hidden = unplaced.length === 0;
    }
    if (first) first.focus();
    return unplaced;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sign-in

  function showSignIn(message) {
    state.signedIn = false;
    for (const name of Object.keys(state.timers)) stopTimer(name);
    $('#nav').hidden = true;
    $('#sign-out').hidden = true;
    show('signin');
    $('#signin-error').textContent = message || '';
    $('#signin-key').focus();
  }

  function nextPage() {
    const next = new URLSearchParams(location.search).get('next');
    if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
    const url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
  }

  $('#signin-form').addEventListener('submit', async event => {
    event.preventDefault();
    const key = $('#signin-key').value.trim();
    const error = $('#signin-error');
    if (!key) {
      error.textContent = 'Enter the admin API key or your client key.';
      $('#signin-key').setAttribute('aria-invalid', 'true');
      return;
    }
    $('#signin-submit').disabled = true;
    try {
      const response = await fetch('/console/session', { method: 'POST', credentials: 'same-origin', body: new URLSearchParams({ key }) });
      if (response.status === 204) {
        $('#signin-key').value = '';
        $('#signin-key').removeAttribute('aria-invalid');
        const next = nextPage();
        if (next) {
          location.assign(next);
          return;
        }
        await enter();
      } else if (response.status === 429) {
        const seconds = Number(response.headers.get('Retry-After'));
        error.textContent = `Too many failed attempts. Try again ${seconds > 0 ? `in ${seconds} seconds` : 'in a minute'}.`;
      } else if (response.status === 401) {
        error.textContent = 'That is not a valid key.';
        $('#signin-key').setAttribute('aria-invalid', 'true');
        $('#signin-key').select();
      } else {
        error.textContent = `Sign-in failed (${response.status}).`;
      }
    } catch {
      error.textContent = 'The Gateway could not be reached.';
    } finally {
      $('#signin-submit').disabled = false;
    }
  });

  $('#sign-out').addEventListener('click', async () => {
    await fetch('/console/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => {});
    state.bots = [];
    state.me = null;
    $('#whoami').hidden = true;
    showSignIn('Signed out.');
  });

  async function enter() {
    state.signedIn = true;
    state.me = await request('GET', '/me');
    applyAccess();
    $('#nav').hidden = false;
    $('#sign-out').hidden = false;
    await refreshBots();
    await route();
    if (can('admin')) {
      refreshHealthDot();
      startTimer('health', 15000, refreshHealthDot);
    }
  }

  // A client's console: only what its key's role allows is offered (the API refuses the rest anyway).
  function applyAccess() {
    const admin = can('admin');
    $('#nav a[data-view="cluster"]').hidden = !admin;
    $('#nav a[data-view="simulator"]').hidden = !admin; // it signs webhooks as any user: the agency's tool
    $('#bot-new').hidden = !admin;
    $('#bots-import-label').hidden = !admin;
    $('#bots-export').textContent = admin ? 'Export backup' : 'Export';
    $('#bot-enabled').disabled = !admin;
    $('#bot-metadata').disabled = !admin;
    const who = $('#whoami');
    who.textContent = admin ? 'Admin' : `${state.me.name} · ${state.me.role}`;
    who.title = admin ? 'Signed in with the admin key: every bot' : `Key ${state.me.key_id}: ${(state.me.bots || []).join(', ')}`;
    who.hidden = false;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bots

  async function refreshBots() {
    state.bots = await request('GET', '/bots');
    if (!state.bots.some(b => b.twilio_phone_number === state.bot)) {
      state.bot = state.bots.length ? state.bots[0].twilio_phone_number : '';
    }
    fillBotSelects();
  }

  function selectBot(number) {
    state.bot = number;
    sessionStorage.setItem('horizonai.bot', number);
    for (const select of $$('.bot-select')) select.value = number;
  }

  function fillBotSelects() {
    for (const select of $$('.bot-select')) {
      select.replaceChildren(...(state.bots.length
        ? state.bots.map(bot => h('option', { value: bot.twilio_phone_number },
          `${bot.name} (${bot.twilio_phone_number})${bot.enabled ? '' : ' · disabled'}`))
        : [h('option', { value: '' }, 'No bots yet')]));
      select.value = state.bot;
    }
  }

  const findBot = number => state.bots.find(b => b.twilio_phone_number === number);

  async function loadBots() {
    await refreshBots();
    const body = $('#bots-table tbody');
    body.replaceChildren(...state.bots.map(botRow));
    $('#bots-table').hidden = state.bots.length === 0;
    $('#bots-empty').hidden = state.bots.length > 0;
  }

  function botRow(bot) {
    const number = bot.twilio_phone_number;
    const assistant = bot.assistant_id ? bot.assistant_id : (bot.model || 'default model');
    return h('tr', { dataset: { number } },
      h('td', { 'data-label': 'Name' }, h('strong', {}, bot.name),
        bot.warnings && bot.warnings.length ? h('span', { class: 'chip warn', title: bot.warnings.join(' ') }, 'warning') : null),
      h('td', { 'data-label': 'Number' }, h('code', {}, number)),
      h('td', { 'data-label': 'Assistant' }, assistant),
      h('td', { 'data-label': 'State' }, h('span', { class: 'chip ' + (bot.enabled ? 'ok' : 'muted') }, bot.enabled ? 'enabled' : 'disabled')),
      h('td', { 'data-label': 'Updated' }, when(bot.updated_at)),
      h('td', { class: 'row-actions' },
        can('manage') ? h('button', { type: 'button', class: 'small', 'aria-label': `Edit ${bot.name}`, onclick: () => openEditor(bot) }, 'Edit') : null,
        can('admin') ? h('button', { type: 'button', class: 'small', 'aria-label': `${bot.enabled ? 'Disable' : 'Enable'} ${bot.name}`, onclick: () => toggleBot(bot).catch(report) }, bot.enabled ? 'Disable' : 'Enable') : null,
        can('admin') ? h('button', { type: 'button', class: 'small', 'aria-label': `Chat with ${bot.name}`, onclick: () => { selectBot(number); go('simulator'); } }, 'Chat') : null,
        h('button', { type: 'button', class: 'small', 'aria-label': `Conversations of ${bot.name}`, onclick: () => { selectBot(number); go('conversations'); } }, 'Conversations'),
        h('button', { type: 'button', class: 'small', 'aria-label': `Usage of ${bot.name}`, onclick: () => { selectBot(number); go('usage'); } }, 'Usage'),
        can('admin') ? h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${bot.name}`, onclick: () => deleteBot(bot).catch(report) }, 'Delete') : null));
  }

  /** The bot JSON the API accepts: server-set fields left out. */
  function editable(bot) {
    const copy = { ...bot };
    delete copy.created_at;
    delete copy.updated_at;
    delete copy.warnings;
    return copy;
  }

  async function toggleBot(bot) {
    const changed = await request('PUT', botPath(bot.twilio_phone_number), { ...editable(bot), enabled: !bot.enabled });
    toast(`${changed.name} is ${changed.enabled ? 'enabled' : 'disabled'}.`);
    await loadBots();
  }

  async function deleteBot(bot) {
    const answer = await confirmDialog(`Delete ${bot.name}?`, `The bot ${bot.twilio_phone_number} stops answering at once.`, true);
    if (!answer.ok) return;
    await request('DELETE', `${botPath(bot.twilio_phone_number)}${answer.purge ? '?purge=true' : ''}`);
    toast(`${bot.name} was deleted${answer.purge ? ' with its conversations' : ''}.`);
    await loadBots();
  }

  function confirmDialog(title, text, purgeOption = false) {
    const dialog = $('#confirm');
    $('#confirm-title').textContent = title;
    $('#confirm-text').textContent = text;
    $('#confirm-option').hidden = !purgeOption;
    $('#confirm-purge').checked = false;
    return new Promise(resolve => {
      dialog.addEventListener('close', () => resolve({ ok: dialog.returnValue === 'ok', purge: $('#confirm-purge').checked }), { once: true });
      dialog.returnValue = 'cancel';
      dialog.showModal();
    });
  }

  function openEditor(bot) {
    state.editing = bot ? bot.twilio_phone_number : null;
    const form = $('#bot-form');
    form.reset();
    clearErrors(form);
    $('#bot-form-error').hidden = true;
    $('#editor-title').textContent = bot ? `Edit ${bot.name}` : 'New bot';
    $('#bot-number').readOnly = !!bot;
    if (bot) {
      $('#bot-name').value = bot.name || '';
      $('#bot-number').value = bot.twilio_phone_number;
      $('#bot-model').value = bot.model || '';
      $('#bot-assistant').value = bot.assistant_id || '';
      $('#bot-instructions').value = bot.instructions || '';
      $('#bot-fallback').value = bot.fallback_message || '';
      $('#bot-unreadable').value = bot.unreadable_media_message || '';
      $('#bot-transcription').value = bot.transcription_model || '';
      $('#bot-stop-words').value = (bot.opt_out_keywords || []).join(', ');
      $('#bot-start-words').value = (bot.opt_in_keywords || []).join(', ');
      $('#bot-stop-message').value = bot.opt_out_message || '';
      $('#bot-start-message').value = bot.opt_in_message || '';
      $('#bot-debounce').value = bot.debounce_ms ? String(bot.debounce_ms) : '';
      $('#bot-enabled').checked = bot.enabled !== false;
      $('#bot-typing').checked = bot.typing_indicator !== false;
      $('#bot-metadata').value = Object.entries(bot.metadata || {}).map(([k, v]) => `${k}=${v}`).join('\n');
      $('#bot-templates').value = (bot.templates || []).length ? JSON.stringify(bot.templates, null, 2) : '';
    }
    const warnings = $('#bot-warnings');
    warnings.replaceChildren(...((bot && bot.warnings) || []).map(w => h('li', {}, w)));
    warnings.hidden = warnings.children.length === 0;
    show('editor');
    $('#bot-name').focus();
  }

  $('#bot-new').addEventListener('click', () => openEditor(null));
  $('#bot-cancel').addEventListener('click', () => { show('bots'); });

  $('#bot-form').addEventListener('submit', async event => {
    event.preventDefault();
    const form = $('#bot-form');
    clearErrors(form);
    $('#bot-form-error').hidden = true;

    const text = id => $(id).value.trim();
    // Editing starts from the bot as it is, so settings this form does not show (handoff, reset) are kept.
    const existing = state.editing ? findBot(state.editing) : null;
    const bot = {
      ...(existing ? editable(existing) : {}),
      name: text('#bot-name'),
      twilio_phone_number: text('#bot-number'),
      enabled: $('#bot-enabled').checked,
      typing_indicator: $('#bot-typing').checked,
    };
    const set = (key, value) => { if (value && (!Array.isArray(value) || value.length)) bot[key] = value; else delete bot[key]; };
    set('model', text('#bot-model'));
    set('assistant_id', text('#bot-assistant'));
    set('instructions', $('#bot-instructions').value.trim() ? $('#bot-instructions').value : '');
    set('fallback_message', $('#bot-fallback').value.trim() ? $('#bot-fallback').value : '');
    set('unreadable_media_message', $('#bot-unreadable').value.trim() ? $('#bot-unreadable').value : '');
    set('transcription_model', text('#bot-transcription'));
    const words = id => text(id).split(',').map(w => w.trim()).filter(Boolean);
    set('opt_out_keywords', words('#bot-stop-words'));
    set('opt_in_keywords', words('#bot-start-words'));
    set('opt_out_message', text('#bot-stop-message') ? $('#bot-stop-message').value : '');
    set('opt_in_message', text('#bot-start-message') ? $('#bot-start-message').value : '');
    delete bot.debounce_ms;
    const debounce = $('#bot-debounce');
    if (debounce.value !== '' || debounce.validity.badInput) {
      bot.debounce_ms = debounce.validity.badInput ? 'invalid' : Number(debounce.value);
    }

    const metadata = {};
    const badLines = [];
    for (const line of $('#bot-metadata').value.split('\n')) {
      if (!line.trim()) continue;
      const at = line.indexOf('=');
      if (at <= 0) badLines.push(line.trim());
      else metadata[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    if (badLines.length) {
      showErrors(form, { metadata: [`Write one key=value per line (not: ${badLines.join(', ')})`] });
      return;
    }
    if (Object.keys(metadata).length) bot.metadata = metadata;
    else delete bot.metadata;

    let templates = [];
    if ($('#bot-templates').value.trim()) {
      try {
        templates = JSON.parse($('#bot-templates').value);
      } catch {
        templates = null;
      }
      if (!Array.isArray(templates)) {
        showErrors(form, { templates: ['Write a JSON array of templates, e.g. [{"name": "booking_reminder", "content_sid": "HX…", "language": "es", "variables": ["name"]}]'] });
        return;
      }
    }
    set('templates', templates);

    $('#bot-save').disabled = true;
    try {
      const saved = state.editing
        ? await request('PUT', botPath(state.editing), bot)
        : await request('POST', '/bots', bot);
      selectBot(saved.twilio_phone_number);
      toast(`${saved.name} was saved.`);
      show('bots');
      await loadBots();
      if (saved.warnings && saved.warnings.length) toast(saved.warnings.join(' '), 'warn');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 400) {
        showErrors(form, error.errors, $('#bot-form-error'));
      } else if (error.status === 409) {
        showErrors(form, { twilio_phone_number: [error.message] });
      } else if (error.status !== 401) {
        $('#bot-form-error').textContent = error.message;
        $('#bot-form-error').hidden = false;
      }
    } finally {
      $('#bot-save').disabled = false;
    }
  });

  // Backups: the export is GET /bots exactly as the server wrote it; the import posts a file to /bots/import.
  $('#bots-export').addEventListener('click', async () => {
    try {
      const json = await request('GET', '/bots', undefined, { raw: true });
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const link = h('a', { href: url, download: `horizonai-bots-${isoDay(new Date())}.json`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      toast(`Exported ${JSON.parse(json).length} bot(s).`);
    } catch (error) {
      report(error);
    }
  });

  $('#bots-import-file').addEventListener('change', async event => {
    const file = event.target.files[0];
    event.target.value = '';
    if (!file) return;
    const result = $('#import-result');
    result.hidden = false;
    result.className = 'card notice';
    try {
      const summary = await request('POST', '/bots/import', await file.text());
      result.replaceChildren(
        h('p', {}, h('strong', {}, `Imported ${file.name}: `),
          h('span', { id: 'import-created' }, `${summary.created} created`), ', ',
          h('span', { id: 'import-updated' }, `${summary.updated} updated`), ', ',
          h('span', { id: 'import-rejected' }, `${summary.rejected.length} rejected`), '.'),
        summary.rejected.length
          ? h('ul', {}, summary.rejected.map(r => h('li', {}, `#${r.index + 1}${r.twilio_phone_number ? ` (${r.twilio_phone_number})` : ''}: ${r.reasons.join('; ')}`)))
          : null);
      if (summary.rejected.length) result.classList.add('warn');
      await loadBots();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      result.classList.add('bad');
      const reasons = Object.values(error.errors || {}).flat();
      result.replaceChildren(h('p', {}, h('strong', {}, `${file.name} was not imported: `), reasons.length ? reasons.join(' ') : error.message));
    }
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Simulator

  function simulatorUser() {
    return $('#sim-user').value.trim();
  }

  async function enterSimulator() {
    // Before any await: the view is visible from here on, and a number typed into it must not be overwritten.
    $('#sim-user').value = state.user;
    await refreshBots();
    showSimulatorBot();
    state.lastTranscript = '';
    await pollSimulator();
    startTimer('simulator', 1000, pollSimulator);
  }

  function showSimulatorBot() {
    const bot = findBot(state.bot);
    $('#sim-bot-name').textContent = bot ? bot.name : 'No bot yet: create one under Bots';
    $('#sim-bot-number').textContent = bot ? bot.twilio_phone_number + (bot.enabled ? '' : ' · disabled: messages are recorded, not answered') : '';
    $('#sim-avatar').textContent = bot ? bot.name.trim().charAt(0).toUpperCase() : '?';
    $('#sim-send').disabled = !bot;
  }

  // Polls the committed user number (state.user), not a number still being typed.
  async function pollSimulator() {
    const user = state.user;
    if (!state.bot || !user || !findBot(state.bot)) {
      renderChat([]);
      return;
    }
    let items;
    try {
      items = await lastMessages(state.bot, user);
    } catch (error) {
      // A number the API does not accept yet (still being typed): nothing to show.
      if (error instanceof ApiError && (error.status === 400 || error.status === 404)) items = [];
      else throw error;
    }
    const known = new Set(items.map(m => m.twilio_sid));
    state.pending = state.pending.filter(p => p.bot === state.bot && p.user === user && !known.has(p.sid));
    const snapshot = JSON.stringify([items, state.pending]);
    if (snapshot !== state.lastTranscript) {
      state.lastTranscript = snapshot;
      renderChat(items);
    }
  }

  /** The newest messages of a transcript (the API pages from the oldest). */
  async function lastMessages(bot, user) {
    const limit = 500;
    let page = await request('GET', `${userPath(bot, user)}?limit=${limit}`);
    if (page.total > limit) page = await request('GET', `${userPath(bot, user)}?offset=${page.total - limit}&limit=${limit}`);
    return page.items;
  }

  function renderChat(items) {
    const log = $('#sim-log');
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    const bubbles = items.map(message => bubble(message.direction === 'inbound' ? 'user' : 'bot', withMedia(message), message.time, message.status, message.error || (message.error_code ? `error ${message.error_code}` : null), message.twilio_sid));
    for (const pending of state.pending) bubbles.push(bubble('user', pending.text, pending.at, pending.status, pending.error, pending.sid));
    if (bubbles.length === 0) {
      bubbles.push(h('li', { class: 'chat-empty muted' }, findBot(state.bot) ? 'No messages yet. Say hola.' : 'Create a bot under Bots first.'));
    }
    log.replaceChildren(...bubbles);
    if (nearBottom || items.length + state.pending.length <= 1) log.scrollTop = log.scrollHeight;
  }

  /** A message's text with a line per attachment, and what was read of them (a voice note's transcript). */
  function withMedia(message) {
    const lines = [message.text || ''];
    for (const item of message.media || []) lines.push(`Attachment: ${item.content_type || 'file'}`);
    if (message.media_text) lines.push(message.media_text);
    return lines.filter(Boolean).join('\n');
  }

  /** The chosen file as { content_type, data } (base64), or null. */
  function readAttachment() {
    const file = $('#sim-file').files[0];
    if (!file) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve({ name: file.name, content_type: file.type || 'application/octet-stream', data: String(reader.result).split(',')[1] || '' });
      reader.onerror = () => reject(new Error(`The file ${file.name} could not be read`));
      reader.readAsDataURL(file);
    });
  }

  function bubble(side, text, time, status, error, sid) {
    const sandbox = side === 'bot' && text.startsWith('[sandbox]');
    return h('li', { class: `bubble ${side}`, dataset: { sid: sid || '', status: status || '' } },
      h('p', { class: 'text' }, text),
      h('p', { class: 'meta' },
        sandbox ? h('span', { class: 'chip sandbox' }, 'sandbox') : null,
        h('time', { datetime: time || '' }, when(time)),
        status ? statusChip(status) : null),
      error ? h('p', { class: 'error' }, error) : null);
  }

  async function sendSimulated() {
    const form = $('#view-simulator');
    clearErrors(form);
    const text = $('#sim-text').value;
    const user = simulatorUser();
    const hasFile = $('#sim-file').files.length > 0;
    if (!text.trim() && !hasFile) {
      $('#sim-error').textContent = 'Type a message or attach a file first.';
      return;
    }
    $('#sim-send').disabled = true;
    try {
      const attachment = await readAttachment();
      const pending = { bot: state.bot, user, text: [text, attachment ? `Attachment: ${attachment.name}` : ''].filter(Boolean).join('\n'), at: new Date().toISOString(), status: 'sending', sid: null, error: null };
      const body = { bot: state.bot, user, text };
      if (attachment) body.media = { content_type: attachment.content_type, data: attachment.data };
      const result = await request('POST', '/console/api/simulate', body);
      $('#sim-text').value = '';
      $('#sim-file').value = '';
      $('#sim-file-name').textContent = '';
      state.user = result.user;
      localStorage.setItem('horizonai.simulator.user', result.user);
      $('#sim-user').value = result.user;
      pending.sid = result.message_sid;
      pending.user = result.user;
      if (result.webhook_status === 200) {
        pending.status = 'sent to webhook';
      } else {
        pending.status = 'refused';
        pending.error = `The webhook answered ${result.webhook_status}: ${result.detail || ''}`.trim();
      }
      state.pending.push(pending);
      renderChat([]);
      state.lastTranscript = '';
      await pollSimulator();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) showErrors(form, error.errors, $('#sim-error'));
      else if (!(error instanceof ApiError && error.status === 401)) $('#sim-error').textContent = error.message;
    } finally {
      $('#sim-send').disabled = !findBot(state.bot);
      $('#sim-text').focus();
    }
  }

  $('#sim-file').addEventListener('change', () => {
    const file = $('#sim-file').files[0];
    $('#sim-file-name').textContent = file ? `Attached: ${file.name} (${file.type || 'unknown type'})` : '';
  });

  $('#sim-form').addEventListener('submit', event => {
    event.preventDefault();
    sendSimulated();
  });

  $('#sim-text').addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendSimulated();
    }
  });

  $('#sim-user').addEventListener('change', () => {
    state.user = simulatorUser();
    localStorage.setItem('horizonai.simulator.user', state.user);
    state.pending = [];
    state.lastTranscript = '';
    pollSimulator().catch(report);
  });

  $('#sim-new-user').addEventListener('click', () => {
    $('#sim-user').value = randomUser();
    $('#sim-user').dispatchEvent(new Event('change'));
  });

  $('#sim-erase').addEventListener('click', async () => {
    const user = simulatorUser();
    if (!state.bot || !user) return;
    const answer = await confirmDialog('Erase this conversation?', `The transcript of ${user} with this bot is erased and the assistant starts a fresh conversation.`);
    if (!answer.ok) return;
    try {
      await request('DELETE', userPath(state.bot, user));
      state.pending = [];
      state.lastTranscript = '';
      await pollSimulator();
      toast('The conversation was erased.');
    } catch (error) {
      report(error);
    }
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Conversations and transcripts

  async function enterConversations() {
    await loadConversations();
    // Live: new messages, handoffs and unread counts show up without a reload, while this view is open.
    startTimer('conversations', 3000, () => loadConversations({ live: true }));
  }

  function conversationItem(c, paging) {
    const human = c.mode === 'human';
    return h('li', {},
      h('button', {
        type: 'button',
        class: 'list-item' + (c.user_number === paging.user ? ' selected' : ''),
        'aria-label': `Transcript of ${c.user_number}`,
        dataset: { user: c.user_number, mode: c.mode },
        onclick: () => {
          paging.user = c.user_number;
          state.transcript.offset = -1;
          state.transcript.shown = '';
          paging.shown = '';
          loadConversations().catch(report);
        },
      },
      h('strong', {}, c.user_number,
        human ? h('span', { class: 'chip human', title: `With a person since ${when(c.human_since)}` }, 'person') : h('span', { class: 'chip' }, 'bot'),
        c.unread ? h('span', { class: 'chip unread', title: `${c.unread} unanswered message${c.unread === 1 ? '' : 's'} from the user` }, `${c.unread} unread`) : null,
        c.opted_out_at ? h('span', { class: 'chip opted-out', title: `Opted out ${when(c.opted_out_at)}` }, 'opted out') : null),
      h('span', { class: 'muted' }, `${c.message_count} message${c.message_count === 1 ? '' : 's'} · last ${when(c.last_message_at)}`)));
  }

  async function loadConversations({ live = false } = {}) {
    if (!live) await refreshBots();
    const list = $('#conv-list');
    const paging = state.conversations;
    if (!state.bot) {
      list.replaceChildren();
      $('#conv-empty').hidden = false;
      return;
    }
    const page = await request('GET', `${botPath(state.bot)}/conversations?offset=${paging.offset}&limit=${paging.limit}`);
    paging.total = page.total;
    const selected = page.items.find(c => c.user_number === paging.user);
    if (selected) paging.selected = selected;
    else if (paging.selected?.user_number !== paging.user) paging.selected = null;
    // A poll that finds nothing new leaves the page alone (focus, scroll and selection stay).
    const shown = JSON.stringify([paging.user, page]);
    if (shown !== paging.shown) {
      paging.shown = shown;
      list.replaceChildren(...page.items.map(c => conversationItem(c, paging)));
      $('#conv-empty').hidden = page.items.length > 0;
      $('#conv-page').textContent = page.total ? `${paging.offset + 1}–${paging.offset + page.items.length} of ${page.total}` : '';
      $('#conv-prev').disabled = paging.offset === 0;
      $('#conv-next').disabled = paging.offset + paging.limit >= page.total;
      showControl();
    }
    await loadTranscript({ live });
  }

  // Who has the selected conversation, and the buttons to change it.
  function showControl() {
    const conversation = state.conversations.user ? state.conversations.selected : null;
    const box = $('#conv-control');
    box.hidden = !conversation;
    if (!conversation) return;
    const human = conversation.mode === 'human';
    box.classList.toggle('human', human);
    const trigger = { admin: 'an operator', keyword: 'the user\'s handoff keyword', assistant: 'the assistant' }[conversation.handoff_trigger] || conversation.handoff_trigger;
    $('#conv-mode').textContent = conversation.opted_out_at
      ? `The user opted out ${when(conversation.opted_out_at)}: nothing is sent to them until they opt in again.`
      : human
        ? `A person has this conversation since ${when(conversation.human_since)} (handed over by ${trigger}${conversation.handoff_reason ? ': ' + conversation.handoff_reason : ''}). The bot does not answer; the user's messages are held.`
        : 'The bot answers this conversation.';
    $('#conv-take-over').hidden = human || !can('operate');
    $('#conv-give-back').hidden = !human || !can('operate');
    $('#conv-answer-held-label').hidden = !human || !can('operate');
  }

  async function changeMode(mode) {
    const paging = state.conversations;
    const body = { mode };
    const by = $('#operator-name').value.trim();
    if (by) body.by = by;
    if (mode === 'bot') body.answer_held = $('#conv-answer-held').checked;
    const button = mode === 'human' ? $('#conv-take-over') : $('#conv-give-back');
    button.disabled = true;
    try {
      const answer = await request('PUT', `${userPath(state.bot, paging.user)}/mode`, body);
      toast(mode === 'human'
        ? 'You have this conversation: the bot does not answer until you give it back.'
        : `Given back to the bot${answer.reopened ? `: it answers the ${answer.reopened} held message${answer.reopened === 1 ? '' : 's'}` : ''}.`);
      $('#conv-answer-held').checked = false;
      paging.shown = '';
      await loadConversations({ live: true });
    } catch (error) {
      report(error);
    } finally {
      button.disabled = false;
    }
  }

  $('#conv-take-over').addEventListener('click', () => changeMode('human'));
  $('#conv-give-back').addEventListener('click', () => changeMode('bot'));

  async function loadTranscript({ live = false } = {}) {
    const user = state.conversations.user;
    const list = $('#transcript');
    const paging = state.transcript;
    $('#transcript-chat').hidden = !user || !can('admin');
    $('#operator-form').hidden = !user || !can('operate');
    if (!user) {
      list.replaceChildren();
      paging.shown = '';
      $('#transcript-title').textContent = 'Transcript';
      $('#transcript-empty').hidden = false;
      $('#transcript-page').textContent = '';
      $('#transcript-prev').disabled = $('#transcript-next').disabled = true;
      return;
    }
    if (live && paging.following) paging.offset = -1;
    let page;
    try {
      page = await request('GET', `${userPath(state.bot, user)}?offset=${Math.max(paging.offset, 0)}&limit=${paging.limit}`);
      if (paging.offset < 0 && page.total > paging.limit) {
        // Opened fresh, or following what comes in: show the newest page.
        page = await request('GET', `${userPath(state.bot, user)}?offset=${page.total - paging.limit}&limit=${paging.limit}`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) { state.conversations.user = null; return loadTranscript(); }
      throw error;
    }
    paging.offset = page.offset;
    paging.total = page.total;
    paging.following = page.offset + page.items.length >= page.total;
    const shown = JSON.stringify([user, page]);
    if (shown === paging.shown) return;
    paging.shown = shown;
    $('#transcript-title').textContent = `Transcript with ${user}`;
    $('#transcript-empty').hidden = page.items.length > 0;
    $('#transcript-empty').textContent = 'No messages.';
    list.replaceChildren(...page.items.map(m => h('li', { class: 'entry ' + m.direction, dataset: { status: m.status, sid: m.twilio_sid || '' } },
      h('div', { class: 'entry-head' },
        h('span', { class: 'direction' }, m.direction === 'inbound' ? 'User' : m.sent_by ? `Operator: ${m.sent_by}` : 'Bot'),
        h('time', { datetime: m.time }, when(m.time)),
        statusChip(m.status)),
      h('p', { class: 'text' }, m.text || h('em', { class: 'muted' }, (m.media || []).length ? '(no text)' : '(empty)')),
      (m.media || []).length ? h('ul', { class: 'media-list' }, ...m.media.map(item => h('li', {},
        h('span', { class: 'chip' }, item.content_type || 'media'), ' ', h('code', { title: item.url }, item.url.split('/').pop())))) : null,
      m.media_text ? h('p', { class: 'media-text' }, m.media_text) : null,
      h('p', { class: 'entry-meta muted' }, m.twilio_sid ? h('code', {}, m.twilio_sid) : null),
      // Held and ignored messages carry why, which is not a failure.
      ['held', 'ignored'].includes(m.status) ? (m.error ? h('p', { class: 'entry-meta muted' }, `Not answered: ${m.error}`) : null)
        : m.error || m.error_code ? h('p', { class: 'error' }, [m.error_code ? `Error ${m.error_code}` : null, m.error].filter(Boolean).join(': ')) : null)));
    $('#transcript-page').textContent = page.total ? `${page.offset + 1}–${page.offset + page.items.length} of ${page.total}` : '';
    $('#transcript-prev').disabled = page.offset === 0;
    $('#transcript-next').disabled = page.offset + page.limit >= page.total;
  }

  $('#conv-bot').addEventListener('change', event => {
    selectBot(event.target.value);
    state.conversations.offset = 0;
    state.conversations.user = null;
    loadConversations().catch(report);
  });
  $('#conv-prev').addEventListener('click', () => { state.conversations.offset = Math.max(0, state.conversations.offset - state.conversations.limit); loadConversations().catch(report); });
  $('#conv-next').addEventListener('click', () => { state.conversations.offset += state.conversations.limit; loadConversations().catch(report); });
  $('#transcript-prev').addEventListener('click', () => { state.transcript.offset = Math.max(0, state.transcript.offset - state.transcript.limit); loadTranscript().catch(report); });
  $('#transcript-next').addEventListener('click', () => { state.transcript.offset += state.transcript.limit; loadTranscript().catch(report); });
  $('#operator-form').addEventListener('submit', async event => {
    event.preventDefault();
    const form = $('#operator-form');
    clearErrors(form);
    const body = { text: $('#operator-text').value };
    if ($('#operator-media').value.trim()) body.media_url = $('#operator-media').value.trim();
    if ($('#operator-name').value.trim()) body.sent_by = $('#operator-name').value.trim();
    $('#operator-send').disabled = true;
    try {
      await request('POST', `${userPath(state.bot, state.conversations.user)}/messages`, body);
      $('#operator-text').value = '';
      $('#operator-media').value = '';
      $('#operator-status').textContent = 'Queued: it goes out after anything the bot is still sending.';
      state.transcript.offset = -1;
      await loadTranscript();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) showErrors(form, error.errors, $('#operator-status'));
      else report(error);
    } finally {
      $('#operator-send').disabled = false;
    }
  });

  $('#transcript-chat').addEventListener('click', () => {
    state.user = state.conversations.user;
    localStorage.setItem('horizonai.simulator.user', state.user);
    go('simulator');
  });

  $('#sim-bot').addEventListener('change', event => {
    selectBot(event.target.value);
    state.pending = [];
    state.lastTranscript = '';
    showSimulatorBot();
    pollSimulator().catch(report);
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Usage

  async function enterUsage() {
    await refreshBots();
    if (!$('#usage-to').value) {
      const today = new Date();
      $('#usage-to').value = isoDay(today);
      $('#usage-from').value = isoDay(new Date(today.getTime() - 29 * 86400000));
    }
    if (state.bot) await loadUsage();
  }

  let lastUsage = null;

  async function loadUsage() {
    const form = $('#usage-form');
    clearErrors(form);
    if (!state.bot) return;
    const query = new URLSearchParams();
    if ($('#usage-from').value) query.set('from', $('#usage-from').value);
    if ($('#usage-to').value) query.set('to', $('#usage-to').value);
    try {
      lastUsage = await request('GET', `${botPath(state.bot)}/usage?${query}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const unplaced = showErrors(form, error.errors);
        if (unplaced.length) toast(unplaced.join(' '), 'bad');
        return;
      }
      throw error;
    }
    renderUsage(lastUsage);
  }

  function renderUsage(report) {
    const total = report.total;
    $('#usage-result').hidden = false;
    $('#usage-inbound').textContent = integer.format(total.inbound_messages);
    $('#usage-outbound').textContent = integer.format(total.outbound_messages);
    $('#usage-tokens').textContent = `${integer.format(total.input_tokens)} / ${integer.format(total.output_tokens)}`;
    $('#usage-total-cost').textContent = usd.format(total.estimated_cost_usd);
    $('#usage-media').textContent = `Media received: ${integer.format(total.audio_items)} voice notes (${total.transcribed_minutes.toFixed(1)} min transcribed, ${usd.format(total.transcription_cost_usd)}), ${integer.format(total.images)} images, ${integer.format(total.documents)} PDFs.`;
    const prices = report.prices;
    $('#usage-prices').textContent = `Estimated from ${usd.format(prices.per_message_usd)} per WhatsApp message, ${usd.format(prices.per_1k_tokens_usd)} per 1K tokens (transcription tokens included), ${usd.format(prices.per_transcription_minute_usd)} per transcribed minute where a model bills by the minute and ${usd.format(prices.per_number_per_month_usd)} per number per month.`;
    $('#usage-table tbody').replaceChildren(...report.days.map(d => h('tr', {},
      h('td', {}, d.day), h('td', {}, integer.format(d.inbound_messages)), h('td', {}, integer.format(d.outbound_messages)),
      h('td', {}, integer.format(d.input_tokens)), h('td', {}, integer.format(d.output_tokens)), h('td', {}, usd.format(d.estimated_cost_usd)))));
    drawChart($('#usage-chart'), report);
  }

  function niceStep(value) {
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    const fraction = value / power;
    return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  }

  /** Bars of messages in and out per day (left axis) and a line of the estimated cost per day (right axis). */
  function drawChart(container, report) {
    const days = report.days;
    const width = Math.max(container.clientWidth || 600, 280);
    const height = width < 520 ? 220 : 280;
    const pad = { left: 40, right: 58, top: 14, bottom: 30 };
    const plotWidth = width - pad.left - pad.right;
    const plotHeight = height - pad.top - pad.bottom;
    const ticks = 4;

    const maxMessages = Math.max(...days.map(d => d.inbound_messages + d.outbound_messages), 0);
    const messageStep = maxMessages === 0 ? 1 : Math.max(1, niceStep(maxMessages / ticks));
    const messageTop = messageStep * ticks;
    const maxCost = Math.max(...days.map(d => d.estimated_cost_usd), 0);
    const costStep = maxCost === 0 ? 0.01 : niceStep(maxCost / ticks);
    const costTop = costStep * ticks;

    const y = (value, top) => pad.top + plotHeight - (plotHeight * value) / top;
    const slot = plotWidth / days.length;
    const barWidth = Math.max(1, Math.min(28, slot * 0.7));

    const svg = s('svg', {
      viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': 'usage-chart-title',
      class: 'usage-svg',
    });
    svg.append(s('title', { id: 'usage-chart-title' },
      `Messages and estimated cost per day from ${report.from} to ${report.to}: ${report.total.inbound_messages} in, ${report.total.outbound_messages} out, ${usd.format(report.total.estimated_cost_usd)} in all`));

    const grid = s('g', { class: 'grid' });
    for (let i = 0; i <= ticks; i++) {
      const lineY = y(i * messageStep, messageTop);
      grid.append(s('line', { x1: pad.left, x2: width - pad.right, y1: lineY, y2: lineY }));
      grid.append(s('text', { x: pad.left - 6, y: lineY + 4, 'text-anchor': 'end', class: 'axis' }, integer.format(i * messageStep)));
      grid.append(s('text', { x: width - pad.right + 6, y: lineY + 4, 'text-anchor': 'start', class: 'axis cost' }, usd.format(i * costStep)));
    }
    svg.append(grid);

    const bars = s('g', { class: 'bars' });
    const labelEvery = Math.max(1, Math.ceil(days.length / Math.max(1, Math.floor(plotWidth / 46))));
    days.forEach((day, i) => {
      const x = pad.left + slot * i + (slot - barWidth) / 2;
      const inTop = y(day.inbound_messages, messageTop);
      const outTop = y(day.inbound_messages + day.outbound_messages, messageTop);
      const group = s('g', { class: 'day', 'data-day': day.day });
      group.append(s('title', {}, `${day.day}: ${day.inbound_messages} in, ${day.outbound_messages} out, ${usd.format(day.estimated_cost_usd)}`));
      group.append(s('rect', { x, y: inTop, width: barWidth, height: pad.top + plotHeight - inTop, class: 'in' }));
      group.append(s('rect', { x, y: outTop, width: barWidth, height: inTop - outTop, class: 'out' }));
      bars.append(group);
      if (i % labelEvery === 0 || i === days.length - 1 && days.length <= 8) {
        bars.append(s('text', { x: pad.left + slot * (i + 0.5), y: height - pad.bottom + 16, 'text-anchor': 'middle', class: 'axis' }, day.day.slice(5)));
      }
    });
    svg.append(bars);

    const points = days.map((day, i) => `${(pad.left + slot * (i + 0.5)).toFixed(1)},${y(day.estimated_cost_usd, costTop).toFixed(1)}`);
    const cost = s('g', { class: 'cost-line' });
    cost.append(s('polyline', { points: points.join(' ') }));
    if (days.length <= 62) {
      days.forEach((day, i) => cost.append(s('circle', { cx: pad.left + slot * (i + 0.5), cy: y(day.estimated_cost_usd, costTop), r: 3 })));
    }
    svg.append(cost);
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: pad.top + plotHeight, y2: pad.top + plotHeight, class: 'baseline' }));
    container.replaceChildren(svg);
  }

  $('#usage-form').addEventListener('submit', event => {
    event.preventDefault();
    loadUsage().catch(report);
  });
  $('#usage-bot').addEventListener('change', event => {
    selectBot(event.target.value);
    loadUsage().catch(report);
  });

  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (state.view === 'usage' && lastUsage) drawChart($('#usage-chart'), lastUsage); }, 150);
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Cluster health

  async function readHealth() {
    const response = await fetch('/health/ready', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    try {
      return await response.json();
    } catch {
      return { status: `HTTP ${response.status}`, checks: {} };
    }
  }

  const healthKind = status => status === 'Healthy' ? 'ok' : status === 'Degraded' ? 'warn' : 'bad';

  async function refreshHealthDot() {
    try {
      const health = await readHealth();
      const dot = $('#health-dot');
      dot.className = 'dot ' + healthKind(health.status);
      dot.setAttribute('aria-label', `Cluster ${health.status}`);
    } catch {
      $('#health-dot').className = 'dot bad';
    }
  }

  async function refreshCluster(start) {
    try {
      const health = await readHealth();
      $('#cluster-status').textContent = health.status;
      $('#cluster-dot').className = 'dot ' + healthKind(health.status);
      $('#health-dot').className = 'dot ' + healthKind(health.status);
      $('#cluster-checks tbody').replaceChildren(...Object.entries(health.checks || {}).map(([name, check]) => h('tr', {},
        h('td', {}, name), h('td', {}, h('span', { class: 'chip ' + healthKind(check.status) }, check.status)), h('td', {}, check.description || ''))));
      $('#cluster-checked').textContent = `Last checked ${new Date().toLocaleTimeString()}.`;
    } catch {
      $('#cluster-status').textContent = 'The Gateway could not be reached';
      $('#cluster-dot').className = 'dot bad';
    }
    if (start) startTimer('cluster', 5000, () => refreshCluster(false));
  }

  $('#cluster-refresh').addEventListener('click', () => refreshCluster(false));

  // ---------------------------------------------------------------------------------------------------------------
  // Audit log: admin writes and transcript reads, the signed-in key's bots only

  async function enterAudit() {
    await refreshBots();
    const select = $('#audit-bot');
    const chosen = select.value;
    select.replaceChildren(h('option', { value: '' }, can('admin') ? 'All bots' : 'All my bots'),
      ...state.bots.map(bot => h('option', { value: bot.twilio_phone_number }, `${bot.name} (${bot.twilio_phone_number})`)));
    select.value = state.bots.some(b => b.twilio_phone_number === chosen) ? chosen : '';
    await loadAudit();
  }

  async function loadAudit() {
    const paging = state.audit;
    const bot = $('#audit-bot').value;
    const page = await request('GET', `/audit?offset=${paging.offset}&limit=${paging.limit}${bot ? '&bot=' + encodeURIComponent(bot) : ''}`);
    $('#audit-table tbody').replaceChildren(...page.items.map(e => h('tr', { dataset: { id: String(e.id) } },
      h('td', { 'data-label': 'When' }, h('time', { datetime: e.at }, when(e.at))),
      h('td', { 'data-label': 'Key' }, h('code', {}, e.key_id)),
      h('td', { 'data-label': 'Action' }, h('code', {}, e.action)),
      h('td', { 'data-label': 'Bot' }, e.bot_number || '—'),
      h('td', { 'data-label': 'User' }, e.user_number || '—'),
      h('td', { 'data-label': 'Status' }, h('span', { class: 'chip ' + (e.status < 300 ? 'ok' : e.status < 500 ? 'warn' : 'bad') }, String(e.status))),
      h('td', { 'data-label': 'From' }, e.client || '—'))));
    $('#audit-table').hidden = page.items.length === 0;
    $('#audit-empty').hidden = page.items.length > 0;
    $('#audit-page').textContent = page.total ? `${page.offset + 1}–${page.offset + page.items.length} of ${page.total}` : '';
    $('#audit-prev').disabled = page.offset === 0;
    $('#audit-next').disabled = page.offset + page.limit >= page.total;
  }

  $('#audit-bot').addEventListener('change', () => { state.audit.offset = 0; loadAudit().catch(report); });
  $('#audit-prev').addEventListener('click', () => { state.audit.offset = Math.max(0, state.audit.offset - state.audit.limit); loadAudit().catch(report); });
  $('#audit-next').addEventListener('click', () => { state.audit.offset += state.audit.limit; loadAudit().catch(report); });

  // ---------------------------------------------------------------------------------------------------------------
  // Start

  window.addEventListener('hashchange', () => route().catch(report));

  (async () => {
    try {
      const response = await fetch('/console/session', { credentials: 'same-origin' });
      if (response.status === 204) await enter();
      else showSignIn();
    } catch {
      showSignIn('The Gateway could not be reached.');
    }
  })();
})();
