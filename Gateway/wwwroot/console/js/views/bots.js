// Bots: the list with its actions, and backups (export GET /bots as the server wrote it, import a file to /bots/import).
import { $, h } from '../dom.js';
import { request, botPath, isApiError } from '../api.js';
import { can } from '../session.js';
import { bots, refreshBots, selectBot } from '../bot-store.js';
import { editableCopy } from '../bot-fields.js';
import { when, isoDay } from '../format.js';
import { go, open } from '../router.js';
import { toast, report, confirmDialog } from '../ui.js';

export const botsView = { name: 'bots', enter: loadBots };

export async function loadBots() {
  await refreshBots();
  $('#bots-table tbody').replaceChildren(...bots.list.map(botRow));
  $('#bots-table').hidden = bots.list.length === 0;
  $('#bots-empty').hidden = bots.list.length > 0;
}

function botRow(bot) {
  const number = bot.twilio_phone_number;
  const assistant = bot.assistant_id ? bot.assistant_id : (bot.model || 'default model');
  const goTo = view => () => { selectBot(number); go(view); };
  return h('tr', { dataset: { number } },
    h('td', { 'data-label': 'Name' }, h('strong', {}, bot.name),
      bot.warnings && bot.warnings.length ? h('span', { class: 'chip warn', title: bot.warnings.join(' ') }, 'warning') : null),
    h('td', { 'data-label': 'Number' }, h('code', {}, number)),
    h('td', { 'data-label': 'Assistant' }, assistant),
    h('td', { 'data-label': 'State' }, h('span', { class: 'chip ' + (bot.enabled ? 'ok' : 'muted') }, bot.enabled ? 'enabled' : 'disabled')),
    h('td', { 'data-label': 'Updated' }, when(bot.updated_at)),
    h('td', { class: 'row-actions' },
      can('manage') ? h('button', { type: 'button', class: 'small', 'aria-label': `Edit ${bot.name}`, onclick: () => open('editor', bot).catch(report) }, 'Edit') : null,
      can('admin') ? h('button', { type: 'button', class: 'small', 'aria-label': `${bot.enabled ? 'Disable' : 'Enable'} ${bot.name}`, onclick: () => toggleBot(bot).catch(report) }, bot.enabled ? 'Disable' : 'Enable') : null,
      can('admin') ? h('button', { type: 'button', class: 'small', 'aria-label': `Chat with ${bot.name}`, onclick: goTo('simulator') }, 'Chat') : null,
      h('button', { type: 'button', class: 'small', 'aria-label': `Conversations of ${bot.name}`, onclick: goTo('conversations') }, 'Conversations'),
      h('button', { type: 'button', class: 'small', 'aria-label': `Usage of ${bot.name}`, onclick: goTo('usage') }, 'Usage'),
      can('admin') ? h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${bot.name}`, onclick: () => deleteBot(bot).catch(report) }, 'Delete') : null));
}

async function toggleBot(bot) {
  const changed = await request('PUT', botPath(bot.twilio_phone_number), { ...editableCopy(bot), enabled: !bot.enabled });
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

$('#bot-new').addEventListener('click', () => open('editor', null).catch(report));

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
    if (isApiError(error, 401)) return;
    result.classList.add('bad');
    const reasons = Object.values(error.errors || {}).flat();
    result.replaceChildren(h('p', {}, h('strong', {}, `${file.name} was not imported: `), reasons.length ? reasons.join(' ') : error.message));
  }
});
