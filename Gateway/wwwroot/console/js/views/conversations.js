// Conversations of the chosen bot and one transcript, live while the view is open; who has the conversation (the bot
// or a person) and an operator's message to the user.
import { $, h } from '../dom.js';
import { request, botPath, userPath, isApiError } from '../api.js';
import { can } from '../session.js';
import { bots, refreshBots, selectBot } from '../bot-store.js';
import { when, statusChip, pageLabel } from '../format.js';
import { Poller } from '../poller.js';
import { chatAs } from './simulator.js';
import { toast, report, clearErrors, showErrors } from '../ui.js';

const conversations = { offset: 0, limit: 20, total: 0, user: null, selected: null, shown: '' };
const transcript = { offset: 0, limit: 100, total: 0, following: true, shown: '' };
const poller = new Poller();

export const conversationsView = { name: 'conversations', enter: enterConversations, leave: () => poller.stop() };

async function enterConversations() {
  await loadConversations();
  // Live: new messages, handoffs and unread counts show up without a reload, while this view is open.
  poller.start(3000, () => loadConversations({ live: true }));
}

function conversationItem(c) {
  const human = c.mode === 'human';
  return h('li', {},
    h('button', {
      type: 'button',
      class: 'list-item' + (c.user_number === conversations.user ? ' selected' : ''),
      'aria-label': `Transcript of ${c.user_number}`,
      dataset: { user: c.user_number, mode: c.mode },
      onclick: () => {
        conversations.user = c.user_number;
        transcript.offset = -1;
        transcript.shown = '';
        conversations.shown = '';
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
  const paging = conversations;
  if (!bots.selected) {
    list.replaceChildren();
    $('#conv-empty').hidden = false;
    return;
  }
  const page = await request('GET', `${botPath(bots.selected)}/conversations?offset=${paging.offset}&limit=${paging.limit}`);
  paging.total = page.total;
  const selected = page.items.find(c => c.user_number === paging.user);
  if (selected) paging.selected = selected;
  else if (paging.selected?.user_number !== paging.user) paging.selected = null;
  // A poll that finds nothing new leaves the page alone (focus, scroll and selection stay).
  const shown = JSON.stringify([paging.user, page]);
  if (shown !== paging.shown) {
    paging.shown = shown;
    list.replaceChildren(...page.items.map(conversationItem));
    $('#conv-empty').hidden = page.items.length > 0;
    $('#conv-page').textContent = pageLabel(paging.offset, page.items.length, page.total);
    $('#conv-prev').disabled = paging.offset === 0;
    $('#conv-next').disabled = paging.offset + paging.limit >= page.total;
    showControl();
  }
  await loadTranscript({ live });
}

// Who has the selected conversation, and the buttons to change it.
function showControl() {
  const conversation = conversations.user ? conversations.selected : null;
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
  const body = { mode };
  const by = $('#operator-name').value.trim();
  if (by) body.by = by;
  if (mode === 'bot') body.answer_held = $('#conv-answer-held').checked;
  const button = mode === 'human' ? $('#conv-take-over') : $('#conv-give-back');
  button.disabled = true;
  try {
    const answer = await request('PUT', `${userPath(bots.selected, conversations.user)}/mode`, body);
    toast(mode === 'human'
      ? 'You have this conversation: the bot does not answer until you give it back.'
      : `Given back to the bot${answer.reopened ? `: it answers the ${answer.reopened} held message${answer.reopened === 1 ? '' : 's'}` : ''}.`);
    $('#conv-answer-held').checked = false;
    conversations.shown = '';
    await loadConversations({ live: true });
  } catch (error) {
    report(error);
  } finally {
    button.disabled = false;
  }
}

// A call of the business's tools the assistant made; what it was given and answered shows to manage keys only.
function toolEntry(m) {
  return h('li', { class: 'entry tool', dataset: { status: m.status } },
    h('div', { class: 'entry-head' },
      h('span', { class: 'direction' }, `Tool: ${m.tool}`),
      h('time', { datetime: m.time }, when(m.time)),
      statusChip(m.status)),
    h('p', { class: 'entry-meta muted' }, m.duration_ms == null ? 'no answer yet' : `${m.duration_ms} ms`),
    m.arguments ? h('details', { class: 'tool-io' }, h('summary', {}, 'Arguments and output'),
      h('pre', {}, `arguments: ${m.arguments}\noutput: ${m.output ?? '(none)'}`)) : null);
}

function transcriptEntry(m) {
  if (m.direction === 'tool') return toolEntry(m);
  return h('li', { class: 'entry ' + m.direction, dataset: { status: m.status, sid: m.twilio_sid || '' } },
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
      : m.error || m.error_code ? h('p', { class: 'error' }, [m.error_code ? `Error ${m.error_code}` : null, m.error].filter(Boolean).join(': ')) : null);
}

async function loadTranscript({ live = false } = {}) {
  const user = conversations.user;
  const list = $('#transcript');
  const paging = transcript;
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
    page = await request('GET', `${userPath(bots.selected, user)}?offset=${Math.max(paging.offset, 0)}&limit=${paging.limit}`);
    if (paging.offset < 0 && page.total > paging.limit) {
      // Opened fresh, or following what comes in: show the newest page.
      page = await request('GET', `${userPath(bots.selected, user)}?offset=${page.total - paging.limit}&limit=${paging.limit}`);
    }
  } catch (error) {
    if (isApiError(error, 404)) {
      conversations.user = null;
      return loadTranscript();
    }
    throw error;
  }
  paging.offset = page.offset;
  paging.total = page.total;
  // The page's total counts messages; the calls of tools listed among them are not counted.
  const messages = page.items.filter(m => m.direction !== 'tool').length;
  paging.following = page.offset + messages >= page.total;
  const shown = JSON.stringify([user, page]);
  if (shown === paging.shown) return;
  paging.shown = shown;
  $('#transcript-title').textContent = `Transcript with ${user}`;
  $('#transcript-empty').hidden = page.items.length > 0;
  $('#transcript-empty').textContent = 'No messages.';
  list.replaceChildren(...page.items.map(transcriptEntry));
  $('#transcript-page').textContent = pageLabel(page.offset, messages, page.total);
  $('#transcript-prev').disabled = page.offset === 0;
  $('#transcript-next').disabled = page.offset + page.limit >= page.total;
}

$('#conv-bot').addEventListener('change', event => {
  selectBot(event.target.value);
  conversations.offset = 0;
  conversations.user = null;
  loadConversations().catch(report);
});
$('#conv-prev').addEventListener('click', () => { conversations.offset = Math.max(0, conversations.offset - conversations.limit); loadConversations().catch(report); });
$('#conv-next').addEventListener('click', () => { conversations.offset += conversations.limit; loadConversations().catch(report); });
$('#transcript-prev').addEventListener('click', () => { transcript.offset = Math.max(0, transcript.offset - transcript.limit); loadTranscript().catch(report); });
$('#transcript-next').addEventListener('click', () => { transcript.offset += transcript.limit; loadTranscript().catch(report); });
$('#conv-take-over').addEventListener('click', () => changeMode('human'));
$('#conv-give-back').addEventListener('click', () => changeMode('bot'));
$('#transcript-chat').addEventListener('click', () => chatAs(conversations.user));

$('#operator-form').addEventListener('submit', async event => {
  event.preventDefault();
  const form = $('#operator-form');
  clearErrors(form);
  const body = { text: $('#operator-text').value };
  if ($('#operator-media').value.trim()) body.media_url = $('#operator-media').value.trim();
  if ($('#operator-name').value.trim()) body.sent_by = $('#operator-name').value.trim();
  $('#operator-send').disabled = true;
  try {
    await request('POST', `${userPath(bots.selected, conversations.user)}/messages`, body);
    $('#operator-text').value = '';
    $('#operator-media').value = '';
    $('#operator-status').textContent = 'Queued: it goes out after anything the bot is still sending.';
    transcript.offset = -1;
    await loadTranscript();
  } catch (error) {
    if (isApiError(error, 400)) showErrors(form, error.errors, $('#operator-status'));
    else report(error);
  } finally {
    $('#operator-send').disabled = false;
  }
});
