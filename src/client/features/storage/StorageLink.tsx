/**
 * The settings screen's way to the storage panel (downloads, unsent records
 * and their export). Its own component so the settings screen does not wait
 * for this feature's strings.
 */
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';

export function StorageLink() {
  return (
    <Suspense fallback={null}>
      <Inner />
    </Suspense>
  );
}

function Inner() {
  const { t } = useTranslation('storage');
  return (
    <p>
      <Link href="/storage">{t('storage.link')}</Link>
    </p>
  );
}
