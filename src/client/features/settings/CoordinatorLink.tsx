/**
 * The discreet way into the coordinator workspace, shown at the foot of the
 * settings screen: coordinators are few, participants should not trip over
 * it. Only a link: the workspace (src/coordinator) is a separate chunk that
 * the app's one lazy route loads. Its own component so the settings screen
 * does not wait for the coordinator strings.
 */
import { Suspense } from 'react';
import { Link } from 'wouter';
import { useTranslation } from 'react-i18next';

export function CoordinatorLink() {
  return (
    <Suspense fallback={null}>
      <Inner />
    </Suspense>
  );
}

function Inner() {
  const { t } = useTranslation('coordinator');
  return (
    <p className="muted">
      <Link href="/coordinator">{t('entry.link')}</Link>
    </p>
  );
}
