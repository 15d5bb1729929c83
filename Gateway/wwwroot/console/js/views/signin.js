// Sign-in and sign-out. The key is sent once to POST /console/session, which answers with an HttpOnly cookie that
// every later request carries; the page never stores the key. What the key may do (GET /me) decides what is offered.
import { $ } from '../dom.js';
import { request } from '../api.js';
import { session, can } from '../session.js';
import { forgetBots, refreshBots } from '../bot-store.js';
import { stopAllPollers } from '../poller.js';
import { route, show } from '../router.js';
import { watchHealth } from './cluster.js';
import { toast } from '../ui.js';

export const signinView = { name: 'signin', routable: false };

export function showSignIn(message) {
  session.signedIn = false;
  stopAllPollers();
  $('#nav').hidden = true;
  $('#sign-out').hidden = true;
  show('signin');
  $('#signin-error').textContent = message || '';
  $('#signin-key').focus();
}

/** Opens the console for the signed-in key. */
export async function enter() {
  session.signedIn = true;
  session.me = await request('GET', '/me');
  applyAccess();
  $('#nav').hidden = false;
  $('#sign-out').hidden = false;
  await refreshBots();
  await route();
  if (can('admin')) watchHealth();
}

// A client's console: only what its key's role allows is offered (the API refuses the rest anyway).
function applyAccess() {
  const admin = can('admin');
  $('#nav a[data-view="cluster"]').hidden = !admin;
  $('#nav a[data-view="simulator"]').hidden = !admin; // it signs webhooks as any user: the agency's tool
  $('#bot-new').hidden = !admin;
  $('#bots-import-label').hidden = !admin;
  $('#bots-export').textContent = admin ? 'Export backup' : 'Export';
  const who = $('#whoami');
  who.textContent = admin ? 'Admin' : `${session.me.name} · ${session.me.role}`;
  who.title = admin ? 'Signed in with the admin key: every bot' : `Key ${session.me.key_id}: ${(session.me.bots || []).join(', ')}`;
  who.hidden = false;
}

/** Where /dashboard sent the browser from, if it is a page of this origin. */
function nextPage() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
}

$('#signin-form').addEventListener('submit', async event => {
  event.preventDefault();
  const input = $('#signin-key');
  const error = $('#signin-error');
  const key = input.value.trim();
  if (!key) {
    error.textContent = 'Enter the admin API key or your client key.';
    input.setAttribute('aria-invalid', 'true');
    return;
  }
  $('#signin-submit').disabled = true;
  try {
    const response = await fetch('/console/session', { method: 'POST', credentials: 'same-origin', body: new URLSearchParams({ key }) });
    if (response.status === 204) {
      input.value = '';
      input.removeAttribute('aria-invalid');
      const next = nextPage();
      if (next) {
        location.assign(next);
        return;
      }
      await enter();
    } else if (response.status === 429) {
      const seconds = Number(response.headers.get('Retry-After'));
      error.textContent = `Too many failed attempts. Try again ${seconds > 0 ? `in ${seconds} seconds` : 'in a minute'}.`;
    } else if (response.status === 401) {
      error.textContent = 'That is not a valid key.';
      input.setAttribute('aria-invalid', 'true');
      input.select();
    } else {
      error.textContent = `Sign-in failed (${response.status}).`;
    }
  } catch {
    error.textContent = 'The Gateway could not be reached.';
  } finally {
    $('#signin-submit').disabled = false;
  }
});

// Signing out ends the session on every Gateway; if the Gateway could not record that, the session still holds and
// the console stays open, saying so.
$('#sign-out').addEventListener('click', async () => {
  const response = await fetch('/console/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => null);
  if (!response || (response.status !== 204 && response.status !== 401)) {
    toast(`Sign-out failed (${response ? response.status : 'the Gateway could not be reached'}): the session still holds. Try again.`, 'bad');
    return;
  }
  forgetBots();
  session.me = null;
  $('#whoami').hidden = true;
  showSignIn('Signed out.');
});
