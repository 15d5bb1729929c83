// The chosen bot's knowledge: its documents newest first with their status and error, a preview of each one's text,
// and, for the keys that may (manage and the admin key), uploading a file (with its progress), adding a text entry,
// deleting a document and rebuilding the index. Read keys only see.
import { $, h } from '../dom.js';
import { request, botPath, ApiError, isApiError } from '../api.js';
import { can } from '../session.js';
import { bots, refreshBots, selectBot } from '../bot-store.js';
import { when, integer, statusChip, pageLabel } from '../format.js';
import { Poller } from '../poller.js';
import { toast, report, confirmDialog, clearErrors, showErrors } from '../ui.js';

const page = { offset: 0, limit: 50, shown: '', previewing: null };
const poller = new Poller();

export const knowledgeView = { name: 'knowledge', enter: enterKnowledge, leave: () => poller.stop() };

const knowledgePath = () => `${botPath(bots.selected)}/knowledge`;

async function enterKnowledge() {
  page.offset = 0;
  await loadDocuments({ fresh: true });
  // Documents move from processing to ready as the index takes them.
  poller.start(5000, () => loadDocuments());
}

async function loadDocuments({ fresh = false } = {}) {
  if (fresh) await refreshBots();
  const manage = can('manage');
  $('#knowledge-add').hidden = !manage || !bots.selected;
  $('#knowledge-reindex').hidden = !manage || !bots.selected;
  const list = bots.selected
    ? await request('GET', `${knowledgePath()}?offset=${page.offset}&limit=${page.limit}`)
    : { items: [], total: 0, offset: 0, limit: page.limit, vector_store_id: null, usage_bytes: 0, store_lost: false };
  // A poll that finds nothing new leaves the page alone (focus and scroll stay).
  const shown = JSON.stringify([bots.selected, manage, list]);
  if (shown === page.shown) return;
  page.shown = shown;
  $('#knowledge-table tbody').replaceChildren(...list.items.map(documentRow));
  $('#knowledge-table').hidden = list.items.length === 0;
  $('#knowledge-empty').hidden = list.items.length > 0;
  $('#knowledge-page').textContent = pageLabel(list.offset, list.items.length, list.total);
  $('#knowledge-prev').disabled = list.offset === 0;
  $('#knowledge-next').disabled = list.offset + list.limit >= list.total;
  const store = $('#knowledge-store');
  store.className = list.store_lost ? 'error small' : 'muted small';
  store.textContent = list.store_lost
    ? `The bot's vector store was found gone upstream (${list.store_error || 'no reason given'}); rebuild the index.`
    : list.vector_store_id
      ? `Vector store ${list.vector_store_id} · ${size(list.usage_bytes)} used`
      : 'No vector store yet: the first document indexed makes one.';
}

function documentRow(d) {
  return h('tr', { dataset: { id: d.id, status: d.status } },
    h('td', { 'data-label': 'Title' }, h('strong', {}, d.title), d.file_name && d.file_name !== d.title ? h('span', { class: 'muted small' }, ` ${d.file_name}`) : null),
    h('td', { 'data-label': 'Type' }, h('code', { class: 'small' }, d.content_type)),
    h('td', { 'data-label': 'Size' }, size(d.bytes)),
    h('td', { 'data-label': 'Status' }, statusChip(d.status), d.error ? h('span', { class: 'error small' }, ` ${d.error}`) : null),
    h('td', { 'data-label': 'Added' }, h('time', { datetime: d.created_at }, when(d.created_at))),
    h('td', {}, h('div', { class: 'row-actions' },
      h('button', { type: 'button', 'aria-label': `Preview ${d.title}`, onclick: () => preview(d).catch(report) }, 'Preview'),
      can('manage')
        ? h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${d.title}`, onclick: () => remove(d).catch(report) }, 'Delete')
        : null)));
}

function size(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${integer.format(bytes)} bytes`;
}

async function preview(d) {
  const read = await request('GET', `${knowledgePath()}/${encodeURIComponent(d.id)}`);
  page.previewing = d.id;
  $('#knowledge-preview-title').textContent = `Preview of ${read.title}`;
  $('#knowledge-preview-text').textContent = read.text_preview;
  $('#knowledge-preview').hidden = false;
}

async function remove(d) {
  const answer = await confirmDialog(`Delete ${d.title}?`, 'The bot stops answering from it at once, and it is removed from the index.');
  if (!answer.ok) return;
  await request('DELETE', `${knowledgePath()}/${encodeURIComponent(d.id)}`);
  if (page.previewing === d.id) $('#knowledge-preview').hidden = true;
  toast(`${d.title} was deleted.`);
  page.shown = '';
  await loadDocuments();
}

/** POSTs the form with XMLHttpRequest, whose upload events say how far it got (fetch has none). */
function send(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', event => { if (event.lengthComputable) onProgress(event.loaded / event.total); });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = xhr.responseText; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { title: 'The upload did not reach the Gateway' })));
    xhr.send(form);
  });
}

async function upload(event) {
  event.preventDefault();
  const root = $('#knowledge-upload-form');
  clearErrors(root);
  const file = $('#knowledge-file').files[0];
  if (!file) {
    showErrors(root, { file: ['Choose a file first.'] });
    return;
  }
  const form = new FormData();
  form.append('file', file);
  const title = $('#knowledge-file-title').value.trim();
  if (title) form.append('title', title);
  const progress = $('#knowledge-progress');
  const button = $('#knowledge-upload');
  progress.value = 0;
  progress.hidden = false;
  button.disabled = true;
  try {
    const added = await send(knowledgePath(), form, share => { progress.value = Math.round(share * 100); });
    root.reset();
    toast(`${added.title} was added; the index takes it next.`);
    page.shown = '';
    await loadDocuments();
  } catch (error) {
    if (isApiError(error, 400)) {
      const unplaced = showErrors(root, error.errors);
      if (unplaced.length) toast(unplaced.join(' '), 'bad');
    } else if (isApiError(error)) showErrors(root, { file: [[error.problem.title, error.problem.detail].filter(Boolean).join(' ')] });
    else throw error;
  } finally {
    progress.hidden = true;
    button.disabled = false;
  }
}

async function addText(event) {
  event.preventDefault();
  const root = $('#knowledge-text-form');
  clearErrors(root);
  try {
    const added = await request('POST', knowledgePath(), { title: $('#knowledge-text-title').value, text: $('#knowledge-text').value });
    root.reset();
    toast(`${added.title} was added; the index takes it next.`);
    page.shown = '';
    await loadDocuments();
  } catch (error) {
    if (isApiError(error, 400)) showErrors(root, error.errors);
    else throw error;
  }
}

async function reindex() {
  const answer = await confirmDialog('Rebuild the index?', 'Every document is uploaded again to a new vector store; the bot keeps answering meanwhile.');
  if (!answer.ok) return;
  await request('POST', `${knowledgePath()}/reindex`);
  toast('The index is being rebuilt.');
}

$('#knowledge-bot').addEventListener('change', event => {
  selectBot(event.target.value);
  page.offset = 0;
  $('#knowledge-preview').hidden = true;
  loadDocuments().catch(report);
});
$('#knowledge-upload-form').addEventListener('submit', event => upload(event).catch(report));
$('#knowledge-text-form').addEventListener('submit', event => addText(event).catch(report));
$('#knowledge-reindex').addEventListener('click', () => reindex().catch(report));
$('#knowledge-prev').addEventListener('click', () => { page.offset = Math.max(0, page.offset - page.limit); loadDocuments().catch(report); });
$('#knowledge-next').addEventListener('click', () => { page.offset += page.limit; loadDocuments().catch(report); });
