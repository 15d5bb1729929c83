// What every view shows the same way: the toast, the confirmation dialog and field errors beside their fields.
import { $, $$ } from './dom.js';
import { isApiError } from './api.js';

let toastTimer;

export function toast(message, kind = 'ok') {
  const element = $('#toast');
  element.textContent = message;
  element.className = 'toast ' + kind;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { element.hidden = true; }, 5000);
}

export function hideToast() {
  $('#toast').hidden = true;
}

/** Shows what went wrong; a 401 already took the page to the sign-in. */
export function report(error) {
  if (isApiError(error, 401)) return;
  toast(error.message || String(error), 'bad');
}

/** Asks before something that cannot be undone; resolves to { ok, purge }. */
export function confirmDialog(title, text, purgeOption = false) {
  const dialog = $('#confirm');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-option').hidden = !purgeOption;
  $('#confirm-purge').checked = false;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve({ ok: dialog.returnValue === 'ok', purge: $('#confirm-purge').checked }), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}

// Field errors of an RFC 7807 answer ("errors": { field: [messages] }) go next to their field.
export function clearErrors(root) {
  for (const element of $$('[data-error-for]', root)) element.textContent = '';
  for (const element of $$('[aria-invalid]', root)) element.removeAttribute('aria-invalid');
}

/** Puts each error beside its field; the rest goes to fallback (if given) and is returned. */
export function showErrors(root, errors, fallback) {
  const unplaced = [];
  let first = null;
  for (const [field, messages] of Object.entries(errors || {})) {
    // templates[2].name goes beside the templates field, saying which one.
    const exact = $(`[data-error-for="${CSS.escape(field)}"]`, root);
    const target = exact || $(`[data-error-for="${CSS.escape(field.split(/[[.]/)[0])}"]`, root);
    const text = (exact ? '' : `${field}: `) + [].concat(messages).join(' ');
    if (target) {
      target.textContent = text;
      const input = target.id ? $(`[aria-describedby~="${CSS.escape(target.id)}"]`, root) : null;
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first ||= input;
      }
    } else {
      unplaced.push(`${field}: ${text}`);
    }
  }
  if (fallback) {
    fallback.textContent = unplaced.join(' ');
    fallback.hidden = unplaced.length === 0;
  }
  if (first) first.focus();
  return unplaced;
}
