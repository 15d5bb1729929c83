// Creating or editing one bot: the form is generated from bot-fields.js (bot-form.js); the server validates, and its
// errors go beside their fields.
import { $, h } from '../dom.js';
import { request, botPath, ApiError } from '../api.js';
import { can } from '../session.js';
import { findBot, selectBot } from '../bot-store.js';
import { renderBotForm, fillBotForm, readBotForm } from '../bot-form.js';
import { open } from '../router.js';
import { toast, clearErrors, showErrors } from '../ui.js';

const form = $('#bot-form');
let editing = null; // the number of the bot being edited; null for a new bot
let current = null; // that bot as the server sent it when the editor opened
let currentETag = null; // its ETag: the save is refused (412) if the bot changed since

renderBotForm($('#bot-fields'));

/** The editor is opened from the bots list (with the bot, or null for a new one), not by an address of its own. */
export const editorView = { name: 'editor', tab: 'bots', routable: false, enter: openEditor };

async function openEditor(bot) {
  editing = bot ? bot.twilio_phone_number : null;
  current = null;
  currentETag = null;
  if (editing) {
    // Read afresh with its ETag: the save then says so if someone changed the bot meanwhile.
    const read = await request('GET', botPath(editing), undefined, { etag: true });
    current = read.data;
    currentETag = read.etag;
    bot = current;
  }
  form.reset();
  clearErrors(form);
  $('#bot-form-error').hidden = true;
  $('#editor-title').textContent = bot ? `Edit ${bot.name}` : 'New bot';
  fillBotForm(form, bot, can);
  const warnings = $('#bot-warnings');
  warnings.replaceChildren(...((bot && bot.warnings) || []).map(w => h('li', {}, w)));
  warnings.hidden = warnings.children.length === 0;
  $('#bot-name').focus();
}

$('#bot-cancel').addEventListener('click', () => open('bots'));

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearErrors(form);
  $('#bot-form-error').hidden = true;

  // Editing starts from the bot as it is, so its id and anything this console does not know yet are kept.
  const { bot, errors } = readBotForm(form, editing ? current || findBot(editing) : null, can);
  if (errors) {
    showErrors(form, errors, $('#bot-form-error'));
    return;
  }

  $('#bot-save').disabled = true;
  try {
    const saved = editing
      ? await request('PUT', botPath(editing), bot, { headers: currentETag ? { 'If-Match': currentETag } : {} })
      : await request('POST', '/bots', bot);
    selectBot(saved.twilio_phone_number);
    toast(`${saved.name} was saved.`);
    await open('bots');
    if (saved.warnings && saved.warnings.length) toast(saved.warnings.join(' '), 'warn');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 400) {
      showErrors(form, error.errors, $('#bot-form-error'));
    } else if (error.status === 409) {
      showErrors(form, { twilio_phone_number: [error.message] });
    } else if (error.status === 412) {
      const reload = h('button', { type: 'button', class: 'small', onclick: () => openEditor(current).catch(() => {}) }, 'Reload the bot');
      $('#bot-form-error').replaceChildren('This bot was changed since you opened it (by someone else, or in another tab). Reload it to see those changes, then make yours again. ', reload);
      $('#bot-form-error').hidden = false;
    } else if (error.status !== 401) {
      $('#bot-form-error').textContent = error.message;
      $('#bot-form-error').hidden = false;
    }
  } finally {
    $('#bot-save').disabled = false;
  }
});
