// The WhatsApp simulator: write as a user through the signed webhook (POST /console/api/simulate); the chat is the
// transcript, polled every second, with what was sent and not yet recorded shown as pending.
import { $, h } from '../dom.js';
import { request, userPath, isApiError } from '../api.js';
import { bots, findBot, refreshBots, selectBot } from '../bot-store.js';
import { when, statusChip } from '../format.js';
import { Poller } from '../poller.js';
import { go } from '../router.js';
import { toast, report, confirmDialog, clearErrors, showErrors } from '../ui.js';

const userKey = 'horizonai.simulator.user';
const chat = {
  user: localStorage.getItem(userKey) || randomUser(), // the committed user number, not one still being typed
  pending: [], // sent, not yet in the transcript
  shown: '',
};
const poller = new Poller();

/** The simulator signs webhooks as any user: the agency's tool, for the admin key only. */
export const simulatorView = { name: 'simulator', role: 'admin', enter: enterSimulator, leave: () => poller.stop() };

/** Opens the simulator as the given user (from a transcript). */
export function chatAs(user) {
  setUser(user);
  go('simulator');
}

function randomUser() {
  let digits = '';
  for (let i = 0; i < 8; i++) digits += Math.floor(Math.random() * 10);
  return '+569' + digits;
}

function setUser(user) {
  chat.user = user;
  localStorage.setItem(userKey, user);
}

async function enterSimulator() {
  // Before any await: the view is visible from here on, and a number typed into it must not be overwritten.
  $('#sim-user').value = chat.user;
  await refreshBots();
  showSimulatorBot();
  chat.shown = '';
  await pollSimulator();
  poller.start(1000, pollSimulator);
}

function showSimulatorBot() {
  const bot = findBot(bots.selected);
  $('#sim-bot-name').textContent = bot ? bot.name : 'No bot yet: create one under Bots';
  $('#sim-bot-number').textContent = bot ? bot.twilio_phone_number + (bot.enabled ? '' : ' · disabled: messages are recorded, not answered') : '';
  $('#sim-avatar').textContent = bot ? bot.name.trim().charAt(0).toUpperCase() : '?';
  $('#sim-send').disabled = !bot;
}

async function pollSimulator() {
  const bot = bots.selected;
  const user = chat.user;
  if (!bot || !user || !findBot(bot)) {
    renderChat([]);
    return;
  }
  let items;
  try {
    items = await lastMessages(bot, user);
  } catch (error) {
    // A number the API does not accept yet (still being typed): nothing to show.
    if (isApiError(error, 400, 404)) items = [];
    else throw error;
  }
  const known = new Set(items.map(m => m.twilio_sid));
  chat.pending = chat.pending.filter(p => p.bot === bot && p.user === user && !known.has(p.sid));
  const snapshot = JSON.stringify([items, chat.pending]);
  if (snapshot !== chat.shown) {
    chat.shown = snapshot;
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
  const bubbles = items.map(message => message.direction === 'tool'
    ? toolLine(message)
    : bubble(message.direction === 'inbound' ? 'user' : 'bot', withMedia(message), message.time, message.status, message.error || (message.error_code ? `error ${message.error_code}` : null), message.twilio_sid));
  for (const pending of chat.pending) bubbles.push(bubble('user', pending.text, pending.at, pending.status, pending.error, pending.sid));
  if (bubbles.length === 0) {
    bubbles.push(h('li', { class: 'chat-empty muted' }, findBot(bots.selected) ? 'No messages yet. Say hola.' : 'Create a bot under Bots first.'));
  }
  log.replaceChildren(...bubbles);
  if (nearBottom || items.length + chat.pending.length <= 1) log.scrollTop = log.scrollHeight;
}

/** A message's text with a line per attachment, and what was read of them (a voice note's transcript). */
function withMedia(message) {
  const lines = [message.text || ''];
  for (const item of message.media || []) lines.push(`Attachment: ${item.content_type || 'file'}`);
  if (message.media_text) lines.push(message.media_text);
  return lines.filter(Boolean).join('\n');
}

/** A call of the business's tools the bot made while answering: a line between the bubbles, not a message. */
function toolLine(call) {
  return h('li', { class: 'chat-tool muted', dataset: { status: call.status } },
    `Tool ${call.tool}: ${call.status}${call.duration_ms == null ? '' : `, ${call.duration_ms} ms`}`);
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

/** The chosen file as { name, content_type, data } (base64), or null. */
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

async function sendSimulated() {
  const form = $('#view-simulator');
  clearErrors(form);
  const text = $('#sim-text').value;
  const user = $('#sim-user').value.trim();
  if (!text.trim() && $('#sim-file').files.length === 0) {
    $('#sim-error').textContent = 'Type a message or attach a file first.';
    return;
  }
  $('#sim-send').disabled = true;
  try {
    const attachment = await readAttachment();
    const pending = { bot: bots.selected, user, text: [text, attachment ? `Attachment: ${attachment.name}` : ''].filter(Boolean).join('\n'), at: new Date().toISOString(), status: 'sending', sid: null, error: null };
    const body = { bot: bots.selected, user, text };
    if (attachment) body.media = { content_type: attachment.content_type, data: attachment.data };
    const result = await request('POST', '/console/api/simulate', body);
    $('#sim-text').value = '';
    $('#sim-file').value = '';
    $('#sim-file-name').textContent = '';
    setUser(result.user);
    $('#sim-user').value = result.user;
    pending.sid = result.message_sid;
    pending.user = result.user;
    if (result.webhook_status === 200) {
      pending.status = 'sent to webhook';
    } else {
      pending.status = 'refused';
      pending.error = `The webhook answered ${result.webhook_status}: ${result.detail || ''}`.trim();
    }
    chat.pending.push(pending);
    renderChat([]);
    chat.shown = '';
    await pollSimulator();
  } catch (error) {
    if (isApiError(error, 400)) showErrors(form, error.errors, $('#sim-error'));
    else if (!isApiError(error, 401)) $('#sim-error').textContent = error.message;
  } finally {
    $('#sim-send').disabled = !findBot(bots.selected);
    $('#sim-text').focus();
  }
}

function startOver() {
  chat.pending = [];
  chat.shown = '';
  pollSimulator().catch(report);
}

$('#sim-bot').addEventListener('change', event => {
  selectBot(event.target.value);
  showSimulatorBot();
  startOver();
});

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
  setUser($('#sim-user').value.trim());
  startOver();
});

$('#sim-new-user').addEventListener('click', () => {
  $('#sim-user').value = randomUser();
  $('#sim-user').dispatchEvent(new Event('change'));
});

$('#sim-erase').addEventListener('click', async () => {
  const user = $('#sim-user').value.trim();
  if (!bots.selected || !user) return;
  const answer = await confirmDialog('Erase this conversation?', `The transcript of ${user} with this bot is erased and the assistant starts a fresh conversation.`);
  if (!answer.ok) return;
  try {
    await request('DELETE', userPath(bots.selected, user));
    chat.pending = [];
    chat.shown = '';
    await pollSimulator();
    toast('The conversation was erased.');
  } catch (error) {
    report(error);
  }
});
