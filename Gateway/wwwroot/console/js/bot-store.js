// The bots the signed-in key sees, and the bot chosen in any view: the simulator, conversations and usage share it.
import { $$, h } from './dom.js';
import { request } from './api.js';

export const bots = {
  list: [],
  selected: sessionStorage.getItem('horizonai.bot') || '',
};

export const findBot = number => bots.list.find(b => b.twilio_phone_number === number);

/** Reads GET /bots again; the selection falls back to the first bot if its bot is gone. */
export async function refreshBots() {
  bots.list = await request('GET', '/bots');
  if (!findBot(bots.selected)) bots.selected = bots.list.length ? bots.list[0].twilio_phone_number : '';
  fillBotSelects();
}

export function selectBot(number) {
  bots.selected = number;
  sessionStorage.setItem('horizonai.bot', number);
  for (const select of $$('.bot-select')) select.value = number;
}

export function forgetBots() {
  bots.list = [];
}

function fillBotSelects() {
  for (const select of $$('.bot-select')) {
    select.replaceChildren(...(bots.list.length
      ? bots.list.map(bot => h('option', { value: bot.twilio_phone_number },
        `${bot.name} (${bot.twilio_phone_number})${bot.enabled ? '' : ' · disabled'}`))
      : [h('option', { value: '' }, 'No bots yet')]));
    select.value = bots.selected;
  }
}
