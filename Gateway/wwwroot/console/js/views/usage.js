// Usage and estimated cost of the chosen bot over a range of days.
import { $, h } from '../dom.js';
import { request, botPath, isApiError } from '../api.js';
import { bots, refreshBots, selectBot } from '../bot-store.js';
import { usd, integer, isoDay } from '../format.js';
import { currentView } from '../router.js';
import { toast, report, clearErrors, showErrors } from '../ui.js';
import { drawChart } from './usage-chart.js';

let lastUsage = null;

export const usageView = { name: 'usage', enter: enterUsage };

async function enterUsage() {
  await refreshBots();
  if (!$('#usage-to').value) {
    const today = new Date();
    $('#usage-to').value = isoDay(today);
    $('#usage-from').value = isoDay(new Date(today.getTime() - 29 * 86400000));
  }
  if (bots.selected) await loadUsage();
}

async function loadUsage() {
  const form = $('#usage-form');
  clearErrors(form);
  if (!bots.selected) return;
  const query = new URLSearchParams();
  if ($('#usage-from').value) query.set('from', $('#usage-from').value);
  if ($('#usage-to').value) query.set('to', $('#usage-to').value);
  try {
    lastUsage = await request('GET', `${botPath(bots.selected)}/usage?${query}`);
  } catch (error) {
    if (isApiError(error, 400)) {
      const unplaced = showErrors(form, error.errors);
      if (unplaced.length) toast(unplaced.join(' '), 'bad');
      return;
    }
    throw error;
  }
  renderUsage(lastUsage);
}

function renderUsage(usage) {
  const total = usage.total;
  $('#usage-result').hidden = false;
  $('#usage-inbound').textContent = integer.format(total.inbound_messages);
  $('#usage-outbound').textContent = integer.format(total.outbound_messages);
  $('#usage-tokens').textContent = `${integer.format(total.input_tokens)} / ${integer.format(total.output_tokens)}`;
  $('#usage-total-cost').textContent = usd.format(total.estimated_cost_usd);
  $('#usage-media').textContent = `Media received: ${integer.format(total.audio_items)} voice notes (${total.transcribed_minutes.toFixed(1)} min transcribed, ${usd.format(total.transcription_cost_usd)}), ${integer.format(total.images)} images, ${integer.format(total.documents)} PDFs. Tool calls: ${integer.format(total.tool_calls ?? 0)}.`;
  const prices = usage.prices;
  $('#usage-prices').textContent = `Estimated from ${usd.format(prices.per_message_usd)} per WhatsApp message, ${usd.format(prices.per_1k_tokens_usd)} per 1K tokens (transcription tokens included), ${usd.format(prices.per_transcription_minute_usd)} per transcribed minute where a model bills by the minute and ${usd.format(prices.per_number_per_month_usd)} per number per month.`;
  $('#usage-table tbody').replaceChildren(...usage.days.map(d => h('tr', {},
    h('td', {}, d.day), h('td', {}, integer.format(d.inbound_messages)), h('td', {}, integer.format(d.outbound_messages)),
    h('td', {}, integer.format(d.input_tokens)), h('td', {}, integer.format(d.output_tokens)), h('td', {}, usd.format(d.estimated_cost_usd)))));
  drawChart($('#usage-chart'), usage);
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
  resizeTimer = setTimeout(() => { if (currentView() === 'usage' && lastUsage) drawChart($('#usage-chart'), lastUsage); }, 150);
});
