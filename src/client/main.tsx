/**
 * Entry point of the participant PWA. Order matters for a slow first load:
 * strings and the first screen render first; the sync scheduler (and the
 * engine and schemas it pulls in) arrive as a separate chunk right after, and
 * the service worker registers once the page has finished loading.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/app.css';
import { App } from './app/App';
import { captureInstallPrompt } from './pwa/install-prompt';
import { registerServiceWorker } from './pwa/service-worker';
import { initI18n } from './i18n/i18n';

initI18n();
captureInstallPrompt();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

registerServiceWorker();
void import('./sync/scheduler').then(({ startSyncScheduler }) => startSyncScheduler());
