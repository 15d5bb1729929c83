// Campaigns of the chosen bot: each one's progress, live while the view is open, its recipients with their status and
// error, and cancel for the keys that may (manage and the admin key; read and operate keys only see).
import { $, h } from '../dom.js';
import { request, botPath, isApiError } from '../api.js';
import { can } from '../session.js';
import { bots, refreshBots, selectBot } from '../bot-store.js';
import { when, integer, statusChip, pageLabel } from '../format.js';
import { Poller } from '../poller.js';
import { toast, report, confirmDialog } from '../ui.js';

const campaigns = { list: [], selected: null, shown: '' };
const recipients = { offset: 0, limit: 50, shown: '' };
const poller = new Poller();

export const campaignsView = { name: 'campaigns', enter: enterCampaigns, leave: () => poller.stop() };

async function enterCampaigns() {
  await loadCampaigns();
  poller.start(3000, () => loadCampaigns({ live: true }));
}

const campaignPath = id => `${botPath(bots.selected)}/campaigns/${encodeURIComponent(id)}`;

async function loadCampaigns({ live = false } = {}) {
  if (!live) await refreshBots();
  const list = bots.selected ? await request('GET', `${botPath(bots.selected)}/campaigns`) : [];
  campaigns.list = list;
  if (!list.some(c => c.id === campaigns.selected)) campaigns.selected = null;
  // A poll that finds nothing new leaves the page alone (focus and scroll stay).
  const shown = JSON.stringify([bots.selected, campaigns.selected, can('manage'), list]);
  if (shown !== campaigns.shown) {
    campaigns.shown = shown;
    $('#campaigns-table tbody').replaceChildren(...list.map(campaignRow));
    $('#campaigns-table').hidden = list.length === 0;
    $('#campaigns-empty').hidden = list.length > 0;
  }
  await loadRecipients();
}

function campaignRow(c) {
  // How far through its list it got: a canceled campaign's bar stops where it was stopped.
  const handled = c.total - c.pending - c.canceled;
  return h('tr', { class: c.id === campaigns.selected ? 'selected' : null, dataset: { id: c.id, status: c.status } },
    h('td', { 'data-label': 'Campaign' }, h('strong', {}, c.name), ' ', h('code', { class: 'muted' }, c.template)),
    h('td', { 'data-label': 'Status' }, statusChip(c.status)),
    h('td', { 'data-label': 'Progress' }, h('div', { class: 'progress' },
      h('progress', { max: c.total, value: handled, 'aria-label': `Progress of ${c.name}` }),
      h('span', { class: 'small' }, `${integer.format(handled)} of ${integer.format(c.total)}`))),
    h('td', { 'data-label': 'Recipients', class: 'counts small' },
      `${integer.format(c.queued)} queued · ${integer.format(c.sent)} sent · ${integer.format(c.failed)} failed · ${integer.format(c.skipped)} skipped · ${integer.format(c.canceled)} canceled`),
    h('td', { 'data-label': 'Started' }, h('time', { datetime: c.created_at }, when(c.created_at)),
      c.finished_at ? h('span', { class: 'muted small' }, ` · ended ${when(c.finished_at)}`) : null),
    h('td', {}, h('div', { class: 'row-actions' },
      h('button', { type: 'button', 'aria-label': `Recipients of ${c.name}`, onclick: () => showRecipients(c.id) }, 'Recipients'),
      c.status === 'running' && can('manage')
        ? h('button', { type: 'button', class: 'danger', 'aria-label': `Cancel campaign ${c.name}`, onclick: () => cancelCampaign(c).catch(report) }, 'Cancel')
        : null)));
}

function showRecipients(id) {
  campaigns.selected = id;
  recipients.offset = 0;
  recipients.shown = '';
  campaigns.shown = '';
  loadCampaigns({ live: true }).catch(report);
}

async function loadRecipients() {
  const campaign = campaigns.list.find(c => c.id === campaigns.selected);
  $('#campaign-recipients').hidden = !campaign;
  if (!campaign) {
    recipients.shown = '';
    return;
  }
  let page;
  try {
    page = await request('GET', `${campaignPath(campaign.id)}/recipients?offset=${recipients.offset}&limit=${recipients.limit}`);
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
    campaigns.selected = null;
    $('#campaign-recipients').hidden = true;
    return;
  }
  const shown = JSON.stringify([campaign.id, page]);
  if (shown === recipients.shown) return;
  recipients.shown = shown;
  $('#campaign-recipients-title').textContent = `Recipients of ${campaign.name}`;
  $('#campaign-recipients-table tbody').replaceChildren(...page.items.map(r => h('tr', { dataset: { position: String(r.position), status: r.status } },
    h('td', { 'data-label': '#' }, String(r.position + 1)),
    h('td', { 'data-label': 'User' }, r.to),
    h('td', { 'data-label': 'Status' }, statusChip(r.status)),
    h('td', { 'data-label': 'Message' }, r.message_status ? statusChip(r.message_status) : '—'),
    h('td', { 'data-label': 'Reason or error', class: r.status === 'failed' || r.error_code ? 'error' : 'muted' },
      [r.reason, r.error_code ? `Error ${r.error_code}` : null].filter(Boolean).join(' · ') || '—'))));
  $('#campaign-recipients-page').textContent = pageLabel(page.offset, page.items.length, page.total);
  $('#campaign-recipients-prev').disabled = page.offset === 0;
  $('#campaign-recipients-next').disabled = page.offset + page.limit >= page.total;
}

async function cancelCampaign(campaign) {
  const answer = await confirmDialog(`Cancel ${campaign.name}?`,
    `Its ${integer.format(campaign.pending)} pending recipients are not sent to. What is already queued still goes.`);
  if (!answer.ok) return;
  const canceled = await request('POST', `${campaignPath(campaign.id)}/cancel`);
  toast(`${canceled.name} was canceled: ${integer.format(canceled.canceled)} recipients not sent to.`);
  campaigns.shown = '';
  recipients.shown = '';
  await loadCampaigns({ live: true });
}

$('#campaigns-bot').addEventListener('change', event => {
  selectBot(event.target.value);
  campaigns.selected = null;
  loadCampaigns().catch(report);
});
$('#campaign-recipients-prev').addEventListener('click', () => { recipients.offset = Math.max(0, recipients.offset - recipients.limit); loadRecipients().catch(report); });
$('#campaign-recipients-next').addEventListener('click', () => { recipients.offset += recipients.limit; loadRecipients().catch(report); });
