// Cluster health from GET /health/ready: the page while it is open, and the dot in the top bar for the admin key.
import { $, h } from '../dom.js';
import { readHealth } from '../api.js';
import { Poller } from '../poller.js';

const poller = new Poller();
const dotPoller = new Poller();

export const clusterView = { name: 'cluster', role: 'admin', enter: () => refreshCluster(true), leave: () => poller.stop() };

const healthKind = status => status === 'Healthy' ? 'ok' : status === 'Degraded' ? 'warn' : 'bad';

async function refreshHealthDot() {
  try {
    const health = await readHealth();
    const dot = $('#health-dot');
    dot.className = 'dot ' + healthKind(health.status);
    dot.setAttribute('aria-label', `Cluster ${health.status}`);
  } catch {
    $('#health-dot').className = 'dot bad';
  }
}

/** The dot in the top bar, refreshed every 15 seconds until sign-out. */
export function watchHealth() {
  refreshHealthDot();
  dotPoller.start(15000, refreshHealthDot);
}

async function refreshCluster(start) {
  try {
    const health = await readHealth();
    $('#cluster-status').textContent = health.status;
    $('#cluster-dot').className = 'dot ' + healthKind(health.status);
    $('#health-dot').className = 'dot ' + healthKind(health.status);
    $('#cluster-checks tbody').replaceChildren(...Object.entries(health.checks || {}).map(([name, check]) => h('tr', {},
      h('td', {}, name), h('td', {}, h('span', { class: 'chip ' + healthKind(check.status) }, check.status)), h('td', {}, check.description || ''))));
    $('#cluster-checked').textContent = `Last checked ${new Date().toLocaleTimeString()}.`;
  } catch {
    $('#cluster-status').textContent = 'The Gateway could not be reached';
    $('#cluster-dot').className = 'dot bad';
  }
  if (start) poller.start(5000, () => refreshCluster(false));
}

$('#cluster-refresh').addEventListener('click', () => refreshCluster(false));
