/**
 * The top bar: the app's name and the sync pill. The pill answers the
 * question field users ask most ("did it send?") on every screen:
 * "All saved on this phone · 3 waiting to send · last sent 10:42".
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSyncStatus } from '../sync/use-sync-status';
import { formatMoment } from '../i18n/format';

// Its own chunk with its own strings, so search costs the first screen nothing.
const SearchLink = lazy(() => import('../features/search/SearchLink'));

export function Header() {
  const { t } = useTranslation();
  return (
    <header className="header">
      <Link href="/" className="brand">
        <svg className="brand-mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
          <rect width="64" height="64" rx="12" />
          <path d="M18 15 L32 42 L46 15" />
        </svg>
        <span className="brand-name">{t('app.name')}</span>
      </Link>
      {/* Holds the link's place (one tap target) until its chunk arrives, so the header never re-wraps. */}
      <Suspense
        fallback={
          <span aria-hidden="true" style={{ flex: 'none', inlineSize: 'var(--tap)', blockSize: 'var(--tap)' }} />
        }
      >
        <SearchLink />
      </Suspense>
      <SyncPill />
    </header>
  );
}

function SyncPill() {
  const { t, i18n } = useTranslation();
  const status = useSyncStatus();
  const parts = [t('sync.allSaved')];
  if (status.pending > 0) parts.push(t('sync.waiting', { count: status.pending }));
  if (status.syncing) parts.push(t('sync.sending'));
  else if (status.lastSuccessAt)
    parts.push(t('sync.lastSent', { time: formatMoment(i18n.language, status.lastSuccessAt) }));
  else parts.push(t('sync.neverSent'));
  // Being offline is normal here and needs no alarm; anything else (server
  // trouble, a revoked phone, an outdated app) sends the reader to details.
  if (status.error !== null && status.error !== 'sync.error.offline') parts.push(t('sync.pillProblem'));
  const tone =
    status.error && status.error !== 'sync.error.offline'
      ? 'pill-warn'
      : status.pending > 0
        ? 'pill-pending'
        : 'pill-ok';
  return (
    <Link href="/settings#sync" className={`pill ${tone}`}>
      <span className="pill-dot" aria-hidden="true" />
      <span className="visually-hidden">{t('sync.statusLabel')}: </span>
      {/* Each language's own separator: a middle dot reads as a zero (۰) beside Persian digits. */}
      <span className="pill-text">{parts.join(t('common.separator'))}</span>
    </Link>
  );
}
