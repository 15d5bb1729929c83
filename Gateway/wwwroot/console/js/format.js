// How numbers, times and statuses read.
import { h } from './dom.js';

export const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
export const integer = new Intl.NumberFormat('en-US');

/** A time of today as 14:02:31, of another day with its date. */
export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const today = new Date();
  return date.toDateString() === today.toDateString()
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const isoDay = date => date.toISOString().slice(0, 10);

/** "1–20 of 57" for a page of a list. */
export const pageLabel = (offset, count, total) => total ? `${offset + 1}–${offset + count} of ${total}` : '';

export function statusChip(status) {
  const kind = ['delivered', 'read', 'answered', 'sent', 'done', 'ok'].includes(status) ? 'ok'
    : ['failed', 'undelivered', 'canceled', 'error', 'timeout'].includes(status) ? 'bad'
    : ['ignored', 'skipped'].includes(status) ? 'muted' : status === 'held' ? 'held' : 'wait';
  return h('span', { class: 'chip ' + kind, dataset: { status } }, status);
}
