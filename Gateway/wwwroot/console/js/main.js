// HorizonAI console: a single page over the admin API (/bots…, /me, /audit), the console's own API (/console/…) and
// /health/ready. Native ES modules, no build step and nothing loaded from another origin (the Gateway's
// Content-Security-Policy allows scripts from this origin only). Each view is a module that describes itself to the
// router; the bot form is generated from bot-fields.js.
import { onSessionEnded } from './api.js';
import { register } from './router.js';
import { signinView, showSignIn, enter } from './views/signin.js';
import { botsView } from './views/bots.js';
import { editorView } from './views/bot-editor.js';
import { simulatorView } from './views/simulator.js';
import { conversationsView } from './views/conversations.js';
import { campaignsView } from './views/campaigns.js';
import { knowledgeView } from './views/knowledge.js';
import { usageView } from './views/usage.js';
import { auditView } from './views/audit.js';
import { clusterView } from './views/cluster.js';

register(signinView, botsView, editorView, simulatorView, conversationsView, campaignsView, knowledgeView, usageView, auditView, clusterView);
onSessionEnded(showSignIn);

try {
  const response = await fetch('/console/session', { credentials: 'same-origin' });
  if (response.status === 204) await enter();
  else showSignIn();
} catch {
  showSignIn('The Gateway could not be reached.');
}
