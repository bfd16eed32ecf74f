/**
 * "A new version is ready": shown when an updated service worker waits.
 * Reloading is the participant's choice, never automatic.
 */
import { useTranslation } from 'react-i18next';
import { applyUpdate, useUpdateState } from '../pwa/service-worker';

export function UpdateBanner() {
  const { t } = useTranslation();
  const state = useUpdateState();
  if (state === 'none') return null;
  return (
    <section className="banner" role="status" aria-live="polite">
      <p>
        <strong>{state === 'external' ? t('update.external') : t('update.ready')}</strong> {t('update.hint')}
      </p>
      <button type="button" className="button" onClick={applyUpdate}>
        {t('update.reload')}
      </button>
    </section>
  );
}
