// The audit log: writes and transcript reads, of the signed-in key's bots only.
import { $, h } from '../dom.js';
import { request } from '../api.js';
import { can } from '../session.js';
import { bots, refreshBots } from '../bot-store.js';
import { when, pageLabel } from '../format.js';
import { report } from '../ui.js';

const paging = { offset: 0, limit: 50 };

export const auditView = { name: 'audit', enter: enterAudit };

async function enterAudit() {
  await refreshBots();
  const select = $('#audit-bot');
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, can('admin') ? 'All bots' : 'All my bots'),
    ...bots.list.map(bot => h('option', { value: bot.twilio_phone_number }, `${bot.name} (${bot.twilio_phone_number})`)));
  select.value = bots.list.some(b => b.twilio_phone_number === chosen) ? chosen : '';
  await loadAudit();
}

async function loadAudit() {
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
  $('#audit-page').textContent = pageLabel(page.offset, page.items.length, page.total);
  $('#audit-prev').disabled = page.offset === 0;
  $('#audit-next').disabled = page.offset + page.limit >= page.total;
}

$('#audit-bot').addEventListener('change', () => { paging.offset = 0; loadAudit().catch(report); });
$('#audit-prev').addEventListener('click', () => { paging.offset = Math.max(0, paging.offset - paging.limit); loadAudit().catch(report); });
$('#audit-next').addEventListener('click', () => { paging.offset += paging.limit; loadAudit().catch(report); });
