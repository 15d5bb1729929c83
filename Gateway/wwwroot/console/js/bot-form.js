// The bot form, generated from bot-fields.js: its inputs, filling them from a bot's JSON and reading the JSON back.
// Nothing here names a field; each field's entry says how it is shown and mapped.
import { $, h } from './dom.js';
import { botFields, kinds, editableCopy, Invalid } from './bot-fields.js';

/** A label's text, with `code` in backquotes shown as code. */
function labelText(text) {
  return text.split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part)).filter(part => part !== '');
}

function control(field) {
  const kind = kinds[field.kind];
  const described = [field.help ? `${field.id}-help` : null, `${field.id}-error`].filter(Boolean).join(' ');
  const props = {
    id: field.id,
    name: field.json,
    'aria-describedby': described,
    dataset: { json: field.json },
    required: field.required,
    maxlength: field.maxLength,
    min: field.min,
    max: field.max,
    step: field.step,
    placeholder: field.placeholder,
    ...kind.attributes,
    ...field.attributes,
  };
  if (kind.control === 'checkbox') return h('input', { ...props, type: 'checkbox' });
  if (kind.control === 'textarea') return h('textarea', { rows: field.rows ?? 2, ...props });
  return h('input', { autocomplete: 'off', ...props });
}

function fieldElement(field) {
  const input = control(field);
  const help = field.help ? h('p', { id: `${field.id}-help`, class: 'help muted small' }, field.help) : null;
  const error = h('p', { id: `${field.id}-error`, class: 'field-error', dataset: { errorFor: field.json } });
  const wrapper = kinds[field.kind].control === 'checkbox'
    ? h('div', { class: 'field check-field' }, h('label', { class: 'check' }, input, ' ', labelText(field.label)), help, error)
    : h('div', { class: 'field' }, h('label', { for: field.id }, labelText(field.label)), input, help, error);
  if (field.wide) wrapper.classList.add('wide');
  wrapper.dataset.field = field.json;
  return wrapper;
}

/** Puts the form's inputs into container, one part per section in order of first appearance. */
export function renderBotForm(container) {
  const sections = new Map();
  for (const field of botFields) {
    const title = field.section || '';
    if (!sections.has(title)) sections.set(title, []);
    sections.get(title).push(fieldElement(field));
  }
  container.replaceChildren(...[...sections].map(([title, fields]) => title
    ? h('fieldset', { class: 'form-section' }, h('legend', {}, title), h('div', { class: 'grid two' }, fields))
    : h('div', { class: 'grid two' }, fields)));
}

/**
 * Fills the form from a bot (null: a new bot). Fields the signed-in key may not change are disabled, fixed ones
 * read-only once the bot exists, and server-set ones shown only for an existing bot.
 */
export function fillBotForm(form, bot, can) {
  for (const field of botFields) {
    const kind = kinds[field.kind];
    const input = $('#' + field.id, form);
    const value = kind.toInput(bot ? bot[field.json] : undefined, field);
    if (typeof value === 'boolean') input.checked = value;
    else input.value = value;
    input.disabled = !can(field.edit || 'manage');
    if (field.fixed) input.readOnly = !!bot;
    if (field.kind === 'server') input.closest('.field').hidden = !bot;
  }
}

/**
 * The bot JSON the form describes, starting from the bot as it is (null: a new bot), so that fields the console does
 * not know yet are kept. Answers { bot } or { errors } in the API's shape ({ field: [message] }).
 */
export function readBotForm(form, existing, can) {
  const bot = existing ? editableCopy(existing) : {};
  const errors = {};
  for (const field of botFields) {
    const kind = kinds[field.kind];
    // What the server sets, and what this key may not change, goes back as it came.
    if (!kind.fromInput || !can(field.edit || 'manage')) continue;
    const value = kind.fromInput($('#' + field.id, form), field);
    if (value instanceof Invalid) errors[field.json] = [value.message];
    else if (value === undefined) delete bot[field.json];
    else bot[field.json] = value;
  }
  return Object.keys(errors).length ? { errors } : { bot };
}
