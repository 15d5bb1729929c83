// Which view is shown. Each view module describes itself ({ name, tab, role, routable, enter, leave }) and main.js
// registers it; the address's hash names the view (#bots, #usage…), so reloads and the back button work.
import { $, $$ } from './dom.js';
import { session, can } from './session.js';
import { hideToast, report } from './ui.js';

const views = new Map();
let current = null;

export function register(...list) {
  for (const view of list) views.set(view.name, view);
}

/** Shows one view's section and hides the others; the view left behind stops its polling. */
export function show(name) {
  const view = views.get(name);
  current?.leave?.();
  current = view;
  for (const other of views.keys()) $('#view-' + other).hidden = other !== name;
  const tab = view.tab || name;
  for (const link of $$('#nav a')) {
    if (link.dataset.view === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const heading = $('#view-' + name + ' h1');
  if (heading) document.title = `${heading.textContent} · HorizonAI console`;
}

/** Shows a view and loads what it shows. */
export async function open(name, ...args) {
  show(name);
  await views.get(name).enter?.(...args);
}

/** Opens the view the address names (the bots by default, or when the key may not see that view). */
export async function route() {
  if (!session.signedIn) return;
  hideToast();
  const name = (location.hash || '#bots').slice(1);
  const view = views.get(name);
  await open(view && view.routable !== false && (!view.role || can(view.role)) ? name : 'bots');
}

export function go(name) {
  if (location.hash === '#' + name) route().catch(report);
  else location.hash = name;
}

export const currentView = () => current?.name;

window.addEventListener('hashchange', () => route().catch(report));
